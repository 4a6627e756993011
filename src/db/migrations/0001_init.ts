// The first schema: businesses, credentials and the seven CRM resources, each keyed by business first.
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

// Column names are checked by the database, not the compiler: builders are typed loosely here.
type Columns = (table: CreateTableBuilder<string, any>) => CreateTableBuilder<string, any>;

/** A business-owned table: (businessid, id) primary key, the columns every record has, and the newest-first list index. */
async function recordTable(db: Kysely<unknown>, name: string, columns: Columns, filters: string[]) {
  let table = db.schema
    .createTable(name)
    .addColumn('businessid', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('id', 'text', (c) => c.notNull());
  table = columns(table)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sourceorigin', 'text', (c) => c.notNull())
    .addColumn('searchtext', 'text', (c) => c.notNull())
    .addColumn('createdat', 'text', (c) => c.notNull())
    .addColumn('updatedat', 'text', (c) => c.notNull())
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

const customerRef = (t: CreateTableBuilder<string, any>, name: string) =>
  t.addForeignKeyConstraint(`${name}_customer_fkey`, ['businessid', 'customerid'], 'customers', ['businessid', 'id']);

export const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('businesses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('ratelimits', 'text')
      .addColumn('createdat', 'text', (c) => c.notNull())
      .addColumn('updatedat', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('credentials')
      .addColumn('clientid', 'text', (c) => c.primaryKey())
      .addColumn('businessid', 'text', (c) => c.notNull().references('businesses.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('webhookurl', 'text')
      .addColumn('secrethash', 'text', (c) => c.notNull().unique())
      .addColumn('secretprefix', 'text', (c) => c.notNull())
      .addColumn('secretlast4', 'text', (c) => c.notNull())
      .addColumn('revokedat', 'text')
      .addColumn('createdat', 'text', (c) => c.notNull())
      .addColumn('updatedat', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('credentials_by_business').on('credentials').columns(['businessid', 'createdat']).execute();

    await recordTable(
      db,
      'customers',
      (t) =>
        t
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('emailkey', 'text', (c) => c.notNull())
          .addColumn('phone', 'text', (c) => c.notNull())
          .addColumn('country', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('company', 'text')
          .addColumn('address', 'text')
          .addColumn('city', 'text')
          .addColumn('state', 'text')
          .addColumn('website', 'text')
          .addColumn('type', 'text', (c) => c.notNull())
          .addUniqueConstraint('customers_email_key', ['businessid', 'emailkey']),
      ['type', 'active'],
    );

    await recordTable(
      db,
      'leads',
      (t) =>
        customerRef(
          t
            .addColumn('name', 'text', (c) => c.notNull())
            .addColumn('email', 'text')
            .addColumn('phone', 'text')
            .addColumn('company', 'text')
            .addColumn('jobtitle', 'text')
            .addColumn('industry', 'text')
            .addColumn('website', 'text')
            .addColumn('request', 'text')
            .addColumn('budget', 'double precision')
            .addColumn('country', 'text')
            .addColumn('state', 'text')
            .addColumn('address', 'text')
            .addColumn('source', 'text')
            .addColumn('status', 'text', (c) => c.notNull())
            .addColumn('customerid', 'text'),
          'leads',
        ),
      ['status', 'source'],
    );

    await recordTable(
      db,
      'contacts',
      (t) =>
        t
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('phone', 'text')
          .addColumn('position', 'text')
          .addColumn('companyname', 'text'),
      [],
    );

    await recordTable(
      db,
      'quotes',
      (t) =>
        customerRef(
          t
            .addColumn('quoteno', 'text', (c) => c.notNull())
            .addColumn('title', 'text', (c) => c.notNull())
            .addColumn('description', 'text')
            .addColumn('customerid', 'text')
            .addColumn('items', 'text', (c) => c.notNull())
            .addColumn('subtotal', 'double precision', (c) => c.notNull())
            .addColumn('discount', 'double precision', (c) => c.notNull())
            .addColumn('tax', 'double precision', (c) => c.notNull())
            .addColumn('total', 'double precision', (c) => c.notNull())
            .addColumn('currency', 'text', (c) => c.notNull())
            .addColumn('issuedate', 'text')
            .addColumn('expirydate', 'text')
            .addColumn('notes', 'text')
            .addColumn('status', 'text', (c) => c.notNull())
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
            .addColumn('contractno', 'text', (c) => c.notNull())
            .addColumn('title', 'text', (c) => c.notNull())
            .addColumn('type', 'text')
            .addColumn('description', 'text')
            .addColumn('customerid', 'text')
            .addColumn('value', 'double precision', (c) => c.notNull())
            .addColumn('currency', 'text', (c) => c.notNull())
            .addColumn('startdate', 'text')
            .addColumn('enddate', 'text')
            .addColumn('signeddate', 'text')
            .addColumn('autorenew', 'integer', (c) => c.notNull())
            .addColumn('status', 'text', (c) => c.notNull())
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
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('duration', 'integer', (c) => c.notNull())
          .addColumn('price', 'double precision', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('location', 'text')
          .addColumn('bookingurl', 'text')
          .addColumn('timezone', 'text', (c) => c.notNull())
          .addColumn('availability', 'text', (c) => c.notNull())
          .addColumn('bufferminutes', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull()),
      ['status', 'category'],
    );

    await recordTable(
      db,
      'bookings',
      (t) =>
        customerRef(
          t
            .addColumn('title', 'text', (c) => c.notNull())
            .addColumn('description', 'text')
            .addColumn('status', 'text', (c) => c.notNull())
            .addColumn('starttime', 'text', (c) => c.notNull())
            .addColumn('endtime', 'text', (c) => c.notNull())
            .addColumn('allday', 'integer', (c) => c.notNull())
            .addColumn('type', 'text', (c) => c.notNull())
            .addColumn('appointmentid', 'text')
            .addColumn('customerid', 'text')
            .addColumn('attendee', 'text')
            .addColumn('location', 'text')
            .addColumn('meetinglink', 'text')
            .addColumn('notes', 'text')
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
    for (const table of ['bookings', 'appointments', 'contracts', 'quotes', 'contacts', 'leads', 'customers', 'credentials', 'businesses']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
