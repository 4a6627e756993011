// Sign-in attempts are recorded before the password is checked (so attempts sent together are all counted), and a
// right password then takes its own attempt back: each attempt gets an id, the same on its address and email rows.
// Rows from before carry none; they were failures, and stay so.
import type { Kysely, Migration } from 'kysely';
import { textType } from './0001_init.js';

export const signinAttemptIds: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('signin_attempts').addColumn('attemptid', textType(db)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('signin_attempts').dropColumn('attemptid').execute();
  },
};
