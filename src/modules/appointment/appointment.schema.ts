// Appointment: a bookable type of session (not a booked slot), with weekly availability and booking statistics.
import { type Static, Type } from 'typebox';
import { SLUG_PATTERN } from '../../db/slugs.js';
import { type Filters, ListQuery } from '../../http/list-query.js';
import { Currency, Money, Nullable, OptionalText, RecordSchema, RequiredText, StringEnum } from '../../http/schemas.js';
import { WEEKDAYS } from './availability.js';

export const APPOINTMENT_STATUSES = ['active', 'inactive', 'archived'] as const;
export const CATEGORIES = ['meeting', 'video_call', 'phone_call', 'in_person'] as const;
/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const APPOINTMENT_SEARCH_FIELDS = ['title', 'description'] as const;

const AppointmentStatus = StringEnum(APPOINTMENT_STATUSES);
export const Category = StringEnum(CATEGORIES);

export const AvailabilityWindow = Type.Object({
  day: StringEnum(WEEKDAYS),
  start: Type.String({ format: 'time-of-day', description: 'Local time HH:MM', examples: ['09:00'] }),
  end: Type.String({ format: 'time-of-day', description: 'Local time HH:MM, after start', examples: ['17:00'] }),
});

export const AppointmentCreate = Type.Object(
  {
    title: RequiredText(200),
    description: OptionalText(5000),
    category: Category,
    duration: Type.Integer({ minimum: 5, maximum: 1440, description: 'Minutes' }),
    price: Type.Optional(Money),
    currency: Currency,
    location: OptionalText(500),
    slug: Type.Optional(
      Type.String({
        pattern: SLUG_PATTERN,
        minLength: 1,
        maxLength: 60,
        description:
          "The type's part of its booking page's address, unique in the business; made from the title when not given",
        'x-error': 'Slug must be lower-case letters, digits and single hyphens, e.g. strategy-call',
      }),
    ),
    externalurl: Type.Optional(
      Nullable(
        Type.String({
          format: 'uri',
          maxLength: 2000,
          title: 'External booking URL',
          description: "A booking page elsewhere, which bookingurl then names; null for mteja's own page",
        }),
      ),
    ),
    timezone: Type.String({
      format: 'timezone',
      title: 'Time zone',
      description: 'IANA time zone, e.g. Africa/Nairobi',
    }),
    availability: Type.Array(AvailabilityWindow, { maxItems: 50 }),
    bufferminutes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1440,
        title: 'Buffer minutes',
        description: 'Minutes kept free after each booking',
      }),
    ),
    minnoticeminutes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 525_600,
        default: 120,
        title: 'Minimum notice (minutes)',
        description: 'The booking page offers no time sooner than this many minutes ahead',
      }),
    ),
    windowdays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 730,
        default: 60,
        title: 'Booking window (days)',
        description: 'The booking page offers no time further ahead than this many days',
      }),
    ),
    status: Type.Optional(AppointmentStatus),
  },
  { title: 'AppointmentCreate' },
);

/** The dashboard's edit: any field of a create; archiving is `status: archived`. */
export const AppointmentUpdate = Type.Partial(AppointmentCreate, { title: 'AppointmentUpdate' });

export const AppointmentStats = Type.Object(
  {
    totalbookings: Type.Integer(),
    upcoming: Type.Integer({ description: 'Scheduled bookings that start in the future' }),
    completed: Type.Integer(),
    cancelled: Type.Integer(),
    noshow: Type.Integer(),
    completionrate: Type.Number({
      description: 'Percent of finished bookings (completed, cancelled, no-show) that were completed; 0 when none',
    }),
  },
  { description: 'Computed from the bookings of this appointment type' },
);

export const Appointment = RecordSchema('Appointment', {
  title: Type.String(),
  description: Nullable(Type.String()),
  category: Category,
  duration: Type.Integer({ description: 'Minutes' }),
  price: Type.Number(),
  currency: Type.String(),
  location: Nullable(Type.String()),
  bookingurl: Type.String({
    description:
      'Where customers book this type: its public page, PUBLIC_URL/book/{business}/{type}, or externalurl when set',
  }),
  externalurl: Nullable(Type.String({ description: "A booking page elsewhere set by staff; null for mteja's own" })),
  slug: Type.String({ description: "The type's part of its booking page's address" }),
  timezone: Type.String(),
  availability: Type.Array(AvailabilityWindow),
  bufferminutes: Type.Integer(),
  minnoticeminutes: Type.Integer({
    description: 'The booking page offers no time sooner than this many minutes ahead',
  }),
  windowdays: Type.Integer({ description: 'The booking page offers no time further ahead than this many days' }),
  status: AppointmentStatus,
  stats: AppointmentStats,
});

/** The list's filters, each with its total kept. */
export const APPOINTMENT_FILTERS = {
  status: { schema: AppointmentStatus, counted: true },
  category: { schema: Category, counted: true },
} satisfies Filters;

export const AppointmentListQuery = ListQuery(APPOINTMENT_FILTERS, APPOINTMENT_SEARCH_FIELDS);

export type Appointment = Static<typeof Appointment>;
export type AppointmentCreate = Static<typeof AppointmentCreate>;
export type AppointmentUpdate = Static<typeof AppointmentUpdate>;
export type AppointmentStats = Static<typeof AppointmentStats>;
