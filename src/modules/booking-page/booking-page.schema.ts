// The public booking page's JSON: its free times, a booking, and what its manage link shows and changes.
import { type Static, Type } from 'typebox';
import { InstantInput, Nullable, OptionalText, RequiredText, StringEnum, Timestamp } from '../../http/schemas.js';
import { BOOKING_STATUSES } from '../booking/booking.schema.js';
import { CustomerCreate } from '../customer/customer.schema.js';

export const PageParams = Type.Object({
  business: Type.String({ maxLength: 200, description: "The business's slug" }),
  type: Type.String({ maxLength: 200, description: "The appointment type's slug" }),
});

export const ManageParams = Type.Object({
  token: Type.String({ maxLength: 200, description: 'The signed token of a manage link' }),
});

const TimeZone = Type.String({
  format: 'timezone',
  description: 'IANA time zone the days are counted in, e.g. America/New_York',
  'x-error': 'Timezone must be an IANA time zone, e.g. Africa/Nairobi',
});

export const SlotsQuery = Type.Object({
  from: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'The first day, YYYY-MM-DD, in `timezone`',
    'x-error': 'From must be a date, YYYY-MM-DD',
  }),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 62, default: 7, description: 'How many days, 1 to 62' })),
  timezone: Type.Optional({ ...TimeZone, description: "Defaults to the appointment type's time zone" }),
});

const Slot = Type.Object({ starttime: Timestamp, endtime: Timestamp });

export const SlotsEnvelope = Type.Object({
  success: Type.Literal(true),
  data: Type.Object({
    timezone: Type.String({ description: 'The zone the days were counted in' }),
    slots: Type.Array(Slot, { description: 'Free times, earliest first; never who booked the others' }),
  }),
});

export const BookBody = Type.Object(
  {
    name: RequiredText(200, { description: 'Your full name' }),
    email: CustomerCreate.properties.email,
    phone: OptionalText(50),
    notes: OptionalText(5000),
    starttime: InstantInput,
    honeypot: Type.Optional(
      Nullable(
        Type.String({ maxLength: 500, description: 'Left empty by people; a request that fills it is refused' }),
      ),
    ),
  },
  { title: 'BookingPageBook' },
);

const BookingStatus = StringEnum(BOOKING_STATUSES);

export const Booked = Type.Object({
  _id: Type.String(),
  starttime: Timestamp,
  endtime: Timestamp,
  status: BookingStatus,
  manageurl: Type.String({ description: 'The signed link to see, cancel or move this booking' }),
});

export const BookedEnvelope = Type.Object({ success: Type.Literal(true), data: Booked });

export const MoveBody = Type.Object({ starttime: InstantInput }, { title: 'BookingPageMove' });

/** What a manage link shows: the booking's time and type, never anything of other bookings. */
export const Managed = Type.Object({
  ...Booked.properties,
  title: Type.String({ description: "The appointment type's title" }),
  duration: Type.Integer(),
  location: Nullable(Type.String()),
  timezone: Type.String({ description: "The appointment type's time zone" }),
  changeable: Type.Boolean({ description: 'False from the minimum notice before the start on, or once cancelled' }),
});

export const ManagedEnvelope = Type.Object({ success: Type.Literal(true), data: Managed });

export type BookBody = Static<typeof BookBody>;
export type Managed = Static<typeof Managed>;
