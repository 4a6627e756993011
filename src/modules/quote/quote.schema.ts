// Quote: a sales proposal with line items; totals are always computed by the server. Read-only through the API.
import { type Static, Type } from 'typebox';
import { type Filters, ListQuery } from '../../http/list-query.js';
import {
  Currency,
  CustomerRef,
  InstantInput,
  Money,
  Nullable,
  ObjectIdInput,
  ObjectIdString,
  OptionalText,
  RecordSchema,
  RequiredText,
  StringEnum,
  Timestamp,
} from '../../http/schemas.js';
import type { Transitions } from '../transitions.js';

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'expired', 'invoiced'] as const;
/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const QUOTE_SEARCH_FIELDS = ['title', 'quoteno', 'description'] as const;

const QuoteStatus = StringEnum(QUOTE_STATUSES);

/** A quote is drafted, sent, then answered; a rejected or expired quote can be revised as a draft; an accepted one is invoiced. */
export const QUOTE_TRANSITIONS: Transitions<(typeof QUOTE_STATUSES)[number]> = {
  draft: ['sent'],
  sent: ['accepted', 'rejected', 'expired', 'draft'],
  accepted: ['invoiced'],
  rejected: ['draft'],
  expired: ['draft'],
  invoiced: [],
};

export const QuoteItemInput = Type.Object({
  itemid: Type.Optional(Nullable(ObjectIdInput({ title: 'Item ID' }))),
  title: RequiredText(200),
  description: OptionalText(2000),
  quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
  rate: Money,
  discount: Type.Optional(Type.Number({ minimum: 0, maximum: 1e13, description: 'Amount taken off this line' })),
  taxrate: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      title: 'Tax rate',
      description: 'Percent tax on the line after discount',
    }),
  ),
});

export const QuoteCreate = Type.Object(
  {
    title: RequiredText(200),
    description: OptionalText(5000),
    customerid: Type.Optional(Nullable(ObjectIdInput({ title: 'Customer' }))),
    items: Type.Array(QuoteItemInput, { minItems: 1, maxItems: 200 }),
    currency: Currency,
    issuedate: Type.Optional(Nullable(InstantInput)),
    expirydate: Type.Optional(Nullable(InstantInput)),
    notes: OptionalText(5000),
    status: Type.Optional(QuoteStatus),
  },
  { title: 'QuoteCreate' },
);

/** The dashboard's edit: any field of a create; content changes only while the quote is a draft. */
export const QuoteUpdate = Type.Partial(QuoteCreate, { title: 'QuoteUpdate' });

/** Line items to price without saving: the dashboard shows the server's totals while the items are typed. */
export const QuotePricing = Type.Object({ items: QuoteCreate.properties.items }, { title: 'QuotePricing' });

export const QuoteItem = Type.Object({
  itemid: Nullable(ObjectIdString),
  title: Type.String(),
  description: Nullable(Type.String()),
  quantity: Type.Number(),
  rate: Type.Number(),
  discount: Type.Number({ description: 'Amount taken off this line' }),
  taxrate: Type.Number({ description: 'Percent tax on the line after discount' }),
  amount: Type.Number({ description: 'quantity × rate' }),
});

export const Quote = RecordSchema('Quote', {
  quoteno: Type.String({ examples: ['QUO-2024-001'] }),
  title: Type.String(),
  description: Nullable(Type.String()),
  customerid: Nullable(ObjectIdString),
  customer: Nullable(CustomerRef),
  items: Type.Array(QuoteItem),
  subtotal: Type.Number({ description: 'Sum of item amounts' }),
  discount: Type.Number({ description: 'Sum of item discounts' }),
  tax: Type.Number({ description: 'Sum of item taxes' }),
  total: Type.Number({ description: 'subtotal − discount + tax' }),
  currency: Type.String(),
  issuedate: Nullable(Timestamp),
  expirydate: Nullable(Timestamp),
  notes: Nullable(Type.String()),
  status: QuoteStatus,
});

/** The list's filters, each with its total kept. */
export const QUOTE_FILTERS = {
  status: { schema: QuoteStatus, counted: true },
  customerid: {
    schema: ObjectIdInput({ title: 'Customer ID', description: "Only this customer's quotes" }),
    counted: true,
  },
} satisfies Filters;

export const QuoteListQuery = ListQuery(QUOTE_FILTERS, QUOTE_SEARCH_FIELDS);

export type Quote = Static<typeof Quote>;
export type QuoteCreate = Static<typeof QuoteCreate>;
export type QuoteItem = Static<typeof QuoteItem>;
export type QuoteUpdate = Static<typeof QuoteUpdate>;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
