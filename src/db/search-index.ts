// SQLite: moves records written since the last pass from `<table>_fts_pending` into the table's trigram index, many
// at a time (migration 0008 says why). The server runs it every few hundred milliseconds; seeding runs it to the end.
// PostgreSQL keeps its own pending list inside the GIN index: nothing to do there.
import { sql } from 'kysely';
import { engineOf, inTransaction, type Queryable } from './engine.js';
import { RECORD_TABLES } from './schema.js';
import { indexKey } from './search.js';

/** Indexes up to `batch` pending records of each table; returns how many it indexed in all (0 when none were pending). */
export async function indexPendingSearch(db: Queryable, batch = 5000): Promise<number> {
  if (engineOf(db) !== 'sqlite') return 0;
  let indexed = 0;
  for (const table of RECORD_TABLES) {
    const pending = sql.table(`${table}_fts_pending`);
    const fts = sql.table(`${table}_fts`);
    // One transaction: the index gains exactly the rows the pending list loses, whoever else is writing.
    indexed += await inTransaction(db, async (trx) => {
      const { rows } = await sql<{ last: number | null; n: number }>`
        select max(rowid) as last, count(*) as n from (select rowid from ${pending} order by rowid limit ${batch})`.execute(
        trx,
      );
      const { last, n } = rows[0] ?? { last: null, n: 0 };
      if (last === null) return 0;
      // Each under its key in its business's range of the index (migration 0018).
      await sql`insert into ${fts} (rowid, searchtext)
        select ${indexKey(sql.ref('r.businessid'), sql.ref('r.rowid'))}, r.searchtext from ${sql.table(table)} r
        where r.rowid in (select rowid from ${pending} where rowid <= ${last})`.execute(trx);
      await sql`delete from ${pending} where rowid <= ${last}`.execute(trx);
      return Number(n);
    });
  }
  return indexed;
}

/** Indexes every pending record, a batch at a time (after a bulk load). */
export async function indexAllPendingSearch(db: Queryable): Promise<void> {
  while ((await indexPendingSearch(db, 50_000)) > 0);
}
