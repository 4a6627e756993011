// Appointment-type storage; `stats` are computed from the type's bookings in one grouped query per page.
import { sql } from 'kysely';
import { inTransaction, type Queryable } from '../../db/engine.js';
import { mapUniqueViolation } from '../../db/errors.js';
import { newId, now } from '../../db/ids.js';
import { getRow, insertRow, listPage, loadRefs, recordBase, updateRow } from '../../db/records.js';
import type { AppointmentTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { freeSlug, slugify } from '../../db/slugs.js';
import { conflict, invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { type FilterValues, filterConditions, type Paging } from '../../http/list-query.js';
import { roundMoney, type SourceOrigin } from '../../http/schemas.js';
import { recordCreated, updateWithEvents } from '../event/event.store.js';
import {
  APPOINTMENT_FILTERS,
  APPOINTMENT_SEARCH_FIELDS,
  type Appointment,
  type AppointmentCreate,
  type AppointmentStats,
  type AppointmentUpdate,
} from './appointment.schema.js';

const EMPTY_STATS: AppointmentStats = {
  totalbookings: 0,
  upcoming: 0,
  completed: 0,
  cancelled: 0,
  noshow: 0,
  completionrate: 0,
};

/**
 * Where a business's booking pages live: `publicUrl` (PUBLIC_URL, or the server's own address) + /book/{slug}. Read
 * once per answer; an empty `publicUrl` (the CLI's seeding) gives the path alone.
 */
export async function pagesBase(db: Queryable, businessId: string, publicUrl: string): Promise<string> {
  const business = await db.selectFrom('businesses').select('slug').where('id', '=', businessId).executeTakeFirst();
  return `${publicUrl}/book/${business?.slug ?? ''}`;
}

function toAppointment(row: AppointmentTable, stats: AppointmentStats, pages: string): Appointment {
  return {
    _id: row.id,
    title: row.title,
    description: row.description,
    category: row.category as Appointment['category'],
    duration: row.duration,
    price: row.price,
    currency: row.currency,
    location: row.location,
    bookingurl: row.externalurl ?? `${pages}/${row.slug}`,
    externalurl: row.externalurl,
    slug: row.slug,
    timezone: row.timezone,
    availability: JSON.parse(row.availability),
    bufferminutes: row.bufferminutes,
    minnoticeminutes: row.minnoticeminutes,
    windowdays: row.windowdays,
    status: row.status as Appointment['status'],
    stats,
    ...recordBase(row),
  };
}

/** Booking statistics per appointment type, for the given types, in one query. */
export async function appointmentStats(
  db: Queryable,
  businessId: string,
  ids: string[],
): Promise<Map<string, AppointmentStats>> {
  const stats = new Map<string, AppointmentStats>();
  if (ids.length === 0) return stats;
  const at = now();
  const rows = await db
    .selectFrom('bookings')
    .select((eb) => [
      'appointmentid',
      eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when status = 'scheduled' and starttime > ${at} then 1 else 0 end)`.as('upcoming'),
      sql<number>`sum(case when status = 'completed' then 1 else 0 end)`.as('completed'),
      sql<number>`sum(case when status = 'cancelled' then 1 else 0 end)`.as('cancelled'),
      sql<number>`sum(case when status = 'no-show' then 1 else 0 end)`.as('noshow'),
    ])
    .where('businessid', '=', businessId)
    .where('appointmentid', 'in', ids)
    .groupBy('appointmentid')
    .execute();
  for (const r of rows) {
    const completed = Number(r.completed);
    const finished = completed + Number(r.cancelled) + Number(r.noshow);
    stats.set(r.appointmentid!, {
      totalbookings: Number(r.total),
      upcoming: Number(r.upcoming),
      completed,
      cancelled: Number(r.cancelled),
      noshow: Number(r.noshow),
      completionrate: finished === 0 ? 0 : roundMoney((completed / finished) * 100),
    });
  }
  return stats;
}

/**
 * No tables to keep answers by (null): an appointment type shows its own row and stats of its bookings (withStats),
 * but `upcoming` also moves with the clock, which no read version follows. Its routes read every answer afresh.
 */
export const APPOINTMENT_TABLES = null;

async function withStats(db: Queryable, businessId: string, rows: AppointmentTable[], publicUrl: string) {
  const stats = await appointmentStats(
    db,
    businessId,
    rows.map((r) => r.id),
  );
  const pages = await pagesBase(db, businessId, publicUrl);
  return rows.map((row) => toAppointment(row, stats.get(row.id) ?? EMPTY_STATS, pages));
}

const derived = (row: Pick<AppointmentTable, (typeof APPOINTMENT_SEARCH_FIELDS)[number]>) => ({
  searchtext: searchText(APPOINTMENT_SEARCH_FIELDS.map((field) => row[field])),
});

/** Each availability window must end after it starts. */
function checkAvailability(availability: AppointmentCreate['availability']) {
  const bad = availability.findIndex((w) => w.end <= w.start);
  if (bad >= 0) throw invalid(SUBMISSION_PROBLEMS, { [`availability.${bad}.end`]: 'End must be after start' });
}

const duplicateSlug = () => conflict('Another appointment type of this business has this slug');

export async function createAppointment(
  db: Queryable,
  businessId: string,
  input: AppointmentCreate,
  origin: SourceOrigin,
  publicUrl = '',
  at = now(),
): Promise<Appointment> {
  checkAvailability(input.availability);
  const row: AppointmentTable = {
    businessid: businessId,
    id: newId(),
    title: input.title,
    description: input.description ?? null,
    category: input.category,
    duration: input.duration,
    price: roundMoney(input.price ?? 0),
    currency: input.currency.toUpperCase(),
    location: input.location ?? null,
    externalurl: input.externalurl ?? null,
    slug: input.slug ?? (await freeSlug(db, slugify(input.title, 'appointment'), businessId)),
    timezone: input.timezone,
    availability: JSON.stringify(input.availability),
    bufferminutes: input.bufferminutes ?? 0,
    minnoticeminutes: input.minnoticeminutes ?? 120,
    windowdays: input.windowdays ?? 60,
    status: input.status ?? 'active',
    active: 1,
    sourceorigin: origin,
    searchtext: derived({ title: input.title, description: input.description ?? null }).searchtext,
    createdat: at,
    updatedat: at,
  };
  return mapUniqueViolation(
    () =>
      inTransaction(db, async (trx) => {
        await insertRow(trx, 'appointments', row);
        const appointment = toAppointment(row, EMPTY_STATS, await pagesBase(trx, businessId, publicUrl));
        await recordCreated(trx, businessId, 'appointment', appointment);
        return appointment;
      }),
    duplicateSlug,
  );
}

export async function getAppointment(
  db: Queryable,
  businessId: string,
  id: string,
  publicUrl = '',
): Promise<Appointment | undefined> {
  const row = await getRow<AppointmentTable>(db, 'appointments', businessId, id);
  return row && (await withStats(db, businessId, [row], publicUrl))[0];
}

export async function listAppointments(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof APPOINTMENT_FILTERS>,
  publicUrl = '',
) {
  const { rows, total, next } = await listPage<AppointmentTable>(db, 'appointments', businessId, {
    ...paging,
    where: filterConditions(APPOINTMENT_FILTERS, query),
  });
  return { records: await withStats(db, businessId, rows, publicUrl), total, next };
}

/** Nested `appointment` objects for bookings, fetched in one query. */
export function appointmentRefs(db: Queryable, businessId: string, ids: Iterable<string | null>) {
  return loadRefs(db, 'appointments', businessId, ids, ['title']);
}

/** The dashboard's edit (archiving included); undefined when the type does not exist, else 0 or 1 records modified. */
export async function updateAppointment(
  db: Queryable,
  businessId: string,
  id: string,
  patch: AppointmentUpdate,
  publicUrl = '',
) {
  if (patch.availability) checkAvailability(patch.availability);
  const changes: Partial<AppointmentTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'availability') changes.availability = JSON.stringify(value);
    else if (key === 'price') changes.price = roundMoney(value as number);
    else if (key === 'currency') changes.currency = String(value).toUpperCase();
    else (changes as Record<string, unknown>)[key] = value;
  }
  return mapUniqueViolation(
    () =>
      updateWithEvents(
        db,
        businessId,
        'appointment',
        id,
        (q, business, appointment) => getAppointment(q, business, appointment, publicUrl),
        (trx) => updateRow<AppointmentTable>(trx, 'appointments', businessId, id, changes, derived),
      ),
    duplicateSlug,
  );
}

/** The appointment type a record may point at: 400 naming the field when it is not in the business. */
export async function requireAppointment(db: Queryable, businessId: string, id: string): Promise<AppointmentTable> {
  const row = await getRow<AppointmentTable>(db, 'appointments', businessId, id);
  if (!row) throw invalid(SUBMISSION_PROBLEMS, { appointmentid: 'Appointment not found' });
  return row;
}
