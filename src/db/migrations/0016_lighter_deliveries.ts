// A lighter delivery: deliveries lose their index by event. Every write an endpoint wants inserts a delivery, paying
// for each of its indexes on the API's event loop and with a page in each group commit, while that index served only
// the dashboard's event page and the hourly clean-up. A delivery's createdat is its event's, so both go along the
// index by endpoint instead (businessid, endpointid, createdat): the business's few endpoints, at the event's instant.
import type { Kysely, Migration } from 'kysely';

export const lighterDeliveries: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('webhook_deliveries_by_event').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema
      .createIndex('webhook_deliveries_by_event')
      .on('webhook_deliveries')
      .columns(['businessid', 'eventid'])
      .execute();
  },
};
