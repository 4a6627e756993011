// Quote routes: list and details for the API and the dashboard; create, update and pricing for the dashboard only.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { CreatedEnvelope, created, ok, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import { Quote, QuoteCreate, QuoteListQuery, QuotePricing, QuoteUpdate } from './quote.schema.js';
import { priceItems } from './quote.service.js';
import { createQuote, getQuote, listQuotes, QUOTE_TABLES, updateQuote } from './quote.store.js';

const tags = ['Quotes'];

/** What the API serves under /business/quote, and the dashboard under its own prefix: quotes are read here. */
export const quoteRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const read = readRoutes(deps, { record: Quote, name: 'Quote', tags, keep: QUOTE_TABLES });
    app.get(
      '/list',
      read.list({ operationId: 'quoteList', summary: 'List quotes', querystring: QuoteListQuery }, listQuotes),
    );

    app.get('/details/:id', read.details({ operationId: 'quoteDetails', summary: 'Get quote details' }, getQuote));
  };

/** The writes the API leaves to the dashboard: mounted beside quoteRoutes there, never under /business. */
export const quoteDashboardRoutes =
  (_deps: Deps): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      { schema: { body: QuoteCreate, response: responses({ 201: CreatedEnvelope(Quote) }, [400, 409]) } },
      async (request, reply) => {
        const quote = await createQuote(request.db, request.caller.businessId, request.body, 'dashboard');
        return reply.code(201).send(created('Quote', quote));
      },
    );

    app.patch(
      '/update/:id',
      {
        schema: {
          params: IdParams,
          body: QuoteUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404, 409]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Quote');
        const modified = await updateQuote(request.db, request.caller.businessId, id, request.body);
        if (modified === undefined) throw notFound('Quote');
        return updated('Quote', id, modified);
      },
    );

    // Totals while the items are typed, priced by the same function that prices a saved quote.
    app.post('/price', { schema: { body: QuotePricing } }, async (request) => ok(priceItems(request.body.items)));
  };
