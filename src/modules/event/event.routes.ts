// Event routes: the business's events of the last 30 days, newest first, and one by id.
import type { ApiPlugin, Deps } from '../../http/deps.js';
import { readRoutes } from '../../http/read-routes.js';
import { Event, EventListQuery } from './event.schema.js';
import { getEvent, listEvents } from './event.store.js';

const tags = ['Events', 'extension'];

export const eventRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    // keep: null, as events leave the list after 30 days: an answer depends on the clock, not only on writes.
    const read = readRoutes(deps, { record: Event, name: 'Event', tags, keep: null });
    app.get(
      '/list',
      read.list(
        { operationId: 'eventList', summary: 'List events (kept 30 days), newest first', querystring: EventListQuery },
        listEvents,
      ),
    );

    app.get('/details/:id', read.details({ operationId: 'eventDetails', summary: 'Get an event' }, getEvent));
  };
