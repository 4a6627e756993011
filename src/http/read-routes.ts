// The two read routes every resource has, GET /list (page or cursor, search, filters) and GET /details/:id: their schema
// around the resource's record, and what runs between the schema and the store. Each routes file still names its own
// URLs, operationIds and summaries as literals (app.get('/list', read.list({ operationId: 'quoteList', ... }))).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Queryable } from '../db/engine.js';
import type { RecordTableName } from '../db/schema.js';
import type { ReadOf } from '../db/versions.js';
import type { Deps } from './deps.js';
import { DetailsEnvelope, ListEnvelope, listed, ok, responses } from './envelope.js';
import { notFound } from './errors.js';
import { NoQuery, nextCursor, type Paging, type PagingQuery, paging } from './list-query.js';
import { IdParams, parseId } from './params.js';
import { sendKept } from './read-cache.js';

/**
 * The tables whose changes a kept answer (deps.readCache) waits for: every table whose rows a record shows, the
 * resource's own first, as its store declares them. Null where an answer also depends on the clock and is never kept.
 */
export type KeptTables = readonly RecordTableName[] | null;

/** What a resource's list and details share, given once per routes file. */
export interface ReadResource {
  /** The record's schema: the list's items and the details' data. */
  record: TSchema;
  /** How errors name it ("Quote"): the 400 for a bad id and the 404. */
  name: string;
  tags: string[];
  keep: KeptTables;
}

/** What each read route names for itself; `tags` replaces the resource's (a details route that is an extension). */
interface ReadRoute {
  operationId: string;
  summary: string;
  tags?: string[];
}

/** A store's list: one page of the business's records, newest first, and where the next page starts. */
type ListRecords<Q> = (
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: Q,
) => Promise<{ records: unknown[]; total: number; next?: readonly [string, string] }>;

/** A store's details: one record of the business, or undefined. */
type GetRecord = (db: Queryable, businessId: string, id: string) => Promise<unknown>;

/**
 * The route options (schema and handler) of a resource's two read routes, for `app.get(url, options)`. The schemas
 * are built here so that every resource's list and details answer, refuse and document alike.
 */
export function readRoutes(deps: Deps, { record, name, tags, keep }: ReadResource) {
  const answerPage = answerer(deps, keep, 'page');
  const answerRecord = answerer(deps, keep, 'record');
  return {
    /** GET /list: one page of the business's records as the store lists them, in the list envelope. */
    list: <Q extends TSchema>(route: ReadRoute & { querystring: Q }, list: ListRecords<Static<Q>>) => ({
      schema: {
        tags: route.tags ?? tags,
        operationId: route.operationId,
        summary: route.summary,
        querystring: route.querystring,
        response: responses({ 200: ListEnvelope(record) }, [400]),
      },
      handler: (request: FastifyRequest<{ Querystring: Static<Q> & PagingQuery }>, reply: FastifyReply) =>
        answerPage(request, reply, async () => {
          // Fastify resolves the validated query's type lazily; inside this generic function it is not yet Static<Q>.
          const query = request.query as Static<Q> & PagingQuery;
          const page = paging(query);
          const { records, total, next } = await list(deps.db, request.caller.businessId, page, query);
          const cursor = next ? nextCursor(page, next, page.position + records.length) : null;
          return listed(records, total, page.page, page.limit, cursor);
        }),
    }),

    /**
     * GET /details/:id: one record of the business. It reads no query string, so any parameter is refused by name.
     */
    details: (route: ReadRoute, get: GetRecord) => ({
      schema: {
        tags: route.tags ?? tags,
        operationId: route.operationId,
        summary: route.summary,
        params: IdParams,
        querystring: NoQuery,
        response: responses({ 200: DetailsEnvelope(record) }, [400, 404]),
      },
      handler: (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) =>
        answerRecord(request, reply, async () => {
          const found = await get(deps.db, request.caller.businessId, parseId(request.params.id, name));
          if (!found) throw notFound(name);
          return ok(found);
        }),
    }),
  };
}

/**
 * Sends the body `read` makes, serialised by the route's schema. With `keep`, the answer (a list page, or one
 * record's details) is kept per business and URL, tagged with the read version of those tables, and served again
 * while that version is unchanged instead of being read and serialised again. A record's details are tagged with the
 * version that its own table's inserts leave alone; only a found record is kept (a 404 throws), so an insert can
 * never make a kept answer wrong.
 */
function answerer({ readCache, readVersion }: Deps, keep: KeptTables, of: ReadOf) {
  const tables = readCache.keeps ? keep : null;
  return async (request: FastifyRequest, reply: FastifyReply, read: () => Promise<unknown>) => {
    const serialised = async () => reply.serialize(await read()) as string;
    const { businessId } = request.caller;
    // Read the version first: a write landing while the answer is read moves it past the tag the answer is kept with.
    // None: not worth keeping (db/versions.ts).
    const version = tables && (await readVersion(businessId, tables, of));
    const tag = version ? { scope: `${businessId}\n${tables.join()}\n${of}`, version } : undefined;
    return sendKept(readCache, request, reply, `${businessId}\n${request.url}`, tag, serialised);
  };
}
