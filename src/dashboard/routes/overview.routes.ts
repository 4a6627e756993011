// The overview's data, and the vocabularies the dashboard's forms offer (statuses, their moves, currencies, time zones).
import { Type } from 'typebox';
import { RECORD_TABLES } from '../../db/schema.js';
import type { Api, Deps } from '../../http/deps.js';
import { ok } from '../../http/envelope.js';
import { sendKept } from '../../http/read-cache.js';
import { APPOINTMENT_STATUSES, CATEGORIES } from '../../modules/appointment/appointment.schema.js';
import { WEEKDAYS } from '../../modules/appointment/availability.js';
import { BOOKING_STATUSES, BOOKING_TRANSITIONS } from '../../modules/booking/booking.schema.js';
import { CREDENTIAL_TYPES } from '../../modules/business/business.schema.js';
import { CONTRACT_EDITABLE, CONTRACT_STATUSES, CONTRACT_TRANSITIONS } from '../../modules/contract/contract.schema.js';
import { CUSTOMER_TYPES } from '../../modules/customer/customer.schema.js';
import { LEAD_STATUSES } from '../../modules/lead/lead.schema.js';
import { QUOTE_STATUSES, QUOTE_TRANSITIONS } from '../../modules/quote/quote.schema.js';
import { overview, overviewSlot } from '../overview.store.js';

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

export function overviewRoutes(app: Api, { db, readCache, readVersion }: Deps) {
  // Kept like a list page (deps.readCache), tagged with the read version of every table it shows, and keyed by its
  // slot (the local day, the next scheduled start): served again only while the same overview would be read.
  app.get('/overview', { schema: { querystring: OverviewQuery } }, async (request, reply) => {
    const { businessId } = request.caller;
    const timeZone = request.query.timezone ?? 'UTC';
    const at = new Date();
    const read = async () => JSON.stringify(ok(await overview(db, businessId, timeZone, at)));
    // The version first: a write landing after it moves it past the tag the answer is kept with.
    const version = readCache.keeps ? await readVersion(businessId, RECORD_TABLES) : undefined;
    if (version === undefined) return sendKept(readCache, request, reply, '', undefined, read);
    const slot = await overviewSlot(db, businessId, timeZone, at);
    const tag = { scope: `${businessId}\n/dashboard/overview`, version };
    return sendKept(readCache, request, reply, `${businessId}\n/dashboard/overview ${timeZone} ${slot}`, tag, read);
  });
  app.get('/meta', async () => ok(META));
}
