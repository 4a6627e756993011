// List query strings: page, limit and search for every list, plus each resource's filters, in one schema.
import { type TProperties, Type } from 'typebox';
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

/** The query-string schema of a list: paging and search, plus the resource's own filters. */
export function ListQuery<F extends TProperties>(filters: F, searchFields: string[]) {
  const search = Type.Optional(
    Type.String({
      maxLength: 200,
      description: `Case-insensitive substring match on ${searchFields.join(', ')}; wildcards match literally`,
    }),
  );
  return Type.Object({ ...PagingProperties, search, ...filters });
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
