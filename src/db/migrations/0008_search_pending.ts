// SQLite: new records reach the trigram index in batches. A write puts the new row's rowid in `<table>_fts_pending`
// (one small append) instead of indexing ~60 trigrams in its own small FTS5 segment: at 1M rows that cost ~90 µs
// per create, against ~5-13 µs per row indexed 250 or more at a time. Search reads the index and scans the pending
// rows (src/db/search.ts), so it stays exact; src/db/search-index.ts moves pending rows into the index. This is what
// PostgreSQL's GIN index does with its own pending list, so PostgreSQL needs nothing here.
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

/** The tables with a trigram index (0005) when this migration was written: a migration never changes with the code. */
const TABLES = ['customers', 'leads', 'contacts', 'quotes', 'contracts', 'appointments', 'bookings'];

const raw = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

export const searchPending: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) !== 'sqlite') return;
    for (const t of TABLES) {
      const pending = `select 1 from ${t}_fts_pending where rowid = old.rowid`;
      await raw(db, `create table ${t}_fts_pending (rowid integer primary key)`);
      for (const trigger of ['insert', 'update', 'delete']) await raw(db, `drop trigger ${t}_fts_${trigger}`);
      await raw(
        db,
        `create trigger ${t}_fts_insert after insert on ${t} begin insert into ${t}_fts_pending (rowid) values (new.rowid); end`,
      );
      // A pending row is not in the index yet: the indexer reads its text as it is then, so an edit has nothing to undo.
      await raw(
        db,
        `create trigger ${t}_fts_update after update of searchtext on ${t} when not exists (${pending}) begin
          insert into ${t}_fts (${t}_fts, rowid, searchtext) values ('delete', old.rowid, old.searchtext);
          insert into ${t}_fts (rowid, searchtext) values (new.rowid, new.searchtext);
        end`,
      );
      await raw(
        db,
        `create trigger ${t}_fts_delete after delete on ${t} begin
          insert into ${t}_fts (${t}_fts, rowid, searchtext) select 'delete', old.rowid, old.searchtext where not exists (${pending});
          delete from ${t}_fts_pending where rowid = old.rowid;
        end`,
      );
    }
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) !== 'sqlite') return;
    for (const t of TABLES) {
      await raw(
        db,
        `insert into ${t}_fts (rowid, searchtext) select rowid, searchtext from ${t} where rowid in (select rowid from ${t}_fts_pending)`,
      );
      for (const trigger of ['insert', 'update', 'delete']) await raw(db, `drop trigger ${t}_fts_${trigger}`);
      await raw(db, `drop table ${t}_fts_pending`);
      await raw(
        db,
        `create trigger ${t}_fts_insert after insert on ${t} begin insert into ${t}_fts (rowid, searchtext) values (new.rowid, new.searchtext); end`,
      );
      await raw(
        db,
        `create trigger ${t}_fts_delete after delete on ${t} begin insert into ${t}_fts (${t}_fts, rowid, searchtext) values ('delete', old.rowid, old.searchtext); end`,
      );
      await raw(
        db,
        `create trigger ${t}_fts_update after update of searchtext on ${t} begin
          insert into ${t}_fts (${t}_fts, rowid, searchtext) values ('delete', old.rowid, old.searchtext);
          insert into ${t}_fts (rowid, searchtext) values (new.rowid, new.searchtext);
        end`,
      );
    }
  },
};
