// The two read routes every resource has: GET /list (page, search, filters) and GET /details/:id.
import type { Static, TObject, TSchema } from 'typebox';
import { DetailsEnvelope, listed, ListEnvelope, ok, responses } from './envelope.js';
import { notFound } from './errors.js';
import { paging, type Paging } from './list-query.js';
import { IdParams, parseId } from './params.js';
import type { Api } from './server.js';

export interface ReadRoutes<Q extends TObject, R> {
  /** Singular, capitalised: "Quote". Names the operations and the 400/404 messages. */
  resource: string;
  plural: string;
  tags: string[];
  /** Tags of the details route when they differ (an extension). */
  detailsTags?: string[];
  record: TSchema;
  query: Q;
  list(businessId: string, paging: Paging, query: Static<Q>): Promise<{ records: R[]; total: number }>;
  get(businessId: string, id: string): Promise<R | undefined>;
}

export function mountReadRoutes<Q extends TObject, R>(app: Api, spec: ReadRoutes<Q, R>) {
  const name = spec.resource.toLowerCase();

  app.get('/list', {
    schema: {
      tags: spec.tags,
      operationId: `${name}List`,
      summary: `List ${spec.plural}`,
      querystring: spec.query,
      response: responses({ 200: ListEnvelope(spec.record) }, [400]),
    },
  }, async (request) => {
    const query = request.query as Static<Q>;
    const page = paging(query as { page?: number; limit?: number; search?: string });
    const { records, total } = await spec.list(request.caller.businessId, page, query);
    return listed(records, total, page.page, page.limit);
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
