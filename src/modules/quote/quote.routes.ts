// Quote routes: list and details. Quotes are written from the dashboard, never through the public API.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { DetailsEnvelope, ListEnvelope, responses } from '../../http/envelope.js';
import { IdParams } from '../../http/params.js';
import { detailsHandler, listHandler } from '../../http/read-routes.js';
import { Quote, QuoteListQuery } from './quote.schema.js';
import { getQuote, listQuotes, QUOTE_TABLES } from './quote.store.js';

const tags = ['Quotes'];

/** What the API serves under /business/quote, and the dashboard under its own prefix: quotes are read here. */
export const quoteRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    app.get(
      '/list',
      {
        schema: {
          tags,
          operationId: 'quoteList',
          summary: 'List quotes',
          querystring: QuoteListQuery,
          response: responses({ 200: ListEnvelope(Quote) }, [400]),
        },
      },
      listHandler(deps, QUOTE_TABLES, listQuotes),
    );

    app.get(
      '/details/:id',
      {
        schema: {
          tags,
          operationId: 'quoteDetails',
          summary: 'Get quote details',
          params: IdParams,
          response: responses({ 200: DetailsEnvelope(Quote) }, [400, 404]),
        },
      },
      detailsHandler(deps, 'Quote', QUOTE_TABLES, getQuote),
    );
  };
