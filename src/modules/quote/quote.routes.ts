// Quote routes: list and details. Quotes are written from the dashboard, never through the public API.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { mountReadRoutes } from '../../http/read-routes.js';
import { Quote, QuoteListQuery } from './quote.schema.js';
import { getQuote, listQuotes } from './quote.store.js';

export const quoteRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const { db } = deps;
    mountReadRoutes(app, deps, {
      resource: 'Quote',
      plural: 'quotes',
      tags: ['Quotes'],
      record: Quote,
      query: QuoteListQuery,
      keep: ['quotes', 'customers'],
      list: (businessId, page, q) => listQuotes(db, businessId, page, { status: q.status, customerid: q.customerid }),
      get: (businessId, id) => getQuote(db, businessId, id),
    });
  };
