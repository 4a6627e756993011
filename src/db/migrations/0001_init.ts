// The first schema: businesses, credentials and the seven CRM resources, each keyed by business first.
import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

// Column names are checked by the database, not the compiler: builders are typed loosely here.
type Builder = CreateTableBuilder<string, string>;
type Columns = (table: Builder) => Builder;

/**
 * Text compares byte by byte on both engines: SQLite's default, and collation "C" on PostgreSQL, so that ids and
 * ISO timestamps sort the same everywhere and whatever the database's locale.
 */
export function textType(db: Kysely<unknown>): Parameters<Builder['addColumn']>[1] {
  return engineOf(db) === 'postgres' ? sql`text collate "C"` : 'text';
}

/** A business-owned table: (businessid, id) primary key, the columns every record has, and the newest-first list index. */
async function recordTable(db: Kysely<unknown>, name: string, columns: Columns, filters: string[]) {
  const T = textType(db);
  let table = db.schema
    .createTable(name)
    .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
    .addColumn('id', T, (c) => c.notNull());
  table = columns(table)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sourceorigin', T, (c) => c.notNull())
    .addColumn('searchtext', T, (c) => c.notNull())
    .addColumn('createdat', T, (c) => c.notNull())
    .addColumn('updatedat', T, (c) => c.notNull())
    .addPrimaryKeyConstraint(`${name}_pkey`, ['businessid', 'id']);
  await table.execute();
  await db.schema.createIndex(`${name}_list`).on(name).columns(['businessid', 'createdat', 'id']).execute();
  for (const column of filters) {
    await db.schema
      .createIndex(`${name}_by_${column}`)
      .on(name)
      .columns(['businessid', column, 'createdat', 'id'])
      .execute();
  }
}

const customerRef = (t: Builder, name: string) =>
  t.addForeignKeyConstraint(`${name}_customer_fkey`, ['businessid', 'customerid'], 'customers', ['businessid', 'id']);

export const init: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    await db.schema
      .createTable('businesses')
      .addColumn('id', T, (c) => c.primaryKey())
      .addColumn('name', T, (c) => c.notNull())
      .addColumn('plan', T, (c) => c.notNull())
      .addColumn('ratelimits', T)
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('updatedat', T, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('credentials')
      .addColumn('clientid', T, (c) => c.primaryKey())
      .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
      .addColumn('name', T, (c) => c.notNull())
      .addColumn('type', T, (c) => c.notNull())
      .addColumn('webhookurl', T)
      .addColumn('secrethash', T, (c) => c.notNull().unique())
      .addColumn('secretprefix', T, (c) => c.notNull())
      .addColumn('secretlast4', T, (c) => c.notNull())
      .addColumn('revokedat', T)
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('updatedat', T, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('credentials_by_business')
      .on('credentials')
      .columns(['businessid', 'createdat'])
      .execute();

    await recordTable(
      db,
      'customers',
      (t) =>
        t
          .addColumn('name', T, (c) => c.notNull())
          .addColumn('email', T, (c) => c.notNull())
          .addColumn('emailkey', T, (c) => c.notNull())
          .addColumn('phone', T, (c) => c.notNull())
          .addColumn('country', T, (c) => c.notNull())
          .addColumn('currency', T, (c) => c.notNull())
          .addColumn('company', T)
          .addColumn('address', T)
          .addColumn('city', T)
          .addColumn('state', T)
          .addColumn('website', T)
          .addColumn('type', T, (c) => c.notNull())
          .addUniqueConstraint('customers_email_key', ['businessid', 'emailkey']),
      ['type', 'active'],
    );

    await recordTable(
      db,
      'leads',
      (t) =>
        customerRef(
          t
            .addColumn('name', T, (c) => c.notNull())
            .addColumn('email', T)
            .addColumn('phone', T)
            .addColumn('company', T)
            .addColumn('jobtitle', T)
            .addColumn('industry', T)
            .addColumn('website', T)
            .addColumn('request', T)
            .addColumn('budget', 'double precision')
            .addColumn('country', T)
            .addColumn('state', T)
            .addColumn('address', T)
            .addColumn('source', T)
            .addColumn('status', T, (c) => c.notNull())
            .addColumn('customerid', T),
          'leads',
        ),
      ['status', 'source'],
    );

    await recordTable(
      db,
      'contacts',
      (t) =>
        t
          .addColumn('name', T, (c) => c.notNull())
          .addColumn('email', T)
          .addColumn('phone', T)
          .addColumn('position', T)
          .addColumn('companyname', T),
      [],
    );

    await recordTable(
      db,
      'quotes',
      (t) =>
        customerRef(
          t
            .addColumn('quoteno', T, (c) => c.notNull())
            .addColumn('title', T, (c) => c.notNull())
            .addColumn('description', T)
            .addColumn('customerid', T)
            .addColumn('items', T, (c) => c.notNull())
            .addColumn('subtotal', 'double precision', (c) => c.notNull())
            .addColumn('discount', 'double precision', (c) => c.notNull())
            .addColumn('tax', 'double precision', (c) => c.notNull())
            .addColumn('total', 'double precision', (c) => c.notNull())
            .addColumn('currency', T, (c) => c.notNull())
            .addColumn('issuedate', T)
            .addColumn('expirydate', T)
            .addColumn('notes', T)
            .addColumn('status', T, (c) => c.notNull())
            .addUniqueConstraint('quotes_quoteno_key', ['businessid', 'quoteno']),
          'quotes',
        ),
      ['status', 'customerid'],
    );

    await recordTable(
      db,
      'contracts',
      (t) =>
        customerRef(
          t
            .addColumn('contractno', T, (c) => c.notNull())
            .addColumn('title', T, (c) => c.notNull())
            .addColumn('type', T)
            .addColumn('description', T)
            .addColumn('customerid', T)
            .addColumn('value', 'double precision', (c) => c.notNull())
            .addColumn('currency', T, (c) => c.notNull())
            .addColumn('startdate', T)
            .addColumn('enddate', T)
            .addColumn('signeddate', T)
            .addColumn('autorenew', 'integer', (c) => c.notNull())
            .addColumn('status', T, (c) => c.notNull())
            .addUniqueConstraint('contracts_contractno_key', ['businessid', 'contractno']),
          'contracts',
        ),
      ['status', 'type', 'customerid'],
    );

    await recordTable(
      db,
      'appointments',
      (t) =>
        t
          .addColumn('title', T, (c) => c.notNull())
          .addColumn('description', T)
          .addColumn('category', T, (c) => c.notNull())
          .addColumn('duration', 'integer', (c) => c.notNull())
          .addColumn('price', 'double precision', (c) => c.notNull())
          .addColumn('currency', T, (c) => c.notNull())
          .addColumn('location', T)
          .addColumn('bookingurl', T)
          .addColumn('timezone', T, (c) => c.notNull())
          .addColumn('availability', T, (c) => c.notNull())
          .addColumn('bufferminutes', 'integer', (c) => c.notNull())
          .addColumn('status', T, (c) => c.notNull()),
      ['status', 'category'],
    );

    await recordTable(
      db,
      'bookings',
      (t) =>
        customerRef(
          t
            .addColumn('title', T, (c) => c.notNull())
            .addColumn('description', T)
            .addColumn('status', T, (c) => c.notNull())
            .addColumn('starttime', T, (c) => c.notNull())
            .addColumn('endtime', T, (c) => c.notNull())
            .addColumn('allday', 'integer', (c) => c.notNull())
            .addColumn('type', T, (c) => c.notNull())
            .addColumn('appointmentid', T)
            .addColumn('customerid', T)
            .addColumn('attendee', T)
            .addColumn('location', T)
            .addColumn('meetinglink', T)
            .addColumn('notes', T)
            .addForeignKeyConstraint('bookings_appointment_fkey', ['businessid', 'appointmentid'], 'appointments', [
              'businessid',
              'id',
            ])
            .addCheckConstraint('bookings_end_after_start', sql`endtime > starttime`),
          'bookings',
        ),
      ['status', 'appointmentid', 'customerid'],
    );
    await db.schema.createIndex('bookings_by_starttime').on('bookings').columns(['businessid', 'starttime']).execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'bookings',
      'appointments',
      'contracts',
      'quotes',
      'contacts',
      'leads',
      'customers',
      'credentials',
      'businesses',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
