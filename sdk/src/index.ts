// @mteja/client: the typed client of mteja and the Cashfin Business API CRM module.
import { Http, type MtejaOptions } from './http.js';
import { Leads, ReadOnlyResource, Resource } from './resources.js';
import { type HeadersLike, type VerifyOptions, verifyWebhook, type WebhookEvent } from './webhooks.js';

export { MtejaError } from './errors.js';
export type { CallOptions, MtejaOptions } from './http.js';
export type { List } from './list.js';
export type { Leads, ReadOnlyResource, Resource } from './resources.js';
export type * from './types.js';
export { type HeadersLike, type VerifyOptions, type WebhookEvent, WebhookVerificationError } from './webhooks.js';

export class Mteja {
  readonly customers: Resource<'customer'>;
  readonly leads: Leads;
  readonly contacts: Resource<'contact'>;
  readonly quotes: ReadOnlyResource<'quote'>;
  readonly contracts: ReadOnlyResource<'contract'>;
  readonly bookings: ReadOnlyResource<'booking'>;
  readonly appointments: ReadOnlyResource<'appointment'>;
  /** Webhook events, kept 30 days (`/business/event/…`). */
  readonly events: ReadOnlyResource<'event'>;

  constructor(options: MtejaOptions) {
    const http = new Http(options);
    this.customers = new Resource(http, 'customer');
    this.leads = new Leads(http, 'lead');
    this.contacts = new Resource(http, 'contact');
    this.quotes = new ReadOnlyResource(http, 'quote');
    this.contracts = new ReadOnlyResource(http, 'contract');
    this.bookings = new ReadOnlyResource(http, 'booking');
    this.appointments = new ReadOnlyResource(http, 'appointment');
    this.events = new ReadOnlyResource(http, 'event');
  }

  /**
   * The event a webhook delivered, once its signature is checked against the raw body (before any JSON parsing):
   * Standard Webhooks (`webhook-signature`, a `whsec_` secret) or Cashfin's `x-cashfin-signature`. Throws
   * WebhookVerificationError otherwise.
   */
  static verifyWebhook(
    rawBody: string | Uint8Array | ArrayBuffer,
    headers: HeadersLike,
    secret: string,
    options?: VerifyOptions,
  ): Promise<WebhookEvent> {
    return verifyWebhook(rawBody, headers, secret, options);
  }
}
