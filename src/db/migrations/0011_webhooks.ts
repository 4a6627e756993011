// Webhooks: events (kept 30 days), endpoints per business and the delivery outbox. A credential's webhook URL
// becomes an endpoint for every event, with a new secret (credentials had none).
import { type Kysely, type Migration, sql } from 'kysely';
import { textType } from './0001_init.js';

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
const secret = () => `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;

export const webhooks: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    await db.schema
      .createTable('events')
      .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
      .addColumn('id', T, (c) => c.notNull())
      .addColumn('type', T, (c) => c.notNull())
      .addColumn('body', T, (c) => c.notNull())
      .addColumn('createdat', T, (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pkey', ['businessid', 'id'])
      .execute();
    await db.schema.createIndex('events_list').on('events').columns(['businessid', 'createdat', 'id']).execute();
    await db.schema
      .createIndex('events_by_type')
      .on('events')
      .columns(['businessid', 'type', 'createdat', 'id'])
      .execute();
    await db.schema.createIndex('events_by_age').on('events').column('createdat').execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
      .addColumn('id', T, (c) => c.notNull())
      .addColumn('url', T, (c) => c.notNull())
      .addColumn('events', T, (c) => c.notNull())
      .addColumn('description', T)
      .addColumn('status', T, (c) => c.notNull())
      .addColumn('disabledreason', T)
      .addColumn('secret', T, (c) => c.notNull())
      .addColumn('previoussecret', T)
      .addColumn('previousuntil', T)
      .addColumn('credentialid', T)
      .addColumn('failingsince', T)
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('updatedat', T, (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_endpoints_pkey', ['businessid', 'id'])
      .execute();
    await db.schema.createIndex('webhook_endpoints_by_id').on('webhook_endpoints').column('id').unique().execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', T, (c) => c.primaryKey())
      .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
      .addColumn('endpointid', T, (c) => c.notNull())
      .addColumn('eventid', T, (c) => c.notNull())
      .addColumn('eventtype', T, (c) => c.notNull())
      .addColumn('status', T, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('nextattemptat', T)
      .addColumn('leaseuntil', T)
      .addColumn('lastattemptat', T)
      .addColumn('responsestatus', 'integer')
      .addColumn('responsebody', T)
      .addColumn('latencyms', 'integer')
      .addColumn('error', T)
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('updatedat', T, (c) => c.notNull())
      .execute();
    // The sender's claim reads only pending deliveries, across businesses, oldest due first.
    await sql`create index webhook_deliveries_due on webhook_deliveries (nextattemptat) where status = 'pending'`.execute(
      db,
    );
    await db.schema
      .createIndex('webhook_deliveries_by_endpoint')
      .on('webhook_deliveries')
      .columns(['businessid', 'endpointid', 'createdat', 'id'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_by_event')
      .on('webhook_deliveries')
      .columns(['businessid', 'eventid'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_by_age').on('webhook_deliveries').column('createdat').execute();

    // Credentials' webhook URLs, set before webhooks were sent, become endpoints for every event.
    const credentials = await sql<{
      clientid: string;
      businessid: string;
      webhookurl: string;
      revokedat: string | null;
    }>`
      select clientid, businessid, webhookurl, revokedat from credentials where webhookurl is not null`.execute(db);
    const at = new Date().toISOString();
    for (const c of credentials.rows) {
      const status = c.revokedat === null ? 'enabled' : 'disabled';
      const reason = c.revokedat === null ? null : 'Its credential was revoked';
      await sql`insert into webhook_endpoints (businessid, id, url, events, description, status, disabledreason, secret,
        credentialid, createdat, updatedat) values (${c.businessid}, ${hex(12)}, ${c.webhookurl}, ${'["*"]'},
        ${'Webhook URL of a credential'}, ${status}, ${reason}, ${secret()}, ${c.clientid}, ${at}, ${at})`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_endpoints').execute();
    await db.schema.dropTable('events').execute();
  },
};
