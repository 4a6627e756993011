// Exact totals without scanning: per business, per table and per filter value, kept by triggers in the same
// transaction as every write (migration 0005), and read here with one indexed lookup.
import { sql } from 'kysely';
import type { Queryable } from './engine.js';
import type { RecordTableName } from './schema.js';

/** The kept total for a list with no filter or one counted equality filter; undefined when it must be counted. */
export async function keptTotal(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  where: readonly { column: string; op: string; value: string | number; counted?: boolean }[],
): Promise<number | undefined> {
  if (where.length > 1) return undefined;
  const [condition] = where;
  if (condition && (condition.op !== '=' || !condition.counted)) return undefined;
  const row = await sql<{ n: number | string | null }>`
    select sum(n) as n from record_counts
    where businessid = ${businessId} and tablename = ${table} and col = ${condition?.column ?? ''} and val = ${condition ? String(condition.value) : ''}`.execute(
    db,
  );
  return Number(row.rows[0]?.n ?? 0);
}

/** Every kept total of one counted column, by value (values with no rows left are omitted). */
export async function keptByValue(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  column: string,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ val: string; n: number | string }>`
    select val, sum(n) as n from record_counts
    where businessid = ${businessId} and tablename = ${table} and col = ${column}
    group by val having sum(n) <> 0`.execute(db);
  return new Map(rows.map((r) => [r.val, Number(r.n)]));
}

/**
 * SQLite: the deletes and changes of counted values of a business's records in a table (migration 0017), which move
 * records within its lists other than by an insert at the head; read workers' list anchors hold while it is unchanged.
 */
export async function keptMoves(db: Queryable, table: RecordTableName, businessId: string): Promise<number> {
  const { rows } = await sql<{ moves: number }>`
    select moves from record_counts
    where businessid = ${businessId} and tablename = ${table} and col = '' and val = '' and slot = 0`.execute(db);
  return Number(rows[0]?.moves ?? 0);
}
