// Substring search through an index on PostgreSQL: a trigram GIN index on each record table's searchtext.
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

const TABLES = ['customers', 'leads', 'contacts', 'quotes', 'contracts', 'appointments', 'bookings'];

export const searchIndex: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) !== 'postgres') return;
    // pg_trgm itself is created on connect (db/postgres.ts), outside this migration's transaction.
    for (const table of TABLES) {
      await sql`create index ${sql.id(`${table}_search`)} on ${sql.table(table)} using gin (searchtext public.gin_trgm_ops)`.execute(
        db,
      );
    }
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) !== 'postgres') return;
    for (const table of TABLES) await sql`drop index if exists ${sql.id(`${table}_search`)}`.execute(db);
  },
};
