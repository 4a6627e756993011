// PostgreSQL: each record table's trigram index (0002) also holds the record's business, so a search in one business
// reads that business's index entries only. With pg_trgm's index alone, the index gave every business's candidates
// for a term and the planner intersected them with the business's list index (a BitmapAnd): the rows read were the
// business's, but the index scan still walked its neighbours' postings. On a scratch table of 1,000,000 rows of one
// business and 30,000 of another (docs/benchmarks.md, 2026-12-07 22:00), counting `kamau` in the smaller one read
// 20,600 candidates in 7.2 ms; with the business in the index, 600 in 1.0 ms (`acme`: 20.8 → 2.4 ms); the large
// business's own counts were no slower. btree_gin gives GIN its operator class for the text column; it is created on
// connect (db/postgres.ts) like pg_trgm. SQLite has had a range of its trigram index per business since 0018.
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

/** The tables with a trigram index when this migration was written: a migration never changes with the code. */
const TABLES = ['customers', 'leads', 'contacts', 'quotes', 'contracts', 'appointments', 'bookings'];

const index = (table: string) => sql.id(`${table}_search`);
const building = (table: string) => sql.id(`${table}_search_0019`);

/**
 * Every new index is built beside the old one first (a build locks its table against writes, not reads), and only
 * then are the old ones dropped and the new renamed: a drop locks its table against reads too, until the migrations'
 * one transaction commits, and dropping first kept every table unreadable while the others' indexes were built.
 */
async function rebuild(db: Kysely<unknown>, columns: ReturnType<typeof sql>) {
  for (const table of TABLES)
    await sql`create index ${building(table)} on ${sql.table(table)} using gin ${columns}`.execute(db);
  for (const table of TABLES) {
    await sql`drop index ${index(table)}`.execute(db);
    await sql`alter index ${building(table)} rename to ${index(table)}`.execute(db);
  }
}

export const pgSearchByBusiness: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) === 'postgres') await rebuild(db, sql`(businessid, searchtext public.gin_trgm_ops)`);
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) === 'postgres') await rebuild(db, sql`(searchtext public.gin_trgm_ops)`);
  },
};
