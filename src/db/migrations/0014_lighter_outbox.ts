// A lighter outbox: events and deliveries lose their index on age alone. Every write made an event, and every event
// a subscribed endpoint wants a delivery, each paying for that index on the API's event loop, for an hourly clean-up
// that can go business by business along the indexes each table already has (businessid first).
import type { Kysely, Migration } from 'kysely';

export const lighterOutbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('events_by_age').execute();
    await db.schema.dropIndex('webhook_deliveries_by_age').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.createIndex('events_by_age').on('events').column('createdat').execute();
    await db.schema.createIndex('webhook_deliveries_by_age').on('webhook_deliveries').column('createdat').execute();
  },
};
