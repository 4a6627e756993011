// Contract: an agreement with a customer (dates, value, status). Read-only through the API.
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

export const CONTRACT_STATUSES = ['draft', 'sent', 'signed', 'active', 'expired', 'terminated'] as const;
/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const CONTRACT_SEARCH_FIELDS = ['title', 'contractno', 'description'] as const;

const ContractStatus = StringEnum(CONTRACT_STATUSES);

/** Drafted, sent, signed, active, then expired (renewable) or terminated (final). */
export const CONTRACT_TRANSITIONS: Transitions<(typeof CONTRACT_STATUSES)[number]> = {
  draft: ['sent', 'signed'],
  sent: ['signed', 'draft'],
  signed: ['active', 'terminated'],
  active: ['expired', 'terminated'],
  expired: ['active'],
  terminated: [],
};
/** A contract's terms can change until it has expired or been terminated. */
export const CONTRACT_EDITABLE: readonly string[] = ['draft', 'sent', 'signed', 'active'];

export const ContractCreate = Type.Object(
  {
    title: RequiredText(200),
    type: OptionalText(100, { description: 'Free text, e.g. maintenance, service, sales, nda' }),
    description: OptionalText(5000),
    customerid: Type.Optional(Nullable(ObjectIdInput({ title: 'Customer' }))),
    value: Money,
    currency: Currency,
    startdate: Type.Optional(Nullable(InstantInput)),
    enddate: Type.Optional(Nullable(InstantInput)),
    signeddate: Type.Optional(Nullable(InstantInput)),
    autorenew: Type.Optional(Type.Boolean({ default: false })),
    status: Type.Optional(ContractStatus),
  },
  { title: 'ContractCreate' },
);

/** The dashboard's edit: any field of a create, including a status move. */
export const ContractUpdate = Type.Partial(ContractCreate, { title: 'ContractUpdate' });

export const Contract = RecordSchema('Contract', {
  contractno: Type.String({ examples: ['CON-2024-001'] }),
  title: Type.String(),
  type: Nullable(Type.String()),
  description: Nullable(Type.String()),
  customerid: Nullable(ObjectIdString),
  customer: Nullable(CustomerRef),
  value: Type.Number(),
  currency: Type.String(),
  startdate: Nullable(Timestamp),
  enddate: Nullable(Timestamp),
  signeddate: Nullable(Timestamp),
  autorenew: Type.Boolean(),
  status: ContractStatus,
});

/** The list's filters, each with its total kept. */
export const CONTRACT_FILTERS = {
  status: { schema: ContractStatus, counted: true },
  type: {
    schema: Type.String({ maxLength: 100, description: 'Exact contract type, e.g. maintenance' }),
    counted: true,
  },
  customerid: {
    schema: ObjectIdInput({ title: 'Customer ID', description: "Only this customer's contracts" }),
    counted: true,
  },
} satisfies Filters;

export const ContractListQuery = ListQuery(CONTRACT_FILTERS, CONTRACT_SEARCH_FIELDS);

export type Contract = Static<typeof Contract>;
export type ContractCreate = Static<typeof ContractCreate>;
export type ContractUpdate = Static<typeof ContractUpdate>;
