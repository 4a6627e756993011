// Customer: the record, its create and update bodies, and its list query; validation, types and OpenAPI in one.
import { type Static, Type } from 'typebox';
import { type Filters, ListQuery } from '../../http/list-query.js';
import { Currency, Nullable, OptionalText, RecordSchema, RequiredText, StringEnum } from '../../http/schemas.js';

export const CUSTOMER_TYPES = ['individual', 'business'] as const;
/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const CUSTOMER_SEARCH_FIELDS = ['name', 'email', 'phone'] as const;

const CustomerType = StringEnum(CUSTOMER_TYPES, { description: 'individual (default) or business' });
const Email = Type.String({
  format: 'email',
  maxLength: 254,
  description: 'Unique per business, compared case-insensitively',
});

export const CustomerCreate = Type.Object(
  {
    name: RequiredText(200, { description: "Customer's full name" }),
    email: Email,
    phone: RequiredText(50, { description: "Customer's phone number" }),
    country: RequiredText(100, { description: "Customer's country, e.g. Kenya" }),
    currency: Currency,
    company: OptionalText(200, { description: 'Company name (for business customers)' }),
    address: OptionalText(500, { description: 'Street address' }),
    city: OptionalText(100),
    state: OptionalText(100, { description: 'State or region' }),
    website: OptionalText(500, { description: 'Website URL' }),
    type: Type.Optional(CustomerType),
  },
  { title: 'CustomerCreate' },
);

/** Only the fields sent change: any field of a create, checked as there but none required, and `active`. */
export const CustomerUpdate = Type.Partial(
  Type.Object({
    ...CustomerCreate.properties,
    active: Type.Boolean({ description: 'Deactivate or reactivate the customer' }),
  }),
  { title: 'CustomerUpdate' },
);

export const Customer = RecordSchema('Customer', {
  name: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  country: Type.String(),
  currency: Type.String(),
  company: Nullable(Type.String()),
  address: Nullable(Type.String()),
  city: Nullable(Type.String()),
  state: Nullable(Type.String()),
  website: Nullable(Type.String()),
  type: CustomerType,
});

/** The list's filters, each with its total kept. */
export const CUSTOMER_FILTERS = {
  type: { schema: CustomerType, counted: true },
  active: { schema: Type.Boolean({ description: 'Only active (true) or inactive (false) customers' }), counted: true },
} satisfies Filters;

export const CustomerListQuery = ListQuery(CUSTOMER_FILTERS, CUSTOMER_SEARCH_FIELDS);

export type Customer = Static<typeof Customer>;
export type CustomerCreate = Static<typeof CustomerCreate>;
export type CustomerUpdate = Static<typeof CustomerUpdate>;
export type CustomerListQuery = Static<typeof CustomerListQuery>;
