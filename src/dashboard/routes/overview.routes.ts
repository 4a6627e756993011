// The overview's data, and the vocabularies the dashboard's forms offer (statuses, their moves, currencies, time zones).
import { Type } from 'typebox';
// request.caller is declared there; the dashboard's own type check reads this file (for Meta) without the server's.
import type {} from '../../http/auth.js';
import type { Api, Deps } from '../../http/deps.js';
import { ok } from '../../http/envelope.js';
import { APPOINTMENT_STATUSES, CATEGORIES } from '../../modules/appointment/appointment.schema.js';
import { WEEKDAYS } from '../../modules/appointment/availability.js';
import { BOOKING_STATUSES, BOOKING_TRANSITIONS } from '../../modules/booking/booking.schema.js';
import { CREDENTIAL_TYPES } from '../../modules/business/business.schema.js';
import { CONTRACT_EDITABLE, CONTRACT_STATUSES, CONTRACT_TRANSITIONS } from '../../modules/contract/contract.schema.js';
import { CUSTOMER_TYPES } from '../../modules/customer/customer.schema.js';
import { LEAD_STATUSES } from '../../modules/lead/lead.schema.js';
import { QUOTE_STATUSES, QUOTE_TRANSITIONS } from '../../modules/quote/quote.schema.js';
import { overview } from '../overview.store.js';

const OverviewQuery = Type.Object({
  timezone: Type.Optional(Type.String({ format: 'timezone', title: 'Time zone', default: 'UTC' })),
});

/** Everything the server accepts, so that a form offers exactly that and no list is written twice. */
export const META = {
  customertypes: CUSTOMER_TYPES,
  leadstatuses: LEAD_STATUSES,
  quotestatuses: QUOTE_STATUSES,
  quotetransitions: QUOTE_TRANSITIONS,
  contractstatuses: CONTRACT_STATUSES,
  contracttransitions: CONTRACT_TRANSITIONS,
  contracteditable: CONTRACT_EDITABLE,
  bookingstatuses: BOOKING_STATUSES,
  bookingtransitions: BOOKING_TRANSITIONS,
  appointmentstatuses: APPOINTMENT_STATUSES,
  categories: CATEGORIES,
  weekdays: WEEKDAYS,
  credentialtypes: CREDENTIAL_TYPES,
  currencies: Intl.supportedValuesOf('currency'),
  timezones: ['UTC', ...Intl.supportedValuesOf('timeZone')],
};
export type Meta = typeof META;

export function overviewRoutes(app: Api, { db }: Deps) {
  app.get('/overview', { schema: { querystring: OverviewQuery } }, async (request) =>
    ok(await overview(db, request.caller.businessId, request.query.timezone ?? 'UTC')),
  );
  app.get('/meta', async () => ok(META));
}
