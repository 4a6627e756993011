// SQLite: each business's part of a table's trigram index is its own range of index keys, so a search of a large
// business counts its matches from the index alone and never visits another business's entries or any record.
// An entry's key is (business number << 40) | record rowid, the business number being the business row's rowid:
// `rowid between lo and hi` bounds an FTS5 query to one business, and FTS5 seeks straight to that range. The index
// holds trigrams only (contentless): the text stays in the record, and `key & (2^40 - 1)` is the record's rowid.
// Measured at 1M customers, 300 varied terms (docs/benchmarks.md): counting the matches from the index took 3.7 ms
// on average against 29.7 ms through the records (p99 16 ms against 117 ms).
// Rows still waiting in `<table>_fts_pending` (0008) stay there; the indexer gives them their key (search-index.ts).
// Neither rowid may change: nothing here runs VACUUM, which renumbers the rowids of tables without an INTEGER
// PRIMARY KEY (the record tables' keys in 0005's index already relied on that).
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

/** The tables with a trigram index when this migration was written: a migration never changes with the code. */
const TABLES = ['customers', 'leads', 'contacts', 'quotes', 'contracts', 'appointments', 'bookings'];

const raw = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

/** A record's key in its table's index, in a trigger (`row` is old or new). */
const key = (row: string) => `(((select rowid from businesses where id = ${row}.businessid) << 40) | ${row}.rowid)`;

/**
 * Rebuilds table `t`'s trigram index: `options` for the FTS5 table, `fill` selects (key, searchtext) of every indexed
 * record, and `keyOf` gives a record's key in the triggers (`row` is old or new). As in 0008: a pending row is not
 * in the index yet, so an edit has nothing to undo.
 */
async function rebuild(
  db: Kysely<unknown>,
  t: string,
  { options, fill, keyOf }: { options: string; fill: string; keyOf: (row: string) => string },
) {
  const pending = `select 1 from ${t}_fts_pending where rowid = old.rowid`;
  await raw(db, `drop trigger ${t}_fts_update`);
  await raw(db, `drop trigger ${t}_fts_delete`);
  await raw(db, `drop table ${t}_fts`);
  await raw(
    db,
    `create virtual table ${t}_fts using fts5(searchtext, ${options}, tokenize='trigram case_sensitive 1')`,
  );
  await raw(
    db,
    `insert into ${t}_fts (rowid, searchtext) ${fill} where r.rowid not in (select rowid from ${t}_fts_pending)`,
  );
  await raw(
    db,
    `create trigger ${t}_fts_update after update of searchtext on ${t} when not exists (${pending}) begin
      insert into ${t}_fts (${t}_fts, rowid, searchtext) values ('delete', ${keyOf('old')}, old.searchtext);
      insert into ${t}_fts (rowid, searchtext) values (${keyOf('new')}, new.searchtext);
    end`,
  );
  await raw(
    db,
    `create trigger ${t}_fts_delete after delete on ${t} begin
      insert into ${t}_fts (${t}_fts, rowid, searchtext) select 'delete', ${keyOf('old')}, old.searchtext where not exists (${pending});
      delete from ${t}_fts_pending where rowid = old.rowid;
    end`,
  );
}

export const searchByBusiness: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) !== 'sqlite') return;
    for (const t of TABLES) {
      await rebuild(db, t, {
        options: "content=''",
        fill: `select (b.rowid << 40) | r.rowid, r.searchtext from ${t} r join businesses b on b.id = r.businessid`,
        keyOf: key,
      });
    }
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) !== 'sqlite') return;
    for (const t of TABLES) {
      await rebuild(db, t, {
        options: `content='${t}', content_rowid='rowid'`,
        fill: `select r.rowid, r.searchtext from ${t} r`,
        keyOf: (row) => `${row}.rowid`,
      });
    }
  },
};
