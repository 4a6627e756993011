// Booking storage: end after start, the appointment type and customer must be the business's; read with both nested.

import { inTransaction, type Queryable } from '../../db/engine.js';
import { newId, now, toTimestamp } from '../../db/ids.js';
import { getRow, insertRow, listPage, recordBase, updateRow } from '../../db/records.js';
import type { BookingTable } from '../../db/schema.js';
import { matchesSearch, searchText } from '../../db/search.js';
import { invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { type FilterValues, filterConditions, type Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { appointmentRefs, requireAppointment } from '../appointment/appointment.store.js';
import { customerRefs, requireCustomer } from '../customer/customer.store.js';
import { recordCreated, updateWithEvents } from '../event/event.store.js';
import {
  BOOKING_FILTERS,
  BOOKING_SEARCH_FIELDS,
  type Booking,
  type BookingCreate,
  type BookingUpdate,
} from './booking.schema.js';

const derived = (row: Pick<BookingTable, (typeof BOOKING_SEARCH_FIELDS)[number]>) => ({
  searchtext: searchText(BOOKING_SEARCH_FIELDS.map((field) => row[field])),
});
const attendeeJson = (attendee: BookingCreate['attendee']) =>
  attendee
    ? JSON.stringify({ name: attendee.name ?? null, email: attendee.email ?? null, phone: attendee.phone ?? null })
    : null;

function toBooking(row: BookingTable, appointment: Booking['appointment'], customer: Booking['customer']): Booking {
  return {
    _id: row.id,
    title: row.title,
    description: row.description,
    status: row.status as Booking['status'],
    starttime: row.starttime,
    endtime: row.endtime,
    allday: row.allday === 1,
    type: row.type as Booking['type'],
    appointmentid: row.appointmentid,
    appointment,
    customerid: row.customerid,
    customer,
    attendee: row.attendee === null ? null : JSON.parse(row.attendee),
    location: row.location,
    meetinglink: row.meetinglink,
    notes: row.notes,
    ...recordBase(row),
  };
}

/**
 * The tables a booking shows: its own, its appointment type's and its customer's, which withRefs nests. Its routes
 * keep a read answer until one of them changes, so the list stands here, beside the code that nests.
 */
export const BOOKING_TABLES = ['bookings', 'appointments', 'customers'] as const;

async function withRefs(db: Queryable, businessId: string, rows: BookingTable[]) {
  const appointments = await appointmentRefs(
    db,
    businessId,
    rows.map((r) => r.appointmentid),
  );
  const customers = await customerRefs(
    db,
    businessId,
    rows.map((r) => r.customerid),
  );
  return rows.map((row) =>
    toBooking(
      row,
      (row.appointmentid && appointments.get(row.appointmentid)) || null,
      (row.customerid && customers.get(row.customerid)) || null,
    ),
  );
}

export async function createBooking(
  db: Queryable,
  businessId: string,
  input: BookingCreate,
  origin: SourceOrigin,
  at = now(),
): Promise<Booking> {
  const starttime = toTimestamp(input.starttime)!;
  const endtime = toTimestamp(input.endtime)!;
  if (endtime <= starttime) throw invalid(SUBMISSION_PROBLEMS, { endtime: 'End time must be after the start time' });
  const id = newId();
  return inTransaction(db, async (trx) => {
    await requireCustomer(trx, businessId, input.customerid);
    if (input.appointmentid != null) await requireAppointment(trx, businessId, input.appointmentid);
    const row: BookingTable = {
      businessid: businessId,
      id,
      title: input.title,
      description: input.description ?? null,
      status: input.status ?? 'scheduled',
      starttime,
      endtime,
      allday: input.allday ? 1 : 0,
      type: input.type,
      appointmentid: input.appointmentid ?? null,
      customerid: input.customerid ?? null,
      attendee: attendeeJson(input.attendee),
      location: input.location ?? null,
      meetinglink: input.meetinglink ?? null,
      notes: input.notes ?? null,
      active: 1,
      sourceorigin: origin,
      searchtext: derived({ title: input.title, description: input.description ?? null }).searchtext,
      createdat: at,
      updatedat: at,
    };
    await insertRow(trx, 'bookings', row);
    const booking = (await getBooking(trx, businessId, id))!;
    await recordCreated(trx, businessId, 'booking', booking);
    return booking;
  });
}

export async function getBooking(db: Queryable, businessId: string, id: string): Promise<Booking | undefined> {
  const row = await getRow<BookingTable>(db, 'bookings', businessId, id);
  return row && (await withRefs(db, businessId, [row]))[0];
}

export async function listBookings(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof BOOKING_FILTERS>,
) {
  const { rows, total, next } = await listPage<BookingTable>(db, 'bookings', businessId, {
    ...paging,
    where: filterConditions(BOOKING_FILTERS, query),
  });
  return { records: await withRefs(db, businessId, rows), total, next };
}

/**
 * The same filters in time order (soonest first, or latest first with `desc`), for the dashboard's agenda;
 * the API's list keeps the contract's newest-created-first order.
 */
export async function listBookingsByTime(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof BOOKING_FILTERS>,
  direction: 'asc' | 'desc',
) {
  let base = db.selectFrom('bookings').where('businessid', '=', businessId);
  for (const { column, op, value } of filterConditions(BOOKING_FILTERS, query))
    base = base.where(column as 'starttime', op, value as string);
  if (paging.search !== undefined) base = base.where(matchesSearch(db, 'bookings', businessId, paging.search));
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('starttime', direction)
    .orderBy('id', direction)
    .limit(paging.limit)
    .offset((paging.page - 1) * paging.limit)
    .execute();
  return { records: await withRefs(db, businessId, rows), total: Number(total) };
}

/** Applies an edit as given (booking.service.ts checks slots and statuses first); undefined when the booking does not exist. */
export async function updateBooking(db: Queryable, businessId: string, id: string, patch: BookingUpdate) {
  const changes: Partial<BookingTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'starttime' || key === 'endtime') changes[key] = toTimestamp(value as string)!;
    else if (key === 'allday') changes.allday = value ? 1 : 0;
    else if (key === 'attendee') changes.attendee = attendeeJson(patch.attendee);
    else (changes as Record<string, unknown>)[key] = value;
  }
  return updateWithEvents(
    db,
    businessId,
    'booking',
    id,
    getBooking,
    async (trx) => {
      if (changes.customerid) await requireCustomer(trx, businessId, changes.customerid);
      if (changes.appointmentid) await requireAppointment(trx, businessId, changes.appointmentid);
      return updateRow<BookingTable>(trx, 'bookings', businessId, id, changes, derived);
    },
    (before, after) => (after.status === 'cancelled' && before.status !== 'cancelled' ? ['booking.cancelled'] : []),
  );
}

/** The next scheduled bookings from `from`, soonest first, with their type and customer nested. */
export async function upcomingBookings(
  db: Queryable,
  businessId: string,
  from: string,
  limit: number,
): Promise<Booking[]> {
  const rows = await db
    .selectFrom('bookings')
    .selectAll()
    .where('businessid', '=', businessId)
    .where('status', '=', 'scheduled')
    .where('starttime', '>=', from)
    .orderBy('starttime')
    .orderBy('id')
    .limit(limit)
    .execute();
  return withRefs(db, businessId, rows);
}
