// The two read routes every resource has: GET /list (page, search, filters) and GET /details/:id.
import type { Static, TObject, TSchema } from 'typebox';
import { readVersion } from '../db/counts.js';
import type { RecordTableName } from '../db/schema.js';
import { DetailsEnvelope, listed, ListEnvelope, ok, responses } from './envelope.js';
import { notFound } from './errors.js';
import { paging, type Paging } from './list-query.js';
import { IdParams, parseId } from './params.js';
import type { Api, Deps } from './server.js';

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
   * Keeps list answers (deps.readCache) while these tables are unchanged: every table whose rows a list page shows,
   * the resource's own first. Left out where an answer also depends on the clock (appointment stats count upcoming bookings).
   */
  keep?: readonly RecordTableName[];
  list(businessId: string, paging: Paging, query: Static<Q>): Promise<{ records: R[]; total: number }>;
  get(businessId: string, id: string): Promise<R | undefined>;
}

/**
 * With `spec.keep`, a list answer is kept (deps.readCache) per business and URL, tagged with the read version of those
 * tables, and served again while that version is unchanged: one indexed lookup instead of the page, its total and
 * its serialisation.
 */
export function mountReadRoutes<Q extends TObject, R>(app: Api, { db, readCache }: Deps, spec: ReadRoutes<Q, R>) {
  const name = spec.resource.toLowerCase();

  app.get('/list', {
    schema: {
      tags: spec.tags,
      operationId: `${name}List`,
      summary: `List ${spec.plural}`,
      querystring: spec.query,
      response: responses({ 200: ListEnvelope(spec.record) }, [400]),
    },
  }, async (request, reply) => {
    const { businessId } = request.caller;
    const read = async () => {
      const query = request.query as Static<Q>;
      const page = paging(query as { page?: number; limit?: number; search?: string });
      const { records, total } = await spec.list(businessId, page, query);
      return reply.serialize(listed(records, total, page.page, page.limit)) as string;
    };
    const keep = spec.keep;
    // Read the version first: a write landing while the page is read moves it past the tag the answer is kept with.
    const body = keep ? await readCache.answer(`${businessId}\n${request.url}`, await readVersion(db, businessId, keep), read) : await read();
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/details/:id', {
    schema: {
      tags: spec.detailsTags ?? spec.tags,
      operationId: `${name}Details`,
      summary: `Get ${name} details`,
      params: IdParams,
      response: responses({ 200: DetailsEnvelope(spec.record) }, [400, 404]),
    },
  }, async (request) => {
    const record = await spec.get(request.caller.businessId, parseId(request.params.id, spec.resource));
    if (!record) throw notFound(spec.resource);
    return ok(record);
  });
}
