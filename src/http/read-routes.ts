// The two read routes every resource has: GET /list (page, search, filters) and GET /details/:id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TObject, TSchema } from 'typebox';
import type { RecordTableName } from '../db/schema.js';
import type { Api, Deps } from './deps.js';
import { DetailsEnvelope, ListEnvelope, listed, ok, responses } from './envelope.js';
import { notFound } from './errors.js';
import { type Paging, paging } from './list-query.js';
import { IdParams, parseId } from './params.js';

export interface ReadRoutes<Q extends TObject, R> {
  /** Singular, capitalised: "Quote". Names the operations and the 400/404 messages. */
  resource: string;
  plural: string;
  tags: string[];
  /** Tags of the details route when they differ (an extension). */
  detailsTags?: string[];
  record: TSchema;
  query: Q;
  /**
   * Keeps answers (deps.readCache) while these tables are unchanged: every table whose rows a record shows, the
   * resource's own first. Left out where an answer also depends on the clock (appointment stats count upcoming bookings).
   */
  keep?: readonly RecordTableName[];
  list(businessId: string, paging: Paging, query: Static<Q>): Promise<{ records: R[]; total: number }>;
  get(businessId: string, id: string): Promise<R | undefined>;
}

/**
 * With `spec.keep`, an answer (a list page, or one record's details) is kept (deps.readCache) per business and URL,
 * tagged with the read version of those tables, and served again while that version is unchanged instead of being
 * read and serialised again.
 */
export function mountReadRoutes<Q extends TObject, R>(
  app: Api,
  { readCache, readVersion }: Deps,
  spec: ReadRoutes<Q, R>,
) {
  const name = spec.resource.toLowerCase();

  /** Sends the body `read` makes, serialised by the route's schema; kept per business and URL when the spec says so. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, read: () => Promise<unknown>) => {
    const serialised = async () => reply.serialize(await read()) as string;
    const { businessId } = request.caller;
    // Read the version first: a write landing while the answer is read moves it past the tag the answer is kept with.
    const body =
      spec.keep && readCache.keeps
        ? await readCache.answer(`${businessId}\n${request.url}`, await readVersion(businessId, spec.keep), serialised)
        : await serialised();
    return reply.type('application/json; charset=utf-8').send(body);
  };

  app.get(
    '/list',
    {
      schema: {
        tags: spec.tags,
        operationId: `${name}List`,
        summary: `List ${spec.plural}`,
        querystring: spec.query,
        response: responses({ 200: ListEnvelope(spec.record) }, [400]),
      },
    },
    (request, reply) =>
      answer(request, reply, async () => {
        const query = request.query as Static<Q>;
        const page = paging(query as { page?: number; limit?: number; search?: string });
        const { records, total } = await spec.list(request.caller.businessId, page, query);
        return listed(records, total, page.page, page.limit);
      }),
  );

  app.get(
    '/details/:id',
    {
      schema: {
        tags: spec.detailsTags ?? spec.tags,
        operationId: `${name}Details`,
        summary: `Get ${name} details`,
        params: IdParams,
        response: responses({ 200: DetailsEnvelope(spec.record) }, [400, 404]),
      },
    },
    (request, reply) =>
      answer(request, reply, async () => {
        const record = await spec.get(request.caller.businessId, parseId(request.params.id, spec.resource));
        if (!record) throw notFound(spec.resource);
        return ok(record);
      }),
  );
}
