// Booking storage: end after start, the appointment type and customer must be the business's; read with both nested.
import { equals, getRow, inTransaction, listPage, recordBase, type Condition, type Queryable } from '../../db/records.js';
import { newId, now, toTimestamp } from '../../db/ids.js';
import type { BookingTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import type { Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { appointmentRefs } from '../appointment/appointment.store.js';
import { customerRefs, requireCustomer } from '../customer/customer.store.js';
import type { Booking, BookingCreate, BookingListQuery } from './booking.schema.js';

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

async function withRefs(db: Queryable, businessId: string, rows: BookingTable[]) {
  const appointments = await appointmentRefs(db, businessId, rows.map((r) => r.appointmentid));
  const customers = await customerRefs(db, businessId, rows.map((r) => r.customerid));
  return rows.map((row) =>
    toBooking(
      row,
      (row.appointmentid && appointments.get(row.appointmentid)) || null,
      (row.customerid && customers.get(row.customerid)) || null,
    ),
  );
}

export async function createBooking(db: Queryable, businessId: string, input: BookingCreate, origin: SourceOrigin, at = now()): Promise<Booking> {
  const starttime = toTimestamp(input.starttime)!;
  const endtime = toTimestamp(input.endtime)!;
  if (endtime <= starttime) throw invalid(SUBMISSION_PROBLEMS, { endtime: 'End time must be after the start time' });
  const id = newId();
  await inTransaction(db, async (trx) => {
    await requireCustomer(trx, businessId, input.customerid);
    if (input.appointmentid != null) {
      const found = await trx.selectFrom('appointments').select('id').where('businessid', '=', businessId).where('id', '=', input.appointmentid).executeTakeFirst();
      if (!found) throw invalid(SUBMISSION_PROBLEMS, { appointmentid: 'Appointment not found' });
    }
    const attendee = input.attendee ? { name: input.attendee.name ?? null, email: input.attendee.email ?? null, phone: input.attendee.phone ?? null } : null;
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
      attendee: attendee && JSON.stringify(attendee),
      location: input.location ?? null,
      meetinglink: input.meetinglink ?? null,
      notes: input.notes ?? null,
      active: 1,
      sourceorigin: origin,
      searchtext: searchText([input.title, input.description]),
      createdat: at,
      updatedat: at,
    };
    await trx.insertInto('bookings').values(row).execute();
  });
  return (await getBooking(db, businessId, id))!;
}

export async function getBooking(db: Queryable, businessId: string, id: string): Promise<Booking | undefined> {
  const row = await getRow<BookingTable>(db, 'bookings', businessId, id);
  return row && (await withRefs(db, businessId, [row]))[0];
}

export async function listBookings(db: Queryable, businessId: string, paging: Paging, query: BookingListQuery) {
  const where: Condition[] = equals({ status: query.status, appointmentid: query.appointmentid, customerid: query.customerid });
  if (query.from) where.push({ column: 'starttime', op: '>=', value: toTimestamp(query.from)! });
  if (query.to) where.push({ column: 'starttime', op: '<', value: toTimestamp(query.to)! });
  const { rows, total } = await listPage<BookingTable>(db, 'bookings', businessId, { ...paging, where });
  return { records: await withRefs(db, businessId, rows), total };
}
