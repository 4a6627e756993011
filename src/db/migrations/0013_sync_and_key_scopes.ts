// Sync and keys that can do less: an index per record table for `updatedsince` (oldest change first, O(limit) at
// any depth), a credential's scopes and allowed origins, and when each credential was last used, kept apart from
// the credentials so that noting a use does not move the credentials version every cached caller is tagged with.
import type { Kysely, Migration } from 'kysely';
import { textType } from './0001_init.js';

/** The record tables as they were when this migration was written (frozen: not the live list). */
const TABLES = ['customers', 'leads', 'contacts', 'quotes', 'contracts', 'appointments', 'bookings'];

export const syncAndKeyScopes: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    for (const table of TABLES) {
      await db.schema.createIndex(`${table}_updated`).on(table).columns(['businessid', 'updatedat', 'id']).execute();
    }
    // Comma-separated; null is full access (scopes) or no browser origin (origins).
    await db.schema.alterTable('credentials').addColumn('scopes', T).execute();
    await db.schema.alterTable('credentials').addColumn('origins', T).execute();
    await db.schema
      .createTable('credential_usage')
      .addColumn('clientid', T, (c) => c.primaryKey())
      .addColumn('lastusedat', T, (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('credential_usage').execute();
    await db.schema.alterTable('credentials').dropColumn('origins').execute();
    await db.schema.alterTable('credentials').dropColumn('scopes').execute();
    for (const table of TABLES) await db.schema.dropIndex(`${table}_updated`).execute();
  },
};
