// List query strings: page, limit and search for every list, plus each resource's filters, declared once and read
// three ways: the list's query-string schema, the store's conditions, and which filters have kept totals.
import { type Static, type TOptional, type TSchema, Type } from 'typebox';
import type { Condition } from '../db/records.js';
import { normaliseSearch } from '../db/search.js';

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 10;
/** Pages beyond this could not hold records (limit 1 x 10^9 rows); it keeps offsets well inside integer range. */
const MAX_PAGE = 1_000_000_000;

const PagingProperties = {
  page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE,
      default: 1,
      description: 'Page number, from 1',
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
};

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
  return Type.Object({ ...PagingProperties, search, ...optional });
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
}

export interface Paging {
  page: number;
  limit: number;
  /** The normalised search term, or undefined when there is none. */
  search?: string;
}

/** Reads paging from a validated query: defaults, the limit clamped to 100, the search term normalised. */
export function paging(query: PagingQuery): Paging {
  const term = query.search === undefined ? '' : normaliseSearch(query.search);
  return {
    page: query.page ?? 1,
    limit: Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT),
    search: term === '' ? undefined : term,
  };
}
