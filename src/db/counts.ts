// Exact totals without scanning: per business, per table and per filter value, kept by triggers in the same
// transaction as every write (migration 0005), and read here with one indexed lookup.
import { sql } from 'kysely';
import { type Queryable, runCompiled } from './engine.js';
import type { RecordTableName } from './schema.js';

/**
 * The filter columns whose counts migration 0005's triggers keep, per table. Lists no longer read this: each module
 * declares its filters (`counted: true`, collected as COUNTED_FILTERS in modules/filters.ts) and keptTotal trusts the
 * condition's flag; test/filters.test.ts checks that the two lists agree.
 */
export const COUNTED_FILTERS: Record<RecordTableName, string[]> = {
  customers: ['type', 'active'],
  leads: ['status', 'source'],
  contacts: [],
  quotes: ['status', 'customerid'],
  contracts: ['status', 'type', 'customerid'],
  appointments: ['status', 'category'],
  bookings: ['status', 'appointmentid', 'customerid'],
};

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

/** PostgreSQL's read version of a business's records in `tables` (Db.readVersion), kept by triggers (migration 0007). */
export async function readVersion(
  db: Queryable,
  businessId: string,
  tables: readonly RecordTableName[],
): Promise<number> {
  const build = () =>
    sql`
    select sum(v) as v from record_counts
    where businessid = ${businessId} and tablename in (${sql.join(tables)}) and col = '' and val = ''`.compile(db);
  const { rows } = await runCompiled<{ v: number | string | null }>(db, `readVersion ${tables.join()}`, build, [
    businessId,
    ...tables,
  ]);
  return Number(rows[0]?.v ?? 0);
}
