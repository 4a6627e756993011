// Deep pages without walking (SQLite): a read worker keeps, per list, the keys found every few hundred positions
// (db/list-anchors.ts) and starts a deep page at the nearest one. Inserts land at the head of a newest-first list, so
// they only shift those positions, by a count the worker can check; a delete, or a change of the value a list is
// filtered on, moves records within the rest of it. `moves` counts those, per business and table, on the base row of
// the kept totals (col = ''), in the same transaction as the write: a worker's anchors are good while it is unchanged.
// Inserts and ordinary updates do not touch it. PostgreSQL keeps no anchors (its lists are kept answers).
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';
import { COUNTED_FILTERS } from './0005_counts_and_fts.js';

const raw = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

const moved = (table: string) =>
  `update record_counts set moves = moves + 1
    where businessid = old.businessid and tablename = '${table}' and col = '' and val = '' and slot = 0;`;

export const listMoves: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) !== 'sqlite') return;
    await raw(db, 'alter table record_counts add column moves integer not null default 0');
    // The filters 0005 keeps totals for, unchanged since. A migration that counts another filter adds its moved
    // trigger beside its count trigger; test/counted-filters.test.ts checks that every counted column has both.
    for (const [table, cols] of Object.entries(COUNTED_FILTERS)) {
      await raw(db, `create trigger ${table}_moved_delete after delete on ${table} begin ${moved(table)} end`);
      for (const col of cols)
        await raw(
          db,
          `create trigger ${table}_moved_${col} after update of ${col} on ${table} when old.${col} is not new.${col}
            begin ${moved(table)} end`,
        );
    }
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) !== 'sqlite') return;
    for (const [table, cols] of Object.entries(COUNTED_FILTERS))
      for (const name of ['delete', ...cols]) await raw(db, `drop trigger if exists ${table}_moved_${name}`);
    await raw(db, 'alter table record_counts drop column moves');
  },
};
