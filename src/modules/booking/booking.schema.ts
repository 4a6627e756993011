// Booking: a scheduled session, optionally of an appointment type and for a customer. Read-only through the API.
import { type Static, Type } from 'typebox';
import { toTimestamp } from '../../db/ids.js';
import { type Filters, ListQuery } from '../../http/list-query.js';
import {
  CustomerRef,
  InstantInput,
  Nullable,
  ObjectIdInput,
  ObjectIdString,
  OptionalText,
  RecordSchema,
  RequiredText,
  StringEnum,
  Timestamp,
} from '../../http/schemas.js';
import { Category } from '../appointment/appointment.schema.js';
import type { Transitions } from '../transitions.js';

export const BOOKING_STATUSES = ['scheduled', 'completed', 'cancelled', 'no-show'] as const;
/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const BOOKING_SEARCH_FIELDS = ['title', 'description'] as const;

const BookingStatus = StringEnum(BOOKING_STATUSES);

/** A scheduled booking is marked completed, cancelled or no-show; a mark can be corrected or undone. */
export const BOOKING_TRANSITIONS: Transitions<(typeof BOOKING_STATUSES)[number]> = {
  scheduled: ['completed', 'cancelled', 'no-show'],
  completed: ['no-show', 'scheduled'],
  'no-show': ['completed', 'scheduled'],
  cancelled: ['scheduled'],
};

const Attendee = Type.Object(
  {
    name: Nullable(Type.String({ maxLength: 200 })),
    email: Nullable(Type.String({ format: 'email', maxLength: 254 })),
    phone: Nullable(Type.String({ maxLength: 50 })),
  },
  { description: 'Who attends, when not (only) the customer' },
);

export const BookingCreate = Type.Object(
  {
    title: RequiredText(200),
    description: OptionalText(5000),
    status: Type.Optional(BookingStatus),
    starttime: InstantInput,
    endtime: InstantInput,
    allday: Type.Optional(Type.Boolean({ default: false })),
    type: Category,
    appointmentid: Type.Optional(Nullable(ObjectIdInput({ title: 'Appointment' }))),
    customerid: Type.Optional(Nullable(ObjectIdInput({ title: 'Customer' }))),
    attendee: Type.Optional(Nullable(Type.Partial(Attendee))),
    location: OptionalText(500),
    meetinglink: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2000, title: 'Meeting link' }))),
    notes: OptionalText(5000),
  },
  { title: 'BookingCreate' },
);

/** The dashboard's edit: reschedule, reassign, or mark with `status`. */
export const BookingUpdate = Type.Partial(BookingCreate, { title: 'BookingUpdate' });

/** Free start times of an appointment type on one local day, for the dashboard's booking form. */
export const SlotQuery = Type.Object({
  appointmentid: ObjectIdInput({ title: 'Appointment' }),
  date: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: "A day in the appointment type's time zone, YYYY-MM-DD",
    'x-error': 'Date must be YYYY-MM-DD',
  }),
});

export const Booking = RecordSchema('Booking', {
  title: Type.String(),
  description: Nullable(Type.String()),
  status: BookingStatus,
  starttime: Timestamp,
  endtime: Timestamp,
  allday: Type.Boolean(),
  type: Category,
  appointmentid: Nullable(ObjectIdString),
  appointment: Nullable(
    Type.Object({ _id: ObjectIdString, title: Type.String() }, { description: 'The appointment type, nested' }),
  ),
  customerid: Nullable(ObjectIdString),
  customer: Nullable(CustomerRef),
  attendee: Nullable(Attendee),
  location: Nullable(Type.String()),
  meetinglink: Nullable(Type.String()),
  notes: Nullable(Type.String()),
});

const instant = (value: string) => toTimestamp(value)!;

/** The list's filters: the equality ones with their totals kept; `from` and `to` bound the start time. */
export const BOOKING_FILTERS = {
  status: { schema: BookingStatus, counted: true },
  appointmentid: { schema: ObjectIdInput({ title: 'Appointment ID' }), counted: true },
  customerid: { schema: ObjectIdInput({ title: 'Customer ID' }), counted: true },
  from: {
    schema: { ...InstantInput, description: 'Bookings starting at or after this instant' },
    column: 'starttime',
    op: '>=',
    stored: instant,
  },
  to: {
    schema: { ...InstantInput, description: 'Bookings starting before this instant' },
    column: 'starttime',
    op: '<',
    stored: instant,
  },
} satisfies Filters;

export const BookingListQuery = ListQuery(BOOKING_FILTERS, BOOKING_SEARCH_FIELDS);

/** The dashboard's agenda: the list's filters, in time order. */
// The agenda pages by offset alone: a cursor and updatedsince belong to the list's own orders.
const { cursor: _cursor, updatedsince: _updatedsince, ...agendaProperties } = BookingListQuery.properties;
export const AgendaQuery = Type.Object(
  {
    ...agendaProperties,
    order: Type.Optional(
      StringEnum(['asc', 'desc'] as const, { default: 'asc', description: 'asc: soonest first; desc: latest first' }),
    ),
  },
  { additionalProperties: false },
);

export type Booking = Static<typeof Booking>;
export type BookingCreate = Static<typeof BookingCreate>;
export type BookingUpdate = Static<typeof BookingUpdate>;
export type BookingListQuery = Static<typeof BookingListQuery>;
