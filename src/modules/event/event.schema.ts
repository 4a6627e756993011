// Events: the types a change makes, what each means (the dashboard's checklist and the OpenAPI `webhooks` read it),
// the event body, and its list query.
import { type Static, Type } from 'typebox';
import { type Filters, ListQuery } from '../../http/list-query.js';
import { StringEnum, Timestamp } from '../../http/schemas.js';

/** Every event type and when it is made. `<resource>.updated` comes with every change; the others beside it. */
export const EVENT_TYPES = {
  'customer.created': 'A customer was created',
  'customer.updated': 'A customer changed (previous holds the old values)',
  'lead.created': 'A lead was created (from the API, the dashboard or a web form)',
  'lead.updated': 'A lead changed, including a move in the pipeline',
  'lead.converted': 'A lead became a customer (a customer.created comes with it)',
  'contact.created': 'A contact was created',
  'contact.updated': 'A contact changed',
  'quote.created': 'A quote was created',
  'quote.updated': 'A quote changed',
  'quote.status_changed': 'A quote moved to another status (sent, accepted, ...), beside its quote.updated',
  'contract.created': 'A contract was created',
  'contract.updated': 'A contract changed',
  'contract.status_changed': 'A contract moved to another status (signed, active, ...), beside its contract.updated',
  'booking.created': 'A booking was made (from the API, the dashboard or a booking page)',
  'booking.updated': 'A booking changed (rescheduled, confirmed, ...)',
  'booking.cancelled': 'A booking was cancelled, beside its booking.updated',
  'appointment.created': 'An appointment type was created',
  'appointment.updated': 'An appointment type changed',
  ping: 'A test event, sent to one endpoint on request',
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

/** The resources whose records make events. */
export type EventResource = 'customer' | 'lead' | 'contact' | 'quote' | 'contract' | 'booking' | 'appointment';

export const Event = Type.Object(
  {
    id: Type.String({ description: 'The event id (24 hex characters), also sent as webhook-id' }),
    type: StringEnum(EVENT_TYPE_NAMES, { description: 'What happened' }),
    createdat: Timestamp,
    businessid: Type.String({ description: 'The business whose record changed' }),
    data: Type.Object({}, { additionalProperties: true, description: 'The record as its details show it' }),
    previous: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: 'Updates only: the old values of the fields that changed' },
      ),
    ),
  },
  { title: 'Event' },
);
export type Event = Static<typeof Event>;

export const EVENT_FILTERS = {
  type: { schema: StringEnum(EVENT_TYPE_NAMES, { description: 'Only events of this type' }) },
} satisfies Filters;

/** Paging and the type filter; events have no search. */
export const EventListQuery = Type.Omit(ListQuery(EVENT_FILTERS, []), ['search'], { additionalProperties: false });
