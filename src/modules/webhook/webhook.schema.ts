// Webhook endpoints and deliveries: the shapes the CLI prints and the dashboard reads and sends.
import { type Static, Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from '../../http/schemas.js';

/** `*`, `customer.*`, or an event type. */
const EventPattern = Type.String({ pattern: '^(\\*|[a-z]+\\.\\*|[a-z]+\\.[a-z_]+|ping)$', maxLength: 64 });

export const Endpoint = Type.Object(
  {
    _id: Type.String(),
    url: Type.String({ description: 'Where events are POSTed' }),
    events: Type.Array(Type.String(), { description: 'Types and patterns (`*`, `customer.*`) this endpoint wants' }),
    description: Nullable(Type.String()),
    status: StringEnum(['enabled', 'disabled'] as const),
    disabledreason: Nullable(Type.String({ description: 'Why it was disabled' })),
    credentialid: Nullable(Type.String({ description: 'The credential whose webhook URL this is, if any' })),
    createdat: Timestamp,
    updatedat: Timestamp,
  },
  { title: 'WebhookEndpoint' },
);
export type Endpoint = Static<typeof Endpoint>;

export const EndpointCreate = Type.Object({
  url: Type.String({ format: 'uri', maxLength: 2000, title: 'URL' }),
  events: Type.Optional(Type.Array(EventPattern, { minItems: 1, maxItems: 50, uniqueItems: true })),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});
export type EndpointCreate = Static<typeof EndpointCreate>;

export const EndpointUpdate = Type.Partial(EndpointCreate);
export type EndpointUpdate = Static<typeof EndpointUpdate>;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

/** One attempt of a delivery before its last, as the delivery logged it when it was the last. */
export const DeliveryAttempt = Type.Object(
  {
    attempt: Type.Integer({ description: 'Its number: 1 is the first attempt' }),
    at: Timestamp,
    responsestatus: Nullable(Type.Integer()),
    latencyms: Nullable(Type.Integer()),
    error: Nullable(Type.String({ description: 'Why it failed, when it did' })),
    responsebody: Nullable(Type.String({ description: 'The first 4 KB of its answer' })),
  },
  { title: 'WebhookAttempt' },
);
export type DeliveryAttempt = Static<typeof DeliveryAttempt>;

export const Delivery = Type.Object(
  {
    _id: Type.String(),
    endpointid: Type.String(),
    eventid: Type.String(),
    eventtype: Type.String(),
    status: StringEnum(DELIVERY_STATUSES),
    attempts: Type.Integer({ description: 'Attempts made so far' }),
    nextattemptat: Nullable(Timestamp),
    lastattemptat: Nullable(Timestamp),
    responsestatus: Nullable(Type.Integer()),
    responsebody: Nullable(Type.String({ description: 'The first 4 KB of the last answer' })),
    latencyms: Nullable(Type.Integer()),
    error: Nullable(Type.String({ description: 'Why the last attempt failed, when it did' })),
    earlierattempts: Type.Array(DeliveryAttempt, {
      description: 'The attempts before the last, oldest first (the 20 most recent); [] when there were none',
    }),
    createdat: Timestamp,
  },
  { title: 'WebhookDelivery' },
);
export type Delivery = Static<typeof Delivery>;
