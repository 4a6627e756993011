// The OpenAPI 3.1 document: generated from the route schemas by @fastify/swagger; this file holds its frame and what
// every /business operation shares (request and response headers, the rules every body follows), declared once.
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { EVENT_TYPES, Event } from '../modules/event/event.schema.js';
import { MAX_DEPTH } from './clean-body.js';
import { ErrorSchema } from './envelope.js';

/** What the server does to every request body before its schema sees it (clean-body.ts, json-body.ts). */
const BODY_RULES =
  'JSON in UTF-8, uncompressed (a Content-Encoding is a 415). Strings are trimmed and a blank string counts as not ' +
  `given (null); unknown fields are ignored. Text may not contain U+0000 or a lone surrogate (anywhere in the body), and the body may nest ` +
  `at most ${MAX_DEPTH} levels: either is a 400.`;

const IdempotencyKey = Type.String({
  description:
    'Optional. The first response for a key (1 to 255 visible ASCII characters) is kept for 24 hours per business ' +
    'and replayed, with `Idempotent-Replayed: true`, for the same request; the same key with another request is a 409.',
  pattern: '^[\\x21-\\x7e]{1,255}$',
});

const RATE_HEADERS = {
  'X-RateLimit-Limit': Type.Integer({ description: 'Requests allowed in the window closest to running out' }),
  'X-RateLimit-Remaining': Type.Integer({ description: 'Requests left in that window' }),
  'X-RateLimit-Reset': Type.Integer({ description: 'When that window resets, in Unix seconds' }),
};
const RETRY_AFTER = { 'Retry-After': Type.Integer({ description: 'Seconds until a request will succeed' }) };

type RouteSchema = Record<string, unknown> & { body?: object; response?: Record<string, object> };

/**
 * Adds to each /business operation's document what its route schema does not say (to a public one, its body's rules): the rate-limit headers on every
 * authenticated response (Retry-After on a 429), Idempotency-Key (and its 409) on POST, and the rules and the 415 of a body.
 * The route schemas themselves, which validate, are left as they are.
 */
function documentShared({ schema, url, route }: { schema: unknown; url: string; route: { method: unknown } }) {
  const routeSchema = schema as RouteSchema | undefined;
  if (!routeSchema || !url.startsWith('/business/')) {
    // The public booking pages' bodies (/book) follow the same rules, with their 415; no credentials, no rate headers.
    if (!routeSchema?.body) return { schema: routeSchema as FastifySchema, url };
    const body = { ...routeSchema.body, description: BODY_RULES };
    const response = {
      ...routeSchema.response,
      415: { ...ErrorSchema, description: 'Content-Encoding is not supported' },
    };
    return { schema: { ...routeSchema, body, response } as FastifySchema, url };
  }
  const response: Record<string, object> = {};
  for (const [status, reply] of Object.entries(routeSchema.response ?? {})) {
    if (status === '401') response[status] = reply;
    else
      response[status] = { ...reply, headers: status === '429' ? { ...RATE_HEADERS, ...RETRY_AFTER } : RATE_HEADERS };
  }
  const out: RouteSchema = { ...routeSchema, response };
  if (routeSchema.body) {
    out.body = { ...routeSchema.body, description: BODY_RULES };
    response[415] = { ...ErrorSchema, description: 'Content-Encoding is not supported', headers: RATE_HEADERS };
  }
  if (route.method === 'POST') {
    out.headers = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });
    response[409] ??= {
      ...ErrorSchema,
      description: 'Idempotency-Key already used with another request, or its first request is still running',
      headers: RATE_HEADERS,
    };
  }
  return { schema: out as FastifySchema, url };
}

const SIGNATURE_HEADERS = [
  ['webhook-id', 'The event id: the same on every attempt, for deduplication'],
  ['webhook-timestamp', 'Seconds since the epoch when this attempt was signed; reject old ones to stop replays'],
  [
    'webhook-signature',
    'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"> keyed with the base64 after whsec_ (Standard Webhooks); two, space-separated, during a rotation',
  ],
  ['x-cashfin-signature', 'Hex HMAC-SHA256 of the raw body keyed with the secret string as it is (Cashfin)'],
] as const;

/** OpenAPI 3.1 `webhooks`: each event type is a POST mteja makes to an endpoint that wants it. */
const webhooks: Record<string, object> = Object.fromEntries(
  Object.entries(EVENT_TYPES).map(([type, description]) => [
    type,
    {
      post: {
        summary: description,
        operationId: `webhook_${type.replace('.', '_')}`,
        tags: ['Webhooks'],
        parameters: SIGNATURE_HEADERS.map(([name, about]) => ({
          name,
          in: 'header',
          required: true,
          description: about,
          schema: { type: 'string' },
        })),
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { ...Event, properties: { ...Event.properties, type: { type: 'string', const: type } } },
            },
          },
        },
        responses: {
          '200': { description: 'Any 2xx within 10 s acknowledges it; anything else is retried on the schedule' },
        },
      },
    },
  ]),
);

export const openapiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'mteja CRM API',
      version: '1.0.0',
      description:
        'The CRM module of the Cashfin Business API (customers, leads, contacts, quotes, contracts, bookings, appointment types), ' +
        'served by mteja. Operations tagged `extension` go beyond the Cashfin surface; they add to it and never change a documented shape. ' +
        `Request bodies: ${BODY_RULES} Query strings: whole numbers are plain decimal digits, ids are 24 hex characters in either case, text may not contain U+0000 or a lone surrogate, and unknown parameters are ignored.`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [
      { name: 'Customers', description: 'Customer records: create, list, details, update' },
      { name: 'Leads', description: 'Prospective customers through the sales pipeline' },
      { name: 'Contacts', description: 'A general-purpose business contact directory' },
      { name: 'Quotes', description: 'Sales proposals (read-only through the API)' },
      { name: 'Contracts', description: 'Agreements with customers (read-only through the API)' },
      { name: 'Bookings', description: 'Scheduled sessions (read-only through the API)' },
      {
        name: 'Appointments',
        description: 'Bookable appointment types with booking statistics (read-only through the API)',
      },
      { name: 'extension', description: 'Endpoints mteja adds beyond the Cashfin documentation' },
      { name: 'Operations', description: 'Liveness and readiness probes, outside authentication' },
      { name: 'Webhooks', description: 'Events mteja POSTs to the endpoints that want them, signed (see `webhooks`)' },
    ],
    // The option's type is a union of OpenAPI versions, only 3.1's having `webhooks`; the plugin copies it as is.
    webhooks: webhooks as never,
    components: {
      securitySchemes: {
        clientSecret: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'The client secret (`cs_…`), raw or after `Bearer `',
        },
      },
    },
    security: [{ clientSecret: [] }],
  },
  transform: documentShared as SwaggerTransform,
};
