// The list filters whose totals are kept, per table, as the modules declare them (`counted: true`): the list that
// migration 0005's count triggers must agree with, since a list filtered on one of them reads the kept total.
import type { RecordTableName } from '../db/schema.js';
import { countedFilters } from '../http/list-query.js';
import { APPOINTMENT_FILTERS } from './appointment/appointment.schema.js';
import { BOOKING_FILTERS } from './booking/booking.schema.js';
import { CONTACT_FILTERS } from './contact/contact.schema.js';
import { CONTRACT_FILTERS } from './contract/contract.schema.js';
import { CUSTOMER_FILTERS } from './customer/customer.schema.js';
import { LEAD_FILTERS } from './lead/lead.schema.js';
import { QUOTE_FILTERS } from './quote/quote.schema.js';

/** Compared with the triggers of a migrated database by the tests: the modules' word against the database's. */
export const COUNTED_FILTERS: Record<RecordTableName, readonly string[]> = {
  customers: countedFilters(CUSTOMER_FILTERS),
  leads: countedFilters(LEAD_FILTERS),
  contacts: countedFilters(CONTACT_FILTERS),
  quotes: countedFilters(QUOTE_FILTERS),
  contracts: countedFilters(CONTRACT_FILTERS),
  appointments: countedFilters(APPOINTMENT_FILTERS),
  bookings: countedFilters(BOOKING_FILTERS),
};
