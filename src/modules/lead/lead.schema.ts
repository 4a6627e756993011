// Lead: the record, its bodies and list query, and the Go-validator wording of its errors that the seed documents.
import { type Static, Type } from 'typebox';
import { invalid } from '../../http/errors.js';
import { type Filters, ListQuery } from '../../http/list-query.js';
import { Nullable, ObjectIdString, OptionalText, RecordSchema, RequiredText, StringEnum } from '../../http/schemas.js';
import { type FieldProblem, problemMap } from '../../http/validation.js';
import { CustomerCreate } from '../customer/customer.schema.js';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const LEAD_SEARCH_FIELDS = ['name', 'email', 'phone', 'company'] as const;

const LeadStatus = StringEnum(LEAD_STATUSES, { description: 'Pipeline status; new by default' });

export const LeadCreate = Type.Object(
  {
    name: RequiredText(200, { description: "Lead's full name" }),
    email: Type.Optional(
      Nullable(Type.String({ format: 'email', maxLength: 254, description: "Lead's email address" })),
    ),
    phone: OptionalText(50),
    company: OptionalText(200, { description: 'Company or organisation name' }),
    jobtitle: OptionalText(200, { title: 'Job title' }),
    industry: OptionalText(200, { description: 'Industry or sector' }),
    website: OptionalText(500),
    request: OptionalText(5000, { description: 'Description of their request or interest' }),
    budget: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e13, description: 'Estimated budget' }))),
    country: OptionalText(100),
    state: OptionalText(100, { description: 'State or region' }),
    address: OptionalText(500),
    source: OptionalText(100, { description: 'Lead source, free text (e.g. website, referral, ad)' }),
    status: Type.Optional(LeadStatus),
  },
  { title: 'LeadCreate' },
);

/** Only the fields sent change: any field of a create, checked as there but none required, and `active`. */
export const LeadUpdate = Type.Partial(
  Type.Object({
    ...LeadCreate.properties,
    active: Type.Boolean({ description: 'Deactivate or reactivate the lead' }),
  }),
  { title: 'LeadUpdate' },
);

/**
 * What a conversion may add to or override in the lead's data: a customer create's fields and rules, every one
 * optional; the customer's required fields must end up present once merged with the lead's.
 */
export const LeadConvert = Type.Partial(CustomerCreate, { title: 'LeadConvert' });

export const Lead = RecordSchema('Lead', {
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  company: Nullable(Type.String()),
  jobtitle: Nullable(Type.String()),
  industry: Nullable(Type.String()),
  website: Nullable(Type.String()),
  request: Nullable(Type.String()),
  budget: Nullable(Type.Number()),
  country: Nullable(Type.String()),
  state: Nullable(Type.String()),
  address: Nullable(Type.String()),
  source: Nullable(Type.String()),
  status: LeadStatus,
  customerid: Nullable({ ...ObjectIdString, description: 'The customer this lead was converted to' }),
});

/** The list's filters, each with its total kept. */
export const LEAD_FILTERS = {
  status: { schema: LeadStatus, counted: true },
  source: { schema: Type.String({ maxLength: 100, description: 'Exact lead source, e.g. website' }), counted: true },
} satisfies Filters;

export const LeadListQuery = ListQuery(LEAD_FILTERS, LEAD_SEARCH_FIELDS);

export type Lead = Static<typeof Lead>;
export type LeadCreate = Static<typeof LeadCreate>;
export type LeadUpdate = Static<typeof LeadUpdate>;
export type LeadConvert = Static<typeof LeadConvert>;

// ---- the seed's error wording: github.com/go-playground/validator over a Go struct ApiLeadRequest ----

const GO_FIELDS: Record<string, string> = { jobtitle: 'JobTitle' };
const GO_TAGS: Record<string, string> = {
  required: 'required',
  minLength: 'required',
  format: 'email',
  enum: 'oneof',
  minimum: 'gte',
  maximum: 'lte',
  maxLength: 'max',
};
const GO_TYPES: Record<string, string> = {
  string: 'string',
  number: 'float64',
  boolean: 'bool',
  object: 'map[string]interface {}',
};

function goField(field: string) {
  return GO_FIELDS[field] ?? field.charAt(0).toUpperCase() + field.slice(1);
}

function jsonKind(value: unknown) {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** The 400 for a bad lead body: `error` worded as the Go service words it, `errors` as everywhere else. */
export function leadValidationError(problems: FieldProblem[]) {
  const errors = problemMap(problems);
  // A value of the wrong JSON type fails while decoding, before any field rule runs, as in Go.
  const mistyped = problems.find((p) => p.keyword === 'type' && p.value !== null && p.value !== undefined);
  if (mistyped) {
    const declared = mistyped.schema?.type;
    const expected = String(Array.isArray(declared) ? declared[0] : (declared ?? 'string'));
    const message = `json: cannot unmarshal ${jsonKind(mistyped.value)} into Go struct field ApiLeadRequest.${mistyped.field} of type ${GO_TYPES[expected] ?? expected}`;
    return invalid(message, errors);
  }
  const lines = problems.map((p) => {
    const tag = p.keyword === 'type' ? 'required' : (GO_TAGS[p.keyword] ?? p.keyword);
    const name = goField(p.field);
    return `Key: 'ApiLeadRequest.${name}' Error:Field validation for '${name}' failed on the '${tag}' tag`;
  });
  return invalid(lines.join('\n'), errors);
}
