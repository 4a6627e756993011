// The overview's numbers: counts, the lead pipeline, quote and contract value, and the bookings ahead, from live data.
import { sql } from 'kysely';
import type { Queryable } from '../db/engine.js';
import type { RecordTableName } from '../db/schema.js';
import { wallClock } from '../modules/appointment/availability.js';
import { upcomingBookings } from '../modules/booking/booking.store.js';
import { LEAD_STATUSES } from '../modules/lead/lead.schema.js';

const DAY = 86_400_000;
/** Days of bookings the overview charts, today included. */
export const AHEAD_DAYS = 14;

// The table is chosen at run time, which Kysely cannot type; the conditions use columns the counted tables have.
// biome-ignore lint/suspicious/noExplicitAny: a query over a table chosen at run time has no static type in Kysely.
async function count(db: Queryable, table: RecordTableName, businessId: string, where?: (query: any) => any) {
  let query = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('businessid', '=', businessId);
  if (where) query = where(query);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Money grouped by currency: amounts in different currencies are never added together. */
export interface Money {
  currency: string;
  count: number;
  value: number;
}

export async function overview(db: Queryable, businessId: string, timeZone: string, at = new Date()) {
  const nowIso = at.toISOString();
  const [customers, contacts, openLeads, openQuotes, activeContracts, upcoming] = await Promise.all([
    count(db, 'customers', businessId),
    count(db, 'contacts', businessId),
    count(db, 'leads', businessId, (q) => q.where('status', 'not in', ['converted', 'lost'])),
    count(db, 'quotes', businessId, (q) => q.where('status', 'in', ['draft', 'sent'])),
    count(db, 'contracts', businessId, (q) => q.where('status', '=', 'active')),
    count(db, 'bookings', businessId, (q) => q.where('status', '=', 'scheduled').where('starttime', '>=', nowIso)),
  ]);

  const byStatus = await db
    .selectFrom('leads')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('businessid', '=', businessId)
    .groupBy('status')
    .execute();
  const leadsByStatus = LEAD_STATUSES.map((status) => ({
    status,
    count: Number(byStatus.find((r) => r.status === status)?.n ?? 0),
  }));

  const bySource = await db
    .selectFrom('leads')
    .select(['source', (eb) => eb.fn.countAll<number>().as('n')])
    .where('businessid', '=', businessId)
    .groupBy('source')
    .execute();
  const leadsBySource = bySource
    .map((r) => ({ source: r.source ?? 'unknown', count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.source.localeCompare(b.source));

  const quotes = await db
    .selectFrom('quotes')
    .select(['status', 'currency', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(total)`.as('value')])
    .where('businessid', '=', businessId)
    .groupBy(['status', 'currency'])
    .execute();
  const quoteValue = quotes.map((r) => ({
    status: r.status,
    currency: r.currency,
    count: Number(r.n),
    value: Math.round(Number(r.value) * 100) / 100,
  }));

  const contracts = await db
    .selectFrom('contracts')
    .select(['currency', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(value)`.as('value')])
    .where('businessid', '=', businessId)
    .where('status', '=', 'active')
    .groupBy('currency')
    .execute();
  const activeContractValue: Money[] = contracts
    .map((r) => ({ currency: r.currency, count: Number(r.n), value: Math.round(Number(r.value) * 100) / 100 }))
    .sort((a, b) => b.count - a.count);

  // Bookings per local day ahead, counted in the viewer's time zone.
  const minute = at.getTime() - (at.getTime() % 60_000);
  const startOfToday = minute - wallClock(minute, timeZone).minutes * 60_000;
  const ahead = await db
    .selectFrom('bookings')
    .select('starttime')
    .where('businessid', '=', businessId)
    .where('status', '=', 'scheduled')
    .where('starttime', '>=', new Date(startOfToday).toISOString())
    .where('starttime', '<', new Date(startOfToday + (AHEAD_DAYS + 1) * DAY).toISOString())
    .execute();
  const days = Array.from({ length: AHEAD_DAYS }, (_, i) => ({
    date: wallClock(startOfToday + i * DAY + DAY / 2, timeZone).date,
    count: 0,
  }));
  for (const { starttime } of ahead) {
    const day = days.find((d) => d.date === wallClock(new Date(starttime), timeZone).date);
    if (day) day.count += 1;
  }

  return {
    counts: {
      customers,
      contacts,
      openleads: openLeads,
      openquotes: openQuotes,
      activecontracts: activeContracts,
      upcomingbookings: upcoming,
    },
    leadsbystatus: leadsByStatus,
    leadsbysource: leadsBySource,
    quotevalue: quoteValue,
    activecontractvalue: activeContractValue,
    bookingsahead: days,
    upcoming: await upcomingBookings(db, businessId, nowIso, 6),
  };
}

export type Overview = Awaited<ReturnType<typeof overview>>;
