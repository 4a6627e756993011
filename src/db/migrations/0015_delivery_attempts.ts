// Every attempt of a delivery kept: a delivery row logged only its last attempt, so a 500 followed by a 200 left no
// trace of the 500. The attempts before the last are kept beside it as a JSON array, oldest first (null: none).
import type { Kysely, Migration } from 'kysely';
import { textType } from './0001_init.js';

export const deliveryAttempts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_deliveries').addColumn('earlierattempts', textType(db)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_deliveries').dropColumn('earlierattempts').execute();
  },
};
