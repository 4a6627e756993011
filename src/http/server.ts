// The HTTP server: middleware in order (request id, body clean-up, auth, scopes, rate limit, idempotency), the error renderer, one mount line per module.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { trustProxy } from '../config.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import { appointmentRoutes } from '../modules/appointment/appointment.routes.js';
import { bookingRoutes } from '../modules/booking/booking.routes.js';
import { bookingPageRoutes } from '../modules/booking-page/booking-page.routes.js';
import { contactRoutes } from '../modules/contact/contact.routes.js';
import { contractRoutes } from '../modules/contract/contract.routes.js';
import { customerRoutes } from '../modules/customer/customer.routes.js';
import { eventRoutes } from '../modules/event/event.routes.js';
import { leadRoutes } from '../modules/lead/lead.routes.js';
import { quoteRoutes } from '../modules/quote/quote.routes.js';
import { authenticate } from './auth.js';
import { authorize, preflight } from './authorize.js';
import { checkQuery, cleanBody } from './clean-body.js';
import type { Api, Caller, Deps } from './deps.js';
import { failure } from './envelope.js';
import { mountHealth } from './health.js';
import { idempotencyClaim, idempotentWrites } from './idempotency.js';
import { jsonBodyParser } from './json-body.js';
import { unknownParameters } from './list-query.js';
import { openapiOptions } from './openapi.js';
import { rateLimit, windowsOf } from './rate-limit/hook.js';
import { clientError, frameworkError, renderError, routeNotFound } from './render-error.js';
import { requestTimeout } from './request-timeout.js';
import { bodyAjv, compileText } from './validation.js';

export const BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildServer(deps: Deps, logger: FastifyBaseLogger): Promise<Api> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT,
    // Closing is answered below, in the envelope; Fastify's own 503 is not.
    return503OnClosing: false,
    // request.ip: the client's address, read from X-Forwarded-For only when sent by a proxy TRUST_PROXY names.
    trustProxy: trustProxy(deps.config),
    // A path id of any length reaches its route, so a long one is refused as a short bad one is (the request line is
    // bounded by node's header limit, 16 KiB).
    routerOptions: { maxParamLength: 16 * 1024 },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    ajv: { customOptions: {} },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(schema) : compileText(schema),
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    jsonBodyParser(app.getDefaultJsonParser('error', 'error')),
  );
  app.setErrorHandler(renderError);
  app.setNotFoundHandler(routeNotFound);
  requestTimeout(app, deps.config.REQUEST_TIMEOUT_MS); // first of the hooks: 503 "Request timed out" past the budget
  // Every request carries these; declared up front so each request object keeps one shape.
  app.decorateRequest('caller', null as unknown as Caller); // set by authenticate on every /business route
  // Before the durable() hook below: a keyed request commits its transaction first (http/idempotency.ts).
  idempotentWrites(app, deps.db, deps.durable);
  // Hooks that usually have nothing to wait for are callback-style: no promise per request on the fast path.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // An answer sent while closing ends its connection, or a keep-alive client would hold the process open (and the
  // drain) for the whole keep-alive timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (!closing) return done();
    reply
      .header('connection', 'close')
      .code(503)
      .send(failure('Service unavailable', undefined, 'The server is shutting down'));
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const schema = request.routeOptions.schema?.querystring as { properties?: object } | undefined;
    const unknown = schema && unknownParameters(request.query, schema);
    if (unknown) throw unknown;
    checkQuery(request.query, schema?.properties);
    request.body = cleanBody(request.body);
    done();
  });
  // No response to a request that may have written leaves before its writes are on disk.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done(null, payload);
    deps.durable().then(() => done(null, payload), done);
  });
  // A write has committed: the webhook sender looks for the deliveries it may have queued.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') deps.wakeWebhooks();
    done();
  });

  await app.register(swagger, openapiOptions);
  // The plugin's strict CSP, less `upgrade-insecure-requests`: over plain HTTP at any address but loopback it sent
  // every asset to https, and /docs was a blank page.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (csp) => csp.replace(/\s*upgrade-insecure-requests;?/g, ''),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  mountHealth(app, deps);
  // CORS preflights of what publishable keys may call; outside /business, as a preflight carries no key.
  app.options('/business/*', { schema: { hide: true } }, preflight(deps.db, deps.credentialsVersion));

  await app.register(
    async (business: Api) => {
      business.addHook('onRequest', authenticate(deps.db, deps.credentialsVersion));
      business.addHook('onRequest', authorize());
      business.addHook('onRequest', rateLimit(deps.limiter, windowsOf(deps.config.PUBLISHABLE_RATE_LIMIT)));
      business.addHook('preValidation', idempotencyClaim(deps.db));
      await business.register(customerRoutes(deps), { prefix: '/customer' });
      await business.register(leadRoutes(deps), { prefix: '/lead' });
      await business.register(contactRoutes(deps), { prefix: '/contact' });
      await business.register(quoteRoutes(deps), { prefix: '/quote' });
      await business.register(contractRoutes(deps), { prefix: '/contract' });
      await business.register(bookingRoutes(deps), { prefix: '/booking' });
      await business.register(appointmentRoutes(deps), { prefix: '/appointment' });
      await business.register(eventRoutes(deps), { prefix: '/event' });
    },
    { prefix: '/business' },
  );
  await app.register(dashboardPlugin(deps), { prefix: '/dashboard' });
  await app.register(bookingPageRoutes(deps), { prefix: '/book' });
  return app;
}
