// PostgreSQL: every commit that touches credentials or businesses notifies `mteja_credentials` with the schema's
// name, so each node's authentication cache learns of a revocation from any node (src/db/changes.ts). SQLite needs
// nothing here: another process's commit moves PRAGMA data_version.
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

const TABLES = ['credentials', 'businesses'];

export const credentialSignals: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) !== 'postgres') return;
    await sql`create function mteja_notify_credentials() returns trigger language plpgsql as $$
      begin
        perform pg_notify('mteja_credentials', TG_TABLE_SCHEMA);
        return null;
      end $$`.execute(db);
    for (const table of TABLES) {
      await sql
        .raw(
          `create trigger ${table}_notify after insert or update or delete or truncate on ${table} for each statement execute function mteja_notify_credentials()`,
        )
        .execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) !== 'postgres') return;
    for (const table of TABLES) await sql.raw(`drop trigger if exists ${table}_notify on ${table}`).execute(db);
    await sql`drop function if exists mteja_notify_credentials()`.execute(db);
  },
};
