// The handlers of the two read routes every resource has: GET /list (page or cursor, search, filters) and GET /details/:id.
// Each routes file names its own URLs, operationIds and schemas; these build what runs between the schema and the store.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/engine.js';
import type { RecordTableName } from '../db/schema.js';
import type { Deps } from './deps.js';
import { listed, ok } from './envelope.js';
import { notFound } from './errors.js';
import { nextCursor, type Paging, type PagingQuery, paging } from './list-query.js';
import { parseId } from './params.js';

/**
 * The tables whose changes a kept answer (deps.readCache) waits for: every table whose rows a record shows, the
 * resource's own first, as its store declares them. Null where an answer also depends on the clock and is never kept.
 */
export type KeptTables = readonly RecordTableName[] | null;

/**
 * Sends the body `read` makes, serialised by the route's schema. With `keep`, the answer (a list page, or one
 * record's details) is kept per business and URL, tagged with the read version of those tables, and served again
 * while that version is unchanged instead of being read and serialised again.
 */
function answerer({ readCache, readVersion }: Deps, keep: KeptTables) {
  return async (request: FastifyRequest, reply: FastifyReply, read: () => Promise<unknown>) => {
    const serialised = async () => reply.serialize(await read()) as string;
    const { businessId } = request.caller;
    // Read the version first: a write landing while the answer is read moves it past the tag the answer is kept with.
    const body =
      keep && readCache.keeps
        ? await readCache.answer(`${businessId}\n${request.url}`, await readVersion(businessId, keep), serialised)
        : await serialised();
    return reply.type('application/json; charset=utf-8').send(body);
  };
}

/** GET /list: one page of the business's records as the store lists them (newest first), in the list envelope. */
export function listHandler<Q, R>(
  deps: Deps,
  keep: KeptTables,
  list: (
    db: Queryable,
    businessId: string,
    paging: Paging,
    query: Q,
  ) => Promise<{ records: R[]; total: number; next?: readonly [string, string] }>,
) {
  const answer = answerer(deps, keep);
  return (request: FastifyRequest<{ Querystring: Q & PagingQuery }>, reply: FastifyReply) =>
    answer(request, reply, async () => {
      // Fastify resolves the validated query's type lazily; inside this generic function it is not yet Q.
      const query = request.query as Q & PagingQuery;
      const page = paging(query);
      const { records, total, next } = await list(deps.db, request.caller.businessId, page, query);
      const cursor = next ? nextCursor(page, next, page.position + records.length) : null;
      return listed(records, total, page.page, page.limit, cursor);
    });
}

/** GET /details/:id: one record of the business; `resource` ("Quote") names the 400 for a bad id and the 404. */
export function detailsHandler<R>(
  deps: Deps,
  resource: string,
  keep: KeptTables,
  get: (db: Queryable, businessId: string, id: string) => Promise<R | undefined>,
) {
  const answer = answerer(deps, keep);
  return (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) =>
    answer(request, reply, async () => {
      const record = await get(deps.db, request.caller.businessId, parseId(request.params.id, resource));
      if (!record) throw notFound(resource);
      return ok(record);
    });
}
