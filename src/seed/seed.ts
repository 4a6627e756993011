// Seeding: fills a business with fake records through the same stores and services as the API and the dashboard.

import { faker } from '@faker-js/faker';
import { type Kysely, sql, type Transaction } from 'kysely';
import { inTransaction } from '../db/engine.js';
import type { Database } from '../db/schema.js';
import { RECORD_TABLES } from '../db/schema.js';
import { indexAllPendingSearch } from '../db/search-index.js';
import type { SourceOrigin } from '../http/schemas.js';
import type { Appointment } from '../modules/appointment/appointment.schema.js';
import { createAppointment } from '../modules/appointment/appointment.store.js';
import { createBooking } from '../modules/booking/booking.store.js';
import { createContacts } from '../modules/contact/contact.store.js';
import { createContract } from '../modules/contract/contract.store.js';
import type { Customer } from '../modules/customer/customer.schema.js';
import { createCustomers } from '../modules/customer/customer.store.js';
import { createLeads } from '../modules/lead/lead.store.js';
import { createQuote } from '../modules/quote/quote.store.js';
import { FakeData } from './fake.js';

/**
 * What can be seeded: every table of business records, in the order RECORD_TABLES lists them, which is the order
 * they are made in (quotes, contracts and bookings point at customers and appointment types made before them).
 */
export const SEED_KINDS = RECORD_TABLES;

/** How many records of each kind to make: derived from SEED_KINDS, so a kind added there can be counted everywhere. */
export type SeedCounts = Record<(typeof SEED_KINDS)[number], number>;

/** Rows per insert transaction: large enough to be fast, small enough to keep memory flat at a million rows. */
const BATCH = 5000;

async function inBatches(total: number, make: (count: number) => Promise<unknown>, progress?: (done: number) => void) {
  for (let done = 0; done < total; ) {
    const count = Math.min(BATCH, total - done);
    await make(count);
    done += count;
    progress?.(done);
  }
}

/** Seeds a business; quotes, contracts and bookings point at customers made in this run (or none when it made none). */
export async function seedBusiness(
  db: Kysely<Database>,
  businessId: string,
  counts: Partial<SeedCounts>,
  options: { fake?: FakeData; origin?: SourceOrigin; progress?: (kind: string, done: number) => void } = {},
) {
  const fake = options.fake ?? new FakeData();
  const origin = options.origin ?? 'dashboard';
  const sample: Customer[] = [];
  const keep = 1000;

  await inBatches(
    counts.customers ?? 0,
    async (n) => {
      const made = await createCustomers(
        db,
        businessId,
        Array.from({ length: n }, () => fake.customer()),
        'api',
      );
      for (const c of made) if (sample.length < keep) sample.push(c);
    },
    (done) => options.progress?.('customers', done),
  );
  await inBatches(
    counts.leads ?? 0,
    (n) =>
      createLeads(
        db,
        businessId,
        Array.from({ length: n }, () => fake.lead()),
        'api',
      ),
    (done) => options.progress?.('leads', done),
  );
  await inBatches(
    counts.contacts ?? 0,
    (n) =>
      createContacts(
        db,
        businessId,
        Array.from({ length: n }, () => fake.contact()),
        'api',
      ),
    (done) => options.progress?.('contacts', done),
  );

  const someCustomer = () => (sample.length ? faker.helpers.arrayElement(sample) : undefined);
  const run = async (kind: string, total: number, one: (trx: Transaction<Database>, i: number) => Promise<unknown>) => {
    await inTransaction(db, async (trx) => {
      for (let i = 0; i < total; i++) await one(trx, i);
    });
    if (total) options.progress?.(kind, total);
  };
  await run('quotes', counts.quotes ?? 0, (trx) => {
    const c = someCustomer();
    return createQuote(trx, businessId, fake.quote(c?._id, c?.currency ?? 'KES'), origin);
  });
  await run('contracts', counts.contracts ?? 0, (trx) => {
    const c = someCustomer();
    return createContract(trx, businessId, fake.contract(c?._id, c?.currency ?? 'KES'), origin);
  });
  const types: Appointment[] = [];
  await run('appointments', counts.appointments ?? 0, async (trx, i) => {
    types.push(await createAppointment(trx, businessId, fake.appointment(i), origin));
  });
  await run('bookings', types.length ? (counts.bookings ?? 0) : 0, (trx) =>
    createBooking(trx, businessId, fake.booking(faker.helpers.arrayElement(types), someCustomer()), origin),
  );
  // SQLite: the new records go into the trigram index now, in large batches, rather than on the server's clock.
  await indexAllPendingSearch(db);
  // A bulk load leaves the planner's statistics stale (PostgreSQL would scan and sort for a deep page until
  // autovacuum caught up); refresh them now.
  await sql`analyze`.execute(db);
}
