// The response envelope: the only place that shapes bodies, and the schemas that document and serialise them.
import { type TSchema, Type } from 'typebox';

export interface Pagination {
  total: number;
  page: number;
  limit: number;
  pages: number;
}

/** [ext] `meta` is the pagination plus the cursor of the next page (null on the last). */
export interface Meta extends Pagination {
  nextcursor?: string | null;
}

export const ok = <T>(data: T) => ({ success: true as const, data });

/** A success with a sentence for people, e.g. "Lead converted successfully". */
export const done = <T>(message: string, data: T) => ({ success: true as const, message, data });

export const created = <T>(resource: string, data: T) => done(`${resource} created successfully`, data);

export const updated = (resource: string, id: string, modified: number) => ({
  success: true as const,
  message: `${resource} updated successfully`,
  data: { _id: id, modified },
});

/**
 * A list page. The pagination object goes under both `pagination` and `meta`: the seeds use each. `meta` also carries
 * the extension `nextcursor` (every API list passes one, null on the last page); `pagination` keeps the seeds' shape.
 */
export function listed<T>(data: T[], total: number, page: number, limit: number, nextcursor?: string | null) {
  const pagination: Pagination = { total, page, limit, pages: total === 0 ? 0 : Math.ceil(total / limit) };
  const meta: Meta = nextcursor === undefined ? pagination : { ...pagination, nextcursor };
  return { success: true as const, data, pagination, meta };
}

export interface ErrorBody {
  success: false;
  error: string;
  errors?: Record<string, string>;
  message?: string;
}

export function failure(error: string, errors?: Record<string, string>, message?: string): ErrorBody {
  const body: ErrorBody = { success: false, error };
  if (errors && Object.keys(errors).length > 0) body.errors = errors;
  if (message !== undefined) body.message = message;
  return body;
}

// ---- schemas: validation of nothing, documentation and serialisation of everything ----

const True = Type.Literal(true);

const PaginationSchema = Type.Object(
  {
    total: Type.Integer({ description: 'Records matching the query' }),
    page: Type.Integer({ description: 'This page, from 1' }),
    limit: Type.Integer({ description: 'Records per page (after clamping to 100)' }),
    pages: Type.Integer({ description: 'ceil(total / limit); 0 when total is 0' }),
  },
  { title: 'Pagination' },
);

const MetaSchema = Type.Object(
  {
    ...PaginationSchema.properties,
    nextcursor: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          '[extension] Pass as `cursor` for the next page (same order, filters and search); null on the last page',
        'x-mteja-extension': true,
      }),
    ),
  },
  { title: 'Meta' },
);

export const ErrorSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String({ description: 'A brief description of the problem' }),
    errors: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Field -> what is wrong with it' })),
    message: Type.Optional(Type.String({ description: 'More detail, when there is any' })),
  },
  { title: 'Error' },
);

export const RateLimitedSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.String(),
    retry_after: Type.Integer({ description: 'Seconds until a request will succeed' }),
  },
  { title: 'RateLimited' },
);

export const DetailsEnvelope = (record: TSchema) => Type.Object({ success: True, data: record });

export const CreatedEnvelope = (record: TSchema) =>
  Type.Object({ success: True, message: Type.String({ examples: ['Customer created successfully'] }), data: record });

export const UpdatedEnvelope = Type.Object({
  success: True,
  message: Type.String({ examples: ['Customer updated successfully'] }),
  data: Type.Object({
    _id: Type.String(),
    modified: Type.Integer({
      description: '1 when a stored value changed, 0 when every sent value equalled the stored one',
    }),
  }),
});

export const ListEnvelope = (record: TSchema) =>
  Type.Object({
    success: True,
    data: Type.Array(record),
    pagination: PaginationSchema,
    meta: MetaSchema,
  });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: validation failed, malformed JSON or UTF-8, text with U+0000 or a lone surrogate, a body nested too deeply, or a malformed id',
  401: 'Missing, unknown or revoked client secret',
  403: "[extension] The key's scopes do not cover this operation, or a publishable key is used from an origin not its own or for anything but what it may do",
  404: 'No such record in this business',
  409: 'Conflict with an existing record',
  429: 'Rate limit exceeded',
  500: 'Internal server error',
  503: 'Service unavailable: the server is shutting down or its database cannot be reached',
};

/** The responses of a route: its success schemas plus the error envelope for each error status it can return. */
export function responses(success: Record<number, TSchema>, errors: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...success };
  for (const status of [...errors, 401, 403, 429, 500, 503]) {
    const schema = status === 429 ? RateLimitedSchema : ErrorSchema;
    out[status] = Type.Object(schema.properties, { ...schema, description: ERROR_DESCRIPTIONS[status] }) as TSchema;
  }
  return out;
}
