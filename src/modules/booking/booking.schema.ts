// Booking: a scheduled session, optionally of an appointment type and for a customer. Read-only through the API.
import { Type, type Static } from 'typebox';
import { ListQuery } from '../../http/list-query.js';
import { CustomerRef, InstantInput, Nullable, ObjectIdString, OptionalText, RecordSchema, RequiredText, StringEnum, Timestamp } from '../../http/schemas.js';
import { Category } from '../appointment/appointment.schema.js';

export const BOOKING_STATUSES = ['scheduled', 'completed', 'cancelled', 'no-show'] as const;
export const BOOKING_SEARCH_FIELDS = ['title', 'description'];

const BookingStatus = StringEnum(BOOKING_STATUSES);

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
    appointmentid: Type.Optional(Nullable(Type.String({ format: 'object-id', title: 'Appointment' }))),
    customerid: Type.Optional(Nullable(Type.String({ format: 'object-id', title: 'Customer' }))),
    attendee: Type.Optional(Nullable(Type.Partial(Attendee, { additionalProperties: false }))),
    location: OptionalText(500),
    meetinglink: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2000, title: 'Meeting link' }))),
    notes: OptionalText(5000),
  },
  { additionalProperties: false, title: 'BookingCreate' },
);

export const Booking = RecordSchema('Booking', {
  title: Type.String(),
  description: Nullable(Type.String()),
  status: BookingStatus,
  starttime: Timestamp,
  endtime: Timestamp,
  allday: Type.Boolean(),
  type: Category,
  appointmentid: Nullable(ObjectIdString),
  appointment: Nullable(Type.Object({ _id: ObjectIdString, title: Type.String() }, { description: 'The appointment type, nested' })),
  customerid: Nullable(ObjectIdString),
  customer: Nullable(CustomerRef),
  attendee: Nullable(Attendee),
  location: Nullable(Type.String()),
  meetinglink: Nullable(Type.String()),
  notes: Nullable(Type.String()),
});

export const BookingListQuery = ListQuery(
  {
    status: Type.Optional(BookingStatus),
    appointmentid: Type.Optional(Type.String({ format: 'object-id', title: 'Appointment ID' })),
    customerid: Type.Optional(Type.String({ format: 'object-id', title: 'Customer ID' })),
    from: Type.Optional({ ...InstantInput, description: 'Bookings starting at or after this instant' }),
    to: Type.Optional({ ...InstantInput, description: 'Bookings starting before this instant' }),
  },
  BOOKING_SEARCH_FIELDS,
);

export type Booking = Static<typeof Booking>;
export type BookingCreate = Static<typeof BookingCreate>;
export type BookingListQuery = Static<typeof BookingListQuery>;
