// SQLite: moves records written since the last pass from `<table>_fts_pending` into the table's trigram index, many
// at a time (migration 0008 says why). The server runs it every few hundred milliseconds; seeding runs it to the end.
// PostgreSQL keeps its own pending list inside the GIN index: nothing to do there.
import type { Statement } from 'better-sqlite3';
import { sql } from 'kysely';
import { engineOf, type Queryable } from './engine.js';
import { RECORD_TABLES, type RecordTableName } from './schema.js';
import { indexKey } from './search.js';
import { type SqliteHandle, sqliteHandleOf } from './sqlite.js';

/**
 * A batch is moved by one statement outside any transaction: deleting the batch's pending rows, while a temporary
 * trigger on this connection indexes each record it deletes. One statement is atomic (the index gains exactly the
 * rows the pending list loses), and on its own it needs no savepoint: with temporary storage in memory (sqlite.ts), a
 * savepoint around FTS5's merges kept a copy of every page they changed (peak RSS +70 MB in 20 s of creates at 1M).
 * The trigger also fires when a record's own delete trigger clears its pending row (0008): the record is gone by
 * then, so nothing is indexed.
 */
function indexTrigger(db: Queryable, table: RecordTableName): string {
  const key = indexKey(sql.ref('r.businessid'), sql.ref('r.rowid'));
  const { sql: text, parameters } = sql`create temp trigger if not exists ${sql.raw(`${table}_fts_indexed`)}
    after delete on main.${sql.table(`${table}_fts_pending`)} begin
      insert into main.${sql.table(`${table}_fts`)} (rowid, searchtext)
      select ${key}, r.searchtext from main.${sql.table(table)} r where r.rowid = old.rowid;
    end`.compile(db);
  if (parameters.length > 0) throw new Error('the search index trigger must bind no parameters');
  return text;
}

/** Connections whose temporary triggers are made (they last as long as the connection). */
const armed = new WeakSet<object>();

/** Indexes up to `batch` pending records of each table; returns how many it indexed in all (0 when none were pending). */
export async function indexPendingSearch(db: Queryable, batch = 5000): Promise<number> {
  if (engineOf(db) !== 'sqlite') return 0;
  const handle = sqliteHandleOf(db);
  if (!handle) throw new Error('indexPendingSearch needs a SQLite handle, not a transaction');
  let indexed = 0;
  for (const table of RECORD_TABLES) {
    // Temporary DDL and the move each run with no transaction open (sqlite-driver.ts).
    await handle.driver.outsideTransaction((prepare) => {
      arm(db, handle.sqlite);
      indexed += moveBatch(prepare, table, batch);
    });
  }
  return indexed;
}

/** Makes the indexing triggers on the connection once (temporary DDL: with no transaction open). */
function arm(db: Queryable, sqlite: SqliteHandle['sqlite']) {
  if (armed.has(sqlite)) return;
  for (const table of RECORD_TABLES) sqlite.exec(indexTrigger(db, table));
  armed.add(sqlite);
}

/** Moves one batch of `table`'s pending records into its index, in one statement; returns how many. */
function moveBatch(prepare: (sql: string) => Statement, table: RecordTableName, batch: number): number {
  const pending = `"${table}_fts_pending"`;
  const { last, n } = prepare(
    `select max(rowid) as last, count(*) as n from (select rowid from ${pending} order by rowid limit ?)`,
  ).get(batch) as { last: number | null; n: number };
  if (last === null) return 0;
  prepare(`delete from ${pending} where rowid <= ?`).run(last);
  return Number(n);
}

/** Indexes every pending record, a batch at a time (after a bulk load). */
export async function indexAllPendingSearch(db: Queryable): Promise<void> {
  while ((await indexPendingSearch(db, 50_000)) > 0);
}
