// List query strings: page, limit and search for every list, plus each resource's filters, declared once and read
// three ways: the list's query-string schema, the store's conditions, and which filters have kept totals.
import { createHash } from 'node:crypto';
import { type Static, type TOptional, type TSchema, Type } from 'typebox';
import { toTimestamp } from '../db/ids.js';
import type { Condition } from '../db/records.js';
import { normaliseSearch } from '../db/search.js';
import { invalid } from './errors.js';

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 10;
/** Pages beyond this could not hold records (limit 1 x 10^9 rows); it keeps offsets well inside integer range. */
const MAX_PAGE = 1_000_000_000;

const PagingProperties = {
  // No schema default: a page given with a cursor is refused, so a page that was not sent must stay unset.
  page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE,
      description: 'Page number, from 1 (default 1); not with `cursor`',
      'x-error': 'Page must be a positive integer',
    }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      default: DEFAULT_LIMIT,
      description: `Records per page, default ${DEFAULT_LIMIT}; values over ${MAX_LIMIT} are clamped to ${MAX_LIMIT}`,
      'x-error': 'Limit must be a positive integer',
    }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        '[extension] `meta.nextcursor` of the previous page: the next page in the same order, with the same filters and search, at any depth. Not with `page`.',
      'x-mteja-extension': true,
    }),
  ),
  updatedsince: Type.Optional(
    Type.String({
      format: 'instant',
      description:
        '[extension] ISO 8601 instant: only records whose `updatedat` is at or after it, oldest change first (`updatedat`, then `_id`, ascending)',
      'x-mteja-extension': true,
      examples: ['2024-01-15T10:30:00.000Z'],
    }),
  ),
};

/** The query string of a route that reads none (details): any parameter is unknown, and refused by name. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

/**
 * One filter of a resource's list, declared once in its module so that the list's schema, the store's conditions and
 * the kept totals cannot disagree. It matches the column of its name (`=`) unless `column` and `op` make it one end
 * of a range; `counted` says record_counts keeps a total per value (the triggers of migration 0005), so a list
 * filtered on it alone reads its total instead of counting.
 */
export interface Filter {
  /** The query-string parameter's schema: its validation and its OpenAPI description. */
  schema: TSchema;
  counted?: boolean;
  column?: string;
  op?: Condition['op'];
  /** The stored form of a value, where it differs from the query's (an ISO date as a UTC timestamp). */
  stored?: (value: string) => string;
}
export type Filters = Record<string, Filter>;

/** The values of a validated list query that a resource's filters read. */
export type FilterValues<F extends Filters> = { [K in keyof F]?: Static<F[K]['schema']> };

/** The query-string schema of a list: paging and search, plus the resource's own filters, each optional. */
export function ListQuery<F extends Filters>(filters: F, searchFields: readonly string[]) {
  const search = Type.Optional(
    Type.String({
      maxLength: 200,
      description: `Case-insensitive substring match on ${searchFields.join(', ')}; wildcards match literally`,
    }),
  );
  const optional = Object.fromEntries(
    Object.entries(filters).map(([name, filter]) => [name, Type.Optional(filter.schema)]),
  ) as { [K in keyof F]: TOptional<F[K]['schema']> };
  // Unknown parameters are refused by name before validation (server.ts's preValidation hook reads this flag).
  return Type.Object({ ...PagingProperties, search, ...optional }, { additionalProperties: false });
}

/**
 * The 400 for query parameters a route does not declare, naming each, when its schema closes the query string
 * (`additionalProperties: false`: every list and details route). Undefined when there are none.
 */
export function unknownParameters(query: unknown, schema: { properties?: object; additionalProperties?: unknown }) {
  if (schema.additionalProperties !== false || query === null || typeof query !== 'object') return undefined;
  const declared = schema.properties ?? {};
  const unknown = Object.keys(query).filter((name) => !Object.hasOwn(declared, name));
  if (unknown.length === 0) return undefined;
  return invalid(
    `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
    Object.fromEntries(unknown.map((name) => [name, 'Unknown query parameter'])),
  );
}

/** The store's conditions for a validated list query: one per filter given, on its column, in its stored form. */
export function filterConditions<F extends Filters>(filters: F, query: FilterValues<F>): Condition[] {
  const where: Condition[] = [];
  for (const name in filters) {
    const value: unknown = query[name];
    if (value === undefined) continue;
    const { column = name, op = '=', stored, counted } = filters[name];
    // Booleans are stored as 0/1.
    const plain = typeof value === 'boolean' ? Number(value) : (value as string | number);
    where.push({ column, op, value: stored ? stored(value as string) : plain, counted });
  }
  return where;
}

/** The filters of a resource whose totals are kept: what migration 0005's triggers must count. */
export function countedFilters(filters: Filters): string[] {
  return Object.keys(filters).filter((name) => filters[name].counted);
}

/** A list query's own fields, as validated: what `paging` reads. */
export interface PagingQuery {
  page?: number;
  limit?: number;
  search?: string;
  cursor?: string;
  updatedsince?: string;
}

export interface Paging {
  page: number;
  limit: number;
  /** The normalised search term, or undefined when there is none. */
  search?: string;
  /** The stored form of `updatedsince`: the list is then oldest change first from it. */
  updatedsince?: string;
  /** From a cursor: the order key (order column's value, id) of the last record before this page. */
  after?: readonly [string, string];
  /** How many records came before this page (from the offset, or carried by the cursor). */
  position: number;
  /** What a cursor of this list must match: a hash of its filters, search and order. */
  scope: string;
}

/** What a cursor carries, base64url-encoded JSON: the order key after which to continue, the position, the scope. */
interface CursorToken {
  k: [string, string];
  n: number;
  s: string;
}

const BAD_CURSOR = 'Cursor is not valid: pass `meta.nextcursor` of a previous page unchanged';

/** The scope of a list query: every parameter but page, limit and cursor, in a fixed order, hashed. */
function scopeOf(query: object): string {
  const kept = Object.entries(query)
    .filter(([name, value]) => name !== 'page' && name !== 'limit' && name !== 'cursor' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(kept)).digest('base64url').slice(0, 16);
}

function readCursor(text: string, scope: string): CursorToken {
  let token: CursorToken;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid(BAD_CURSOR, { cursor: BAD_CURSOR });
  }
  const { k, n, s } = (token ?? {}) as Partial<CursorToken>;
  const wellFormed =
    Array.isArray(k) &&
    k.length === 2 &&
    typeof k[0] === 'string' &&
    k[0].length <= 40 &&
    typeof k[1] === 'string' &&
    /^[0-9a-f]{24}$/.test(k[1]) &&
    Number.isSafeInteger(n) &&
    (n as number) >= 0 &&
    typeof s === 'string';
  if (!wellFormed) throw invalid(BAD_CURSOR, { cursor: BAD_CURSOR });
  if (s !== scope) {
    const message = 'This cursor belongs to a list with other filters, search or updatedsince: send the same ones';
    throw invalid(message, { cursor: message });
  }
  return token;
}

/** The `meta.nextcursor` of a page whose last record has order key `key`, `position` records from the start. */
export function nextCursor(paging: Paging, key: readonly [string, string], position: number): string {
  const token: CursorToken = { k: [key[0], key[1]], n: position, s: paging.scope };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/**
 * Reads paging from a validated list query: defaults, the limit clamped to 100, the search term normalised, the
 * cursor checked against the query it was issued for. `page` with `cursor` is a 400: they are two ways to say where.
 */
export function paging(query: PagingQuery): Paging {
  const term = query.search === undefined ? '' : normaliseSearch(query.search);
  const search = term === '' ? undefined : term;
  const updatedsince = query.updatedsince === undefined ? undefined : (toTimestamp(query.updatedsince) ?? undefined);
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  // Scoped by what the query matches: " Kamau" and "kamau", or one instant written two ways, are one list.
  const scope = scopeOf({ ...query, search, updatedsince });
  const base = { limit, search, updatedsince, scope };
  if (query.cursor === undefined) {
    const page = query.page ?? 1;
    return { ...base, page, position: (page - 1) * limit };
  }
  if (query.page !== undefined) {
    const message = 'Page cannot be combined with cursor: a cursor already says where the page starts';
    throw invalid(message, { page: message });
  }
  const { k, n } = readCursor(query.cursor, scope);
  return { ...base, page: Math.floor(n / limit) + 1, after: k, position: n };
}
