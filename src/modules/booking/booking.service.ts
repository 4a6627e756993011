// Booking slots: a booking of an appointment type must sit inside the type's weekly hours and must not overlap
// another booking of that type (its buffer included). Checked in the transaction that writes, under a lock on the type.
import { engineOf, inTransaction, type Queryable } from '../../db/engine.js';
import { toTimestamp } from '../../db/ids.js';
import { getRow } from '../../db/records.js';
import type { AppointmentTable, BookingTable } from '../../db/schema.js';
import { AppError, invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { requireAppointment } from '../appointment/appointment.store.js';
import {
  type AvailabilityWindow,
  describeDay,
  fitsAvailability,
  minutesOf,
  timeOf,
  wallClock,
  weekdayOf,
  windowsOn,
  zonedInstant,
} from '../appointment/availability.js';
import { checkTransition } from '../transitions.js';
import { BOOKING_TRANSITIONS, type Booking, type BookingCreate, type BookingUpdate } from './booking.schema.js';
import { createBooking, updateBooking } from './booking.store.js';

const MINUTE = 60_000;

interface Slot {
  appointmentid: string;
  starttime: string;
  endtime: string;
  /** The booking being moved, which cannot overlap itself. */
  exclude?: string;
}

/** The type, locked until the transaction ends on PostgreSQL (SQLite runs one writer at a time already). */
export async function lockAppointment(trx: Queryable, businessId: string, id: string): Promise<AppointmentTable> {
  if (engineOf(trx) === 'postgres') {
    await trx
      .selectFrom('appointments')
      .select('id')
      .where('businessid', '=', businessId)
      .where('id', '=', id)
      .forUpdate()
      .execute();
  }
  return requireAppointment(trx, businessId, id);
}

/** Bookings of a type that hold time in [from, to): every status but cancelled. */
function bookingsBetween(
  trx: Queryable,
  businessId: string,
  appointmentId: string,
  from: string,
  to: string,
  exclude?: string,
) {
  let query = trx
    .selectFrom('bookings')
    .select(['id', 'title', 'starttime', 'endtime'])
    .where('businessid', '=', businessId)
    .where('appointmentid', '=', appointmentId)
    .where('status', '!=', 'cancelled')
    .where('starttime', '<', to)
    .where('endtime', '>', from)
    .orderBy('starttime');
  if (exclude) query = query.where('id', '!=', exclude);
  return query.execute();
}

const shifted = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/** 400 when the slot is outside the type's hours or the type is not bookable; 409 when it overlaps another booking. */
async function checkSlot(trx: Queryable, businessId: string, slot: Slot) {
  const type = await lockAppointment(trx, businessId, slot.appointmentid);
  if (type.status !== 'active')
    throw invalid(SUBMISSION_PROBLEMS, { appointmentid: `${type.title} is ${type.status} and takes no bookings` });
  const availability = JSON.parse(type.availability) as AvailabilityWindow[];
  const start = new Date(slot.starttime);
  if (!fitsAvailability(availability, start, new Date(slot.endtime), type.timezone)) {
    const day = wallClock(start, type.timezone).day;
    throw invalid(SUBMISSION_PROBLEMS, {
      starttime: `Outside the hours of ${type.title}: ${describeDay(availability, day)} (${type.timezone})`,
    });
  }
  const buffer = type.bufferminutes;
  const [other] = await bookingsBetween(
    trx,
    businessId,
    type.id,
    shifted(slot.starttime, -buffer),
    shifted(slot.endtime, buffer),
    slot.exclude,
  );
  if (other) {
    const at = (iso: string) => timeOf(wallClock(new Date(iso), type.timezone).minutes);
    const gap = buffer > 0 ? `, and ${buffer} minutes are kept free around each booking` : '';
    throw new AppError(409, 'This time is already booked', {
      starttime: `Overlaps “${other.title}” (${at(other.starttime)}–${at(other.endtime)} ${type.timezone})${gap}`,
    });
  }
}

/** Creates a booking from the dashboard; a booking of an appointment type is checked against its hours and other bookings. */
export async function scheduleBooking(
  db: Queryable,
  businessId: string,
  input: BookingCreate,
  origin: SourceOrigin,
): Promise<Booking> {
  return inTransaction(db, async (trx) => {
    const status = input.status ?? 'scheduled';
    if (input.appointmentid && status !== 'cancelled') {
      await checkSlot(trx, businessId, {
        appointmentid: input.appointmentid,
        starttime: toTimestamp(input.starttime)!,
        endtime: toTimestamp(input.endtime)!,
      });
    }
    return createBooking(trx, businessId, input, origin);
  });
}

/**
 * Edits a booking: the status moves along BOOKING_TRANSITIONS, the end stays after the start, and a booking that
 * holds time (moved, given another type, or taken back from cancelled) is checked as a new one would be.
 */
export async function rescheduleBooking(db: Queryable, businessId: string, id: string, patch: BookingUpdate) {
  return inTransaction(db, async (trx) => {
    const current = await getRow<BookingTable>(trx, 'bookings', businessId, id);
    if (!current) return undefined;
    const status = patch.status ?? (current.status as Booking['status']);
    checkTransition('booking', BOOKING_TRANSITIONS, current.status as Booking['status'], status);
    const next = {
      appointmentid: patch.appointmentid !== undefined ? patch.appointmentid : current.appointmentid,
      starttime: patch.starttime ? toTimestamp(patch.starttime)! : current.starttime,
      endtime: patch.endtime ? toTimestamp(patch.endtime)! : current.endtime,
    };
    if (next.endtime <= next.starttime)
      throw invalid(SUBMISSION_PROBLEMS, { endtime: 'End time must be after the start time' });
    const moved =
      next.starttime !== current.starttime ||
      next.endtime !== current.endtime ||
      next.appointmentid !== current.appointmentid;
    const reopened = current.status === 'cancelled' && status !== 'cancelled';
    if (next.appointmentid && status !== 'cancelled' && (moved || reopened)) {
      await checkSlot(trx, businessId, {
        appointmentid: next.appointmentid,
        starttime: next.starttime,
        endtime: next.endtime,
        exclude: id,
      });
    }
    return updateBooking(trx, businessId, id, patch);
  });
}

/**
 * The start times a type offers on some local days (its zone's), ignoring bookings: every (duration + buffer, rounded
 * up to 15 minutes) from the start of each window, ending inside it, after `after`. A local time a DST jump skips
 * is no start time.
 */
export function slotCandidates(type: AppointmentTable, dates: readonly string[], after: number) {
  const availability = JSON.parse(type.availability) as AvailabilityWindow[];
  const step = Math.ceil((type.duration + type.bufferminutes) / 15) * 15;
  const candidates: { starttime: string; endtime: string }[] = [];
  for (const date of dates) {
    for (const window of windowsOn(availability, weekdayOf(date))) {
      for (let m = minutesOf(window.start); m + type.duration <= minutesOf(window.end); m += step) {
        const start = zonedInstant(date, timeOf(m), type.timezone);
        if (+start <= after || wallClock(start, type.timezone).minutes !== m) continue;
        candidates.push({
          starttime: start.toISOString(),
          endtime: new Date(+start + type.duration * MINUTE).toISOString(),
        });
      }
    }
  }
  return candidates.sort((a, b) => (a.starttime < b.starttime ? -1 : 1));
}

/**
 * The free start times of a type on some local days: its candidates (slotCandidates) that overlap no booking, its
 * buffer included. The dashboard's form asks for one day, the public booking page for a month.
 */
export async function freeSlotsOf(
  db: Queryable,
  type: AppointmentTable,
  dates: readonly string[],
  after = Date.now(),
  exclude?: string,
) {
  if (type.status !== 'active') return [];
  const candidates = slotCandidates(type, dates, after);
  if (candidates.length === 0) return [];
  const buffer = type.bufferminutes;
  const taken = await bookingsBetween(
    db,
    type.businessid,
    type.id,
    shifted(candidates[0].starttime, -buffer),
    shifted(candidates[candidates.length - 1].endtime, buffer),
    exclude,
  );
  return candidates.filter(
    (c) => !taken.some((b) => b.starttime < shifted(c.endtime, buffer) && b.endtime > shifted(c.starttime, -buffer)),
  );
}

/** The free start times of a type on one local day, for the dashboard's booking form. */
export async function freeSlots(
  db: Queryable,
  businessId: string,
  appointmentId: string,
  date: string,
  at = Date.now(),
) {
  return freeSlotsOf(db, await requireAppointment(db, businessId, appointmentId), [date], at);
}
