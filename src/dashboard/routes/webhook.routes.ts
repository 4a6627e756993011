// Settings → Webhooks for the signed-in business: endpoints with their recent success rate, add and edit (URL and
// events checked as the CLI checks them), reveal and rotate the secret, enable/disable, a test ping, the delivery
// log with redelivery, and an event with its deliveries. Every query takes the session's business first.
import { Type } from 'typebox';
import type { Api, Deps } from '../../http/deps.js';
import { created, done, listed, ok, updated } from '../../http/envelope.js';
import { invalid, notFound, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { paging } from '../../http/list-query.js';
import { IdParams, parseId } from '../../http/params.js';
import { EVENT_TYPES } from '../../modules/event/event.schema.js';
import { getEvent } from '../../modules/event/event.store.js';
import { eventDeliveries, listDeliveries, recentSuccess, redeliver } from '../../modules/webhook/delivery.store.js';
import { EndpointCreate, EndpointUpdate } from '../../modules/webhook/webhook.schema.js';
import { endpointProblems, pingEndpoint } from '../../modules/webhook/webhook.service.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpointRow,
  listEndpoints,
  rotateSecret,
  setEndpointStatus,
  updateEndpoint,
} from '../../modules/webhook/webhook.store.js';

const Paging = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
});

export async function webhookRoutes(app: Api, { db, config }: Deps) {
  const check = async (input: { url?: string; events?: string[] }) => {
    const problems = await endpointProblems(input, config.WEBHOOK_ALLOW_PRIVATE);
    if (Object.keys(problems).length > 0) throw invalid(SUBMISSION_PROBLEMS, problems);
  };
  const endpoint = async (businessId: string, raw: string) => {
    const row = await getEndpointRow(db, businessId, parseId(raw, 'Endpoint'));
    if (!row) throw notFound('Endpoint');
    return row;
  };

  /** The event types with what each means: the add/edit form's checklist. */
  app.get('/events', async () => ok(Object.entries(EVENT_TYPES).map(([type, description]) => ({ type, description }))));

  app.get('/list', async (request) => {
    const businessId = request.caller.businessId;
    const [endpoints, rates] = await Promise.all([listEndpoints(db, businessId), recentSuccess(db, businessId)]);
    return ok(endpoints.map((e) => ({ ...e, recent: rates.get(e._id) ?? { total: 0, succeeded: 0 } })));
  });

  app.post('/create', { schema: { body: EndpointCreate } }, async (request, reply) => {
    await check(request.body);
    const made = await createEndpoint(db, request.caller.businessId, request.body);
    return reply.code(201).send(created('Endpoint', { ...made.endpoint, secret: made.secret }));
  });

  app.patch('/update/:id', { schema: { params: IdParams, body: EndpointUpdate } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    await check(request.body);
    const modified = await updateEndpoint(db, row.businessid, row.id, request.body);
    return updated('Endpoint', row.id, modified ?? 0);
  });

  app.post('/enable/:id', { schema: { params: IdParams } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    await setEndpointStatus(db, row.businessid, row.id, 'enabled');
    return done('Endpoint enabled', { _id: row.id });
  });

  app.post('/disable/:id', { schema: { params: IdParams } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    await setEndpointStatus(db, row.businessid, row.id, 'disabled', 'Disabled from the dashboard');
    return done('Endpoint disabled', { _id: row.id });
  });

  app.post('/delete/:id', { schema: { params: IdParams } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    await deleteEndpoint(db, row.businessid, row.id);
    return done('Endpoint deleted', { _id: row.id });
  });

  app.get('/secret/:id', { schema: { params: IdParams } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    return ok({ secret: row.secret, previousuntil: row.previoussecret ? row.previousuntil : null });
  });

  app.post('/rotate/:id', { schema: { params: IdParams } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    return done('Secret rotated; the old one signs beside it for 24 hours', {
      secret: await rotateSecret(db, row.businessid, row.id),
    });
  });

  app.post('/test/:id', { schema: { params: IdParams } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    return done('Test event queued', { eventid: await pingEndpoint(db, row) });
  });

  app.get('/deliveries/:id', { schema: { params: IdParams, querystring: Paging } }, async (request) => {
    const row = await endpoint(request.caller.businessId, request.params.id);
    const page = paging(request.query);
    const { records, total } = await listDeliveries(db, row.businessid, row.id, page);
    return listed(records, total, page.page, page.limit);
  });

  app.post('/redeliver/:id', { schema: { params: IdParams } }, async (request) => {
    const id = parseId(request.params.id, 'Delivery');
    if (!(await redeliver(db, request.caller.businessId, id))) throw notFound('Delivery');
    return done('Delivery queued again', { _id: id });
  });

  app.get('/event/:id', { schema: { params: IdParams } }, async (request) => {
    const businessId = request.caller.businessId;
    const id = parseId(request.params.id, 'Event');
    const event = await getEvent(db, businessId, id);
    if (!event) throw notFound('Event');
    return ok({ event, deliveries: await eventDeliveries(db, businessId, event) });
  });
}
