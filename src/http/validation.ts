// Validation: the Ajv instances behind every schema, and the one translation of Ajv errors into field messages.
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

const addFormats = addFormatsImport as unknown as (ajv: Ajv, formats: string[]) => Ajv;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
/** A MongoDB ObjectID as sent: 24 hex characters, either case. */
export const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The message that follows a field's label when a value breaks its `format`. */
const FORMAT_MESSAGES: Record<string, string> = {
  email: 'is not a valid email address',
  uri: 'must be a valid URL (http or https)',
  currency: 'must be an ISO 4217 currency code, e.g. KES',
  instant: 'must be an ISO 8601 date or date-time, e.g. 2024-01-15T10:30:00.000Z',
  'time-of-day': 'must be a time of day as HH:MM, e.g. 09:00',
  timezone: 'must be an IANA time zone, e.g. Africa/Nairobi',
  'object-id': 'must be a 24-character hex ID',
};

/** Where a modifying keyword's value sits in the data, so it can be replaced. */
interface InPlace {
  parentData?: Record<string | number, unknown>;
  parentDataProperty: string | number;
}

function buildAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, ...options });
  addFormats(ajv, ['email']);
  ajv.addFormat('uri', (value: string) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  });
  ajv.addFormat('currency', (value: string) => CURRENCIES.has(value.toUpperCase()));
  ajv.addFormat('instant', (value: string) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
  ajv.addFormat('time-of-day', /^([01]\d|2[0-3]):[0-5]\d$/);
  ajv.addFormat('timezone', (value: string) => TIME_ZONES.has(value));
  ajv.addFormat('object-id', OBJECT_ID);
  // Ids are read in either case and kept lower-case, the form the server writes (ObjectIdInput in schemas.ts).
  ajv.addKeyword({
    keyword: 'x-lowercase',
    type: 'string',
    modifying: true,
    errors: false,
    validate: (_schema: unknown, data: string, _parent: unknown, at?: InPlace) => {
      if (at?.parentData) at.parentData[at.parentDataProperty] = data.toLowerCase();
      return true;
    },
  });
  return ajv;
}

/** Bodies: unknown fields are dropped, types are never coerced. */
export const bodyAjv = buildAjv({ removeAdditional: 'all', useDefaults: true, coerceTypes: false });
/** Query strings, path parameters and the environment arrive as text, so scalars are coerced (see compileText). */
const textAjv = buildAjv({ removeAdditional: false, useDefaults: true, coerceTypes: true });

const DECIMAL = /^[0-9]+$/;

function declaresInteger(schema: unknown): boolean {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return type === 'integer' || (Array.isArray(type) && type.includes('integer'));
}

/**
 * Compiles a schema over text (query strings, path parameters, the environment). Ajv's coercion reads a number the
 * way JavaScript does (`0x10`, ` 1`, `1e2`, `Infinity`); a whole number written as text must be plain decimal digits.
 */
export function compileText(schema: object): ValidateFunction {
  const validate = textAjv.compile(schema);
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  const integers = Object.keys(properties).filter((name) => declaresInteger(properties[name]));
  if (integers.length === 0) return validate;
  const strict = ((data: Record<string, unknown> | undefined) => {
    const loose: ErrorObject[] = [];
    for (const name of integers) {
      const value = data?.[name];
      if (typeof value === 'string' && !DECIMAL.test(value))
        loose.push({
          keyword: 'type',
          instancePath: `/${name}`,
          schemaPath: `#/properties/${name}/type`,
          params: { type: 'integer' },
          message: 'must be integer',
          data: value,
        });
    }
    const valid = validate(data);
    strict.errors = loose.length > 0 || !valid ? [...loose, ...(validate.errors ?? [])] : null;
    return strict.errors === null;
  }) as ValidateFunction;
  return strict;
}

/** One problem with one field: the dotted path, what failed, and a sentence for people. */
export interface FieldProblem {
  field: string;
  keyword: string;
  message: string;
  /** The value that failed, as received. */
  value: unknown;
  /** The schema of the field that failed. */
  schema: Record<string, unknown> | undefined;
}

type SchemaNode = Record<string, unknown> | undefined;

/** The keywords of the text checks made outside Ajv (clean-body.ts), worded like Ajv's own. */
export const TEXT_KEYWORDS = { nul: 'x-nul', surrogate: 'x-lone-surrogate' } as const;

function childSchema(schema: SchemaNode, segment: string): SchemaNode {
  if (!schema) return undefined;
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  if (properties && segment in properties) return properties[segment];
  if (schema.items && /^\d+$/.test(segment)) return schema.items as SchemaNode;
  return undefined;
}

/** The label that starts a field's message: the schema's `title`, else the name capitalised. */
export function fieldLabel(name: string, schema: SchemaNode): string {
  if (schema && typeof schema.title === 'string') return schema.title;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

function sentence(error: ErrorObject, label: string, schema: SchemaNode): string {
  const custom = schema?.['x-error'];
  if (typeof custom === 'string') return custom;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${label} is required`;
    case 'type': {
      if (error.data === null) return `${label} is required`;
      const types = ([] as string[]).concat(params.type as string).filter((t) => t !== 'null');
      return `${label} must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`;
    }
    case 'minLength':
      return params.limit === 1 ? `${label} is required` : `${label} must be at least ${params.limit} characters`;
    case 'maxLength':
      return `${label} must be at most ${params.limit} characters`;
    case 'enum':
      return `${label} must be one of: ${(params.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}`;
    case 'format':
      return `${label} ${FORMAT_MESSAGES[params.format as string] ?? `must be a valid ${params.format}`}`;
    case 'pattern': {
      // A pattern that spells out a format (ObjectIdInput) is worded as the format.
      const format = typeof schema?.format === 'string' ? FORMAT_MESSAGES[schema.format] : undefined;
      return `${label} ${format ?? 'is invalid'}`;
    }
    case TEXT_KEYWORDS.nul:
      return `${label} must not contain the NUL character (U+0000)`;
    case TEXT_KEYWORDS.surrogate:
      return `${label} must be valid Unicode text (it contains a lone surrogate)`;
    case 'minimum':
      return `${label} must be ${params.limit} or more`;
    case 'exclusiveMinimum':
      return `${label} must be more than ${params.limit}`;
    case 'maximum':
      return `${label} must be ${params.limit} or less`;
    case 'minItems':
      return `${label} must have at least ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${label} must have at most ${params.limit} items`;
    case 'multipleOf':
      return `${label} must be a multiple of ${params.multipleOf}`;
    default:
      return `${label} is invalid`;
  }
}

/** Turns Ajv's errors into one problem per field (the first), in the order Ajv found them. */
export function fieldProblems(errors: readonly ErrorObject[], rootSchema: object): FieldProblem[] {
  const seen = new Map<string, FieldProblem>();
  for (const error of errors) {
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let value = error.data;
    if (error.keyword === 'required') {
      segments.push(String((error.params as { missingProperty: string }).missingProperty));
      value = undefined;
    }
    const field = segments.join('.');
    if (seen.has(field)) continue;
    let schema = rootSchema as SchemaNode;
    for (const segment of segments) schema = childSchema(schema, segment);
    const name = [...segments].reverse().find((s) => !/^\d+$/.test(s)) ?? field;
    const label = fieldLabel(name, schema);
    seen.set(field, { field, keyword: error.keyword, message: sentence(error, label, schema), value, schema });
  }
  // Report fields in the order the schema declares them, whatever order the validator found them in.
  const order = Object.keys(((rootSchema as SchemaNode)?.properties as object | undefined) ?? {});
  const rank = (field: string) => {
    const i = order.indexOf(field.split('.')[0]);
    return i === -1 ? order.length : i;
  };
  return [...seen.values()].sort((a, b) => rank(a.field) - rank(b.field));
}

/** Field -> message, the shape of the error envelope's `errors`. */
export function problemMap(problems: readonly FieldProblem[]): Record<string, string> {
  return Object.fromEntries(problems.map((p) => [p.field, p.message]));
}

/** Compiles a schema for use outside HTTP (config, CLI): returns null when valid, else field -> message. */
export function compileSchema(schema: object, options: { coerce?: boolean } = {}) {
  const validate: ValidateFunction = options.coerce ? compileText(schema) : bodyAjv.compile(schema);
  return (value: unknown): Record<string, string> | null =>
    validate(value) ? null : problemMap(fieldProblems(validate.errors ?? [], schema));
}
