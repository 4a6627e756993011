// The dashboard's tables: staff users of a business, their sessions (stored hashed), and failed sign-in attempts.
import type { Kysely, Migration } from 'kysely';
import { textType } from './0001_init.js';

export const dashboard: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    await db.schema
      .createTable('users')
      .addColumn('businessid', T, (c) => c.notNull().references('businesses.id'))
      .addColumn('id', T, (c) => c.notNull())
      .addColumn('email', T, (c) => c.notNull())
      .addColumn('emailkey', T, (c) => c.notNull())
      .addColumn('name', T)
      .addColumn('passwordhash', T, (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('lastsigninat', T)
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('updatedat', T, (c) => c.notNull())
      .addPrimaryKeyConstraint('users_pkey', ['businessid', 'id'])
      // An email signs in to one business: it is the only thing typed at sign-in.
      .addUniqueConstraint('users_email_key', ['emailkey'])
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('idhash', T, (c) => c.primaryKey())
      .addColumn('businessid', T, (c) => c.notNull())
      .addColumn('userid', T, (c) => c.notNull())
      .addColumn('createdat', T, (c) => c.notNull())
      .addColumn('lastseenat', T, (c) => c.notNull())
      .addColumn('expiresat', T, (c) => c.notNull())
      .addForeignKeyConstraint('sessions_user_fkey', ['businessid', 'userid'], 'users', ['businessid', 'id'], (c) =>
        c.onDelete('cascade'),
      )
      .execute();
    await db.schema.createIndex('sessions_by_user').on('sessions').columns(['businessid', 'userid']).execute();
    await db.schema.createIndex('sessions_by_expiry').on('sessions').column('expiresat').execute();

    // Not business data: an attempt names an address or an email that may belong to no one.
    await db.schema
      .createTable('signin_attempts')
      .addColumn('key', T, (c) => c.notNull())
      .addColumn('attemptedat', T, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('signin_attempts_by_key')
      .on('signin_attempts')
      .columns(['key', 'attemptedat'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['signin_attempts', 'sessions', 'users']) await db.schema.dropTable(table).execute();
  },
};
