// Idempotency keys: the first response to a POST with an Idempotency-Key, kept per business for 24 hours.
import type { Kysely, Migration } from 'kysely';
import { textType } from './0001_init.js';

export const idempotency: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
      .addColumn('key', T, (c) => c.notNull())
      .addColumn('requesthash', T, (c) => c.notNull())
      .addColumn('status', T, (c) => c.notNull())
      .addColumn('responsestatus', 'integer')
      .addColumn('responsebody', T)
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('expiresat', T, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pkey', ['businessid', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_by_expiry').on('idempotency_keys').column('expiresat').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('idempotency_keys').execute();
  },
};
