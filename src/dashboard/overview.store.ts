// The overview's numbers from kept aggregates: counts and the lead pipeline from record_counts (0005), money and
// scheduled bookings per day from kept_sums (0010), so its cost does not grow with the tables. Only the bookings of
// the 14 days ahead (and of the rest of today) are counted, in the (businessid, status, starttime) index.
import { sql } from 'kysely';
import { keptByValue, keptTotal } from '../db/counts.js';
import type { Queryable } from '../db/engine.js';
import { wallClock, zonedInstant } from '../modules/appointment/availability.js';
import { upcomingBookings } from '../modules/booking/booking.store.js';
import { LEAD_STATUSES } from '../modules/lead/lead.schema.js';
import { QUOTE_STATUSES } from '../modules/quote/quote.schema.js';

const DAY = 86_400_000;
/** Days of bookings the overview charts, today included. */
export const AHEAD_DAYS = 14;
/** Leads past the pipeline; every other status is open. */
const CLOSED_LEADS: readonly string[] = ['converted', 'lost'];
/** Quotes still waiting on the customer. */
const OPEN_QUOTES = ['draft', 'sent'];

/** Money grouped by currency: amounts in different currencies are never added together. */
export interface Money {
  currency: string;
  count: number;
  value: number;
}

/** The kept count and money of a table's quotes or contracts, by status and currency (optionally of one status). */
async function keptSums(db: Queryable, table: 'quotes' | 'contracts', businessId: string, status?: string) {
  const { rows } = await sql<{ status: string; bucket: string; n: number | string; cents: number | string }>`
    select status, bucket, sum(n) as n, sum(cents) as cents from kept_sums
    where businessid = ${businessId} and tablename = ${table} ${status ? sql`and status = ${status}` : sql``}
    group by status, bucket having sum(n) <> 0`.execute(db);
  return rows.map((r) => ({ status: r.status, currency: r.bucket, count: Number(r.n), value: Number(r.cents) / 100 }));
}

/**
 * Scheduled bookings from `at` on: the kept per-UTC-day counts of the days after today, plus the rest of today
 * counted in the status and starttime index (one day of bookings at most).
 */
async function upcomingCount(db: Queryable, businessId: string, at: Date) {
  const today = at.toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(today) + DAY).toISOString();
  const [later, rest] = await Promise.all([
    sql<{ n: number | string | null }>`
      select sum(n) as n from kept_sums
      where businessid = ${businessId} and tablename = 'bookings' and status = 'scheduled' and bucket > ${today}`.execute(
      db,
    ),
    db
      .selectFrom('bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('businessid', '=', businessId)
      .where('starttime', '>=', at.toISOString())
      .where('starttime', '<', tomorrow)
      .where('status', '=', 'scheduled')
      .executeTakeFirstOrThrow(),
  ]);
  return Number(later.rows[0]?.n ?? 0) + Number(rest.n);
}

/** The local days from `today` on and the instants they start, per zone and day: Intl is slow enough to keep them. */
const days = new Map<string, { dates: string[]; starts: string[] }>();
function localDays(today: string, timeZone: string) {
  const key = `${timeZone} ${today}`;
  let found = days.get(key);
  if (!found) {
    const dates = Array.from({ length: AHEAD_DAYS + 1 }, (_, i) =>
      new Date(Date.parse(today) + i * DAY).toISOString().slice(0, 10),
    );
    found = { dates, starts: dates.map((date) => zonedInstant(date, '00:00', timeZone).toISOString()) };
    if (days.size >= 256) days.clear();
    days.set(key, found);
  }
  return found;
}

/**
 * Scheduled bookings per local day in `timeZone`, today first: the window's bookings are counted per day by the
 * database (between the instants the local days start) in the status and starttime index, never sent here.
 */
async function bookingsAhead(db: Queryable, businessId: string, timeZone: string, at: Date) {
  const { dates, starts } = localDays(wallClock(at, timeZone).date, timeZone);
  const day = sql<number>`case ${sql.join(
    starts.slice(1, -1).map((start, i) => sql`when starttime < ${start} then ${sql.lit(i)}`),
    sql` `,
  )} else ${sql.lit(AHEAD_DAYS - 1)} end`;
  const counted = await db
    .selectFrom('bookings')
    .select([day.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('businessid', '=', businessId)
    .where('starttime', '>=', starts[0])
    .where('starttime', '<', starts[AHEAD_DAYS])
    .where('status', '=', 'scheduled')
    .groupBy(sql`1`)
    .execute();
  return dates.slice(0, AHEAD_DAYS).map((date, i) => ({
    date,
    count: Number(counted.find((r) => Number(r.day) === i)?.n ?? 0),
  }));
}

/**
 * What the overview at `at` depends on besides the records: the viewer's local day and the next scheduled start.
 * Two instants with the same slot have the same overview while the records are unchanged, so it can be kept.
 */
export async function overviewSlot(db: Queryable, businessId: string, timeZone: string, at: Date) {
  const next = await db
    .selectFrom('bookings')
    .select('starttime')
    .where('businessid', '=', businessId)
    .where('status', '=', 'scheduled')
    .where('starttime', '>=', at.toISOString())
    .orderBy('starttime')
    .limit(1)
    .executeTakeFirst();
  return `${wallClock(at, timeZone).date} ${next?.starttime ?? ''}`;
}

export async function overview(db: Queryable, businessId: string, timeZone: string, at = new Date()) {
  const [customers, contacts, leads, leadStatuses, leadSources, quoteStatuses, quotes, contracts] = await Promise.all([
    keptTotal(db, 'customers', businessId, []),
    keptTotal(db, 'contacts', businessId, []),
    keptTotal(db, 'leads', businessId, []),
    keptByValue(db, 'leads', businessId, 'status'),
    keptByValue(db, 'leads', businessId, 'source'),
    keptByValue(db, 'quotes', businessId, 'status'),
    keptSums(db, 'quotes', businessId),
    keptSums(db, 'contracts', businessId, 'active'),
  ]);
  const [upcomingbookings, bookingsahead, upcoming] = await Promise.all([
    upcomingCount(db, businessId, at),
    bookingsAhead(db, businessId, timeZone, at),
    upcomingBookings(db, businessId, at.toISOString(), 6),
  ]);

  const leadsByStatus = LEAD_STATUSES.map((status) => ({ status, count: leadStatuses.get(status) ?? 0 }));
  // Sources are counted where they are set; the leads without one are the rest of the total.
  const sourced = [...leadSources.values()].reduce((sum, n) => sum + n, 0);
  if ((leads ?? 0) > sourced) leadSources.set('unknown', (leadSources.get('unknown') ?? 0) + (leads ?? 0) - sourced);
  const leadsBySource = [...leadSources]
    .map(([source, count]) => ({ source, count }))
    .sort((a, b) => b.count - a.count || a.source.localeCompare(b.source));
  const rank = (status: string) => QUOTE_STATUSES.indexOf(status as (typeof QUOTE_STATUSES)[number]);

  return {
    counts: {
      customers: customers ?? 0,
      contacts: contacts ?? 0,
      openleads: leadsByStatus.filter((r) => !CLOSED_LEADS.includes(r.status)).reduce((sum, r) => sum + r.count, 0),
      openquotes: OPEN_QUOTES.reduce((sum, status) => sum + (quoteStatuses.get(status) ?? 0), 0),
      activecontracts: contracts.reduce((sum, r) => sum + r.count, 0),
      upcomingbookings,
    },
    leadsbystatus: leadsByStatus,
    leadsbysource: leadsBySource,
    quotevalue: quotes.sort((a, b) => rank(a.status) - rank(b.status) || a.currency.localeCompare(b.currency)),
    activecontractvalue: contracts
      .map(({ currency, count, value }): Money => ({ currency, count, value }))
      .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency)),
    bookingsahead,
    upcoming,
  };
}

export type Overview = Awaited<ReturnType<typeof overview>>;
