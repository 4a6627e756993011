// Contract: an agreement with a customer (dates, value, status). Read-only through the API.
import { Type, type Static } from 'typebox';
import { ListQuery } from '../../http/list-query.js';
import {
  Currency,
  CustomerRef,
  InstantInput,
  Money,
  Nullable,
  ObjectIdString,
  OptionalText,
  RecordSchema,
  RequiredText,
  StringEnum,
  Timestamp,
} from '../../http/schemas.js';

export const CONTRACT_STATUSES = ['draft', 'sent', 'signed', 'active', 'expired', 'terminated'] as const;
export const CONTRACT_SEARCH_FIELDS = ['title', 'contractno', 'description'];

const ContractStatus = StringEnum(CONTRACT_STATUSES);

export const ContractCreate = Type.Object(
  {
    title: RequiredText(200),
    type: OptionalText(100, { description: 'Free text, e.g. maintenance, service, sales, nda' }),
    description: OptionalText(5000),
    customerid: Type.Optional(Nullable(Type.String({ format: 'object-id', title: 'Customer' }))),
    value: Money,
    currency: Currency,
    startdate: Type.Optional(Nullable(InstantInput)),
    enddate: Type.Optional(Nullable(InstantInput)),
    signeddate: Type.Optional(Nullable(InstantInput)),
    autorenew: Type.Optional(Type.Boolean({ default: false })),
    status: Type.Optional(ContractStatus),
  },
  { additionalProperties: false, title: 'ContractCreate' },
);

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

export const ContractListQuery = ListQuery(
  {
    status: Type.Optional(ContractStatus),
    type: Type.Optional(Type.String({ maxLength: 100, description: 'Exact contract type, e.g. maintenance' })),
    customerid: Type.Optional(Type.String({ format: 'object-id', title: 'Customer ID', description: "Only this customer's contracts" })),
  },
  CONTRACT_SEARCH_FIELDS,
);

export type Contract = Static<typeof Contract>;
export type ContractCreate = Static<typeof ContractCreate>;
