// Event routes: the business's events of the last 30 days, newest first, and one by id.
import type { ApiPlugin, Deps } from '../../http/deps.js';
import { DetailsEnvelope, ListEnvelope, responses } from '../../http/envelope.js';
import { IdParams } from '../../http/params.js';
import { detailsHandler, listHandler } from '../../http/read-routes.js';
import { Event, EventListQuery } from './event.schema.js';
import { getEvent, listEvents } from './event.store.js';

const tags = ['Events', 'extension'];

export const eventRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    app.get(
      '/list',
      {
        schema: {
          tags,
          operationId: 'eventList',
          summary: 'List events (kept 30 days), newest first',
          querystring: EventListQuery,
          response: responses({ 200: ListEnvelope(Event) }, [400]),
        },
      },
      listHandler(deps, null, listEvents),
    );

    app.get(
      '/details/:id',
      {
        schema: {
          tags,
          operationId: 'eventDetails',
          summary: 'Get an event',
          params: IdParams,
          response: responses({ 200: DetailsEnvelope(Event) }, [400, 404]),
        },
      },
      detailsHandler(deps, 'Event', null, getEvent),
    );
  };
