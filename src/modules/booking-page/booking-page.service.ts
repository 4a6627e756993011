// The public booking page's rules over the dashboard's: the same hours, overlap and buffer checks (booking.service.ts)
// plus a minimum notice and a booking window; a booking finds or makes its customer by email, and its manage link
// cancels or moves it until the minimum notice.
import { inTransaction, type Queryable } from '../../db/engine.js';
import { getRow } from '../../db/records.js';
import type { AppointmentTable, BookingTable } from '../../db/schema.js';
import { AppError, conflict, invalid, notFound, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { wallClock, zonedInstant } from '../appointment/availability.js';
import type { Booking } from '../booking/booking.schema.js';
import {
  freeSlotsOf,
  lockAppointment,
  rescheduleBooking,
  scheduleBooking,
  slotCandidates,
} from '../booking/booking.service.js';
import { createCustomer } from '../customer/customer.store.js';
import type { BookBody, Managed } from './booking-page.schema.js';
import { readManageToken } from './manage-token.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Page {
  business: { id: string; slug: string; name: string };
  type: AppointmentTable;
}

/** An active type's page by its slugs; undefined for an unknown, inactive or archived one. */
export async function findPage(db: Queryable, businessSlug: string, typeSlug: string): Promise<Page | undefined> {
  const business = await db
    .selectFrom('businesses')
    .select(['id', 'slug', 'name'])
    .where('slug', '=', businessSlug)
    .executeTakeFirst();
  if (!business) return undefined;
  const type = await db
    .selectFrom('appointments')
    .selectAll()
    .where('businessid', '=', business.id)
    .where('slug', '=', typeSlug)
    .where('status', '=', 'active')
    .where('active', '=', 1)
    .executeTakeFirst();
  return type && { business, type };
}

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** The instants a page may offer: after the minimum notice, before the end of the booking window. */
function bookable(type: AppointmentTable, now: number) {
  return { after: now + type.minnoticeminutes * MINUTE, before: now + type.windowdays * DAY };
}

/**
 * The free times of `days` days from `from`, days counted in `timezone` (the visitor's): the type's free slots on
 * the local days of its own zone that those cover, within the notice and the window.
 */
export async function pageSlots(
  db: Queryable,
  type: AppointmentTable,
  from: string,
  days: number,
  timezone: string,
  now = Date.now(),
  exclude?: string,
) {
  const limits = bookable(type, now);
  const after = Math.max(limits.after, +zonedInstant(from, '00:00', timezone) - 1);
  const before = Math.min(limits.before, +zonedInstant(addDays(from, days), '00:00', timezone));
  if (before <= after) return [];
  const dates: string[] = [];
  const last = wallClock(before - 1, type.timezone).date;
  for (let date = wallClock(after + 1, type.timezone).date; date <= last; date = addDays(date, 1)) dates.push(date);
  const slots = await freeSlotsOf(db, type, dates, after, exclude);
  return slots.filter((slot) => Date.parse(slot.starttime) < before);
}

/** The slot starting at `starttime` when the page offers it (free or not): 400 naming the field otherwise. */
function offeredSlot(type: AppointmentTable, starttime: string, now: number) {
  const start = new Date(starttime);
  const { after, before } = bookable(type, now);
  const slot =
    +start < before
      ? slotCandidates(type, [wallClock(start, type.timezone).date], after).find(
          (c) => c.starttime === start.toISOString(),
        )
      : undefined;
  if (!slot) throw invalid(SUBMISSION_PROBLEMS, { starttime: 'That time is not offered on this page' });
  return slot;
}

/** The overlap check's 409 names the booking in the way; the public side only learns the time is gone. */
function taken(error: unknown): never {
  if (error instanceof AppError && error.status === 409) throw conflict('That time is no longer available');
  throw error;
}

/** The customer with this email in the business (case-insensitively), or a new one from the page. */
async function customerFor(db: Queryable, businessId: string, body: BookBody, currency: string) {
  const found = await db
    .selectFrom('customers')
    .select('id')
    .where('businessid', '=', businessId)
    .where('emailkey', '=', body.email.toLowerCase())
    .executeTakeFirst();
  if (found) return found.id;
  // The customer record requires a phone and a country; the page asks only for the phone, so unknown ones stay "".
  const customer = await createCustomer(
    db,
    businessId,
    { name: body.name, email: body.email, phone: body.phone ?? '', country: '', currency },
    'booking_page',
  );
  return customer._id;
}

/**
 * Books an offered time for a visitor: under the type's lock (booking.service.ts), the customer is found or made
 * and the booking checked and written as the dashboard's are, in one transaction. 409 when the time was taken.
 */
export async function bookOnPage(db: Queryable, page: Page, body: BookBody, now = Date.now()): Promise<Booking> {
  const { type } = page;
  const slot = offeredSlot(type, body.starttime, now);
  const businessId = page.business.id;
  return inTransaction(db, async (trx) => {
    await lockAppointment(trx, businessId, type.id);
    const customerid = await customerFor(trx, businessId, body, type.currency);
    return scheduleBooking(
      trx,
      businessId,
      {
        title: `${type.title}: ${body.name}`,
        starttime: slot.starttime,
        endtime: slot.endtime,
        type: type.category as Booking['type'],
        appointmentid: type.id,
        customerid,
        attendee: { name: body.name, email: body.email, phone: body.phone ?? null },
        location: type.location,
        notes: body.notes ?? null,
      },
      'booking_page',
    ).catch(taken);
  });
}

export interface Manageable {
  businessId: string;
  booking: BookingTable;
  type: AppointmentTable;
}

/** The booking a manage link names, with its type; 404 for a bad token or a booking gone or not from a type. */
export async function manageable(db: Queryable, token: string): Promise<Manageable> {
  const named = await readManageToken(db, token);
  const booking = named && (await getRow<BookingTable>(db, 'bookings', named.businessId, named.bookingId));
  const type =
    booking?.appointmentid &&
    (await getRow<AppointmentTable>(db, 'appointments', booking.businessid, booking.appointmentid));
  if (!named || !booking || !type) throw notFound('Booking');
  return { businessId: named.businessId, booking, type };
}

/** Until the minimum notice before its start, a scheduled booking may be cancelled or moved through its link. */
export const changeable = ({ booking, type }: Manageable, now = Date.now()) =>
  booking.status === 'scheduled' && Date.parse(booking.starttime) - now >= type.minnoticeminutes * MINUTE;

export function managedView(m: Manageable, manageurl: string, now = Date.now()): Managed {
  return {
    _id: m.booking.id,
    starttime: m.booking.starttime,
    endtime: m.booking.endtime,
    status: m.booking.status as Managed['status'],
    manageurl,
    title: m.type.title,
    duration: m.type.duration,
    location: m.booking.location,
    timezone: m.type.timezone,
    changeable: changeable(m, now),
  };
}

function requireChangeable(m: Manageable, now: number) {
  if (!changeable(m, now))
    throw conflict(
      m.booking.status === 'scheduled'
        ? `This booking starts in less than ${m.type.minnoticeminutes} minutes and can no longer be changed here`
        : `This booking is ${m.booking.status}`,
    );
}

export async function cancelOnPage(db: Queryable, m: Manageable, now = Date.now()) {
  requireChangeable(m, now);
  await rescheduleBooking(db, m.businessId, m.booking.id, { status: 'cancelled' });
}

/** Moves the booking to another offered time, checked as a new booking would be (itself aside). */
export async function moveOnPage(db: Queryable, m: Manageable, starttime: string, now = Date.now()) {
  requireChangeable(m, now);
  const slot = offeredSlot(m.type, starttime, now);
  await rescheduleBooking(db, m.businessId, m.booking.id, slot).catch(taken);
}
