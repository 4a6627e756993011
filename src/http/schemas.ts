// Schema building blocks shared by every resource: ids, timestamps, money, nullable fields, the record base.
import { type Static, type TProperties, type TSchema, type TUnsafe, Type } from 'typebox';

/** A string enum as plain JSON Schema (`type` + `enum`), which Ajv, fast-json-stringify and OpenAPI all read alike. */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** A value that may also be JSON null: the shape of every optional field in responses and writes. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const plain = schema as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...plain, type: [plain.type, 'null'] };
  if (Array.isArray(plain.enum)) out.enum = [...plain.enum, null];
  return Type.Unsafe<Static<T> | null>(out);
}

export const ObjectIdString = Type.String({
  pattern: '^[0-9a-f]{24}$',
  description: 'A 24-character lower-case hex MongoDB ObjectID',
  examples: ['507f1f77bcf86cd799439011'],
});

/**
 * An id on input (a path, a filter, a reference in a body): 24 hex characters in either case, read lower-case, so
 * that `507F1F…` and `507f1f…` name the same record everywhere (`x-lowercase` is Ajv's, in validation.ts).
 */
export function ObjectIdInput(options: Record<string, unknown> = {}) {
  return Type.String({
    pattern: '^[0-9a-fA-F]{24}$',
    format: 'object-id',
    'x-lowercase': true,
    description: 'A 24-character hex MongoDB ObjectID, either case (read lower-case)',
    examples: ['507f1f77bcf86cd799439011'],
    ...options,
  });
}

export const Timestamp = Type.String({
  format: 'date-time',
  description: 'ISO 8601 UTC with milliseconds',
  examples: ['2024-01-15T10:30:00.000Z'],
});

/** An ISO 8601 date or date-time on input; stored and returned as a UTC timestamp. */
export const InstantInput = Type.String({
  format: 'instant',
  description: 'ISO 8601 date or date-time',
  examples: ['2024-01-15T10:30:00.000Z'],
});

export const Money = Type.Number({
  minimum: 0,
  maximum: 1e13,
  description: 'Amount with 2 decimal places; more precision is rounded',
});

export const Currency = Type.String({
  format: 'currency',
  description: 'ISO 4217 currency code, stored upper-case',
  examples: ['KES'],
});

export const SourceOrigin = StringEnum(['api', 'dashboard', 'booking_page'] as const, {
  description: 'Where the record was created: api, dashboard, or booking_page (a customer on the public booking page)',
});
export type SourceOrigin = Static<typeof SourceOrigin>;

/** A required text field: trimmed, never empty. */
export function RequiredText(maxLength: number, options: Record<string, unknown> = {}) {
  return Type.String({ minLength: 1, maxLength, ...options });
}

/** An optional text field on a write: absent, null or empty all mean "not set". */
export function OptionalText(maxLength: number, options: Record<string, unknown> = {}) {
  return Type.Optional(Nullable(Type.String({ maxLength, ...options })));
}

/** The record schema of a resource: its own fields between `_id` and the fields every record carries. */
export function RecordSchema<P extends TProperties>(name: string, properties: P) {
  return Type.Object(
    {
      _id: ObjectIdString,
      ...properties,
      active: Type.Boolean({ description: 'Whether the record is active' }),
      sourceorigin: SourceOrigin,
      createdat: Timestamp,
      updatedat: Timestamp,
    },
    { title: name },
  );
}

/** A nested reference to a customer, as the seeds show related records. */
export const CustomerRef = Type.Object(
  { _id: ObjectIdString, name: Type.String(), email: Type.String() },
  { description: 'The customer, nested for convenience' },
);

/** Rounds money to 2 decimal places, the contract's precision. */
export function roundMoney(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
