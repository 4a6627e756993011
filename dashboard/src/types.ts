// The records and bodies the dashboard reads and writes: the server's own types, imported as types only, so a
// field renamed on the server fails the dashboard's type check and nothing of the server is bundled.

export type { Overview } from '../../src/dashboard/overview.store.js';
export type { Meta } from '../../src/dashboard/routes/overview.routes.js';
export type { Pagination } from '../../src/http/envelope.js';
export type { Appointment, AppointmentCreate } from '../../src/modules/appointment/appointment.schema.js';
export type { AvailabilityWindow, Weekday } from '../../src/modules/appointment/availability.js';
export type { Booking, BookingCreate } from '../../src/modules/booking/booking.schema.js';
export type { Credential, CredentialCreate } from '../../src/modules/business/business.schema.js';
export type { Contact, ContactCreate } from '../../src/modules/contact/contact.schema.js';
export type { Contract, ContractCreate } from '../../src/modules/contract/contract.schema.js';
export type { Customer, CustomerCreate } from '../../src/modules/customer/customer.schema.js';
export type { Lead, LeadConvert, LeadCreate } from '../../src/modules/lead/lead.schema.js';
export type { Quote, QuoteCreate, QuoteItem, QuoteUpdate } from '../../src/modules/quote/quote.schema.js';
export type { Priced } from '../../src/modules/quote/quote.service.js';

/** What GET /dashboard/api/session answers. */
export interface Session {
  user: { _id: string; email: string; name: string | null };
  business: { _id: string; name: string };
  csrftoken: string;
}
export type {
  Delivery as WebhookDelivery,
  Endpoint as WebhookEndpoint,
} from '../../src/modules/webhook/webhook.schema.js';
