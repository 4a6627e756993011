// What a key may do: each /business operation's resource and access (one table, checked against the route table by
// test/scopes.test.ts), a key's scopes, and publishable keys: leads only, only from their origins, with CORS.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ScopeResource } from '../modules/business/business.schema.js';
import { publishableOrigins } from '../modules/business/business.store.js';
import { failure } from './envelope.js';
import { forbidden } from './errors.js';

type Access = 'read' | 'write';

/**
 * Every /business operation by operationId: the resource its scope names, and whether it reads (list, details) or
 * writes (create, update, convert). An operation missing here is refused to every restricted key.
 */
export const OPERATION_SCOPES: Readonly<Record<string, readonly [ScopeResource, Access]>> = {
  customerCreate: ['customers', 'write'],
  customerList: ['customers', 'read'],
  customerDetails: ['customers', 'read'],
  customerUpdate: ['customers', 'write'],
  leadCreate: ['leads', 'write'],
  leadList: ['leads', 'read'],
  leadDetails: ['leads', 'read'],
  leadUpdate: ['leads', 'write'],
  leadConvert: ['leads', 'write'],
  contactCreate: ['contacts', 'write'],
  contactList: ['contacts', 'read'],
  contactDetails: ['contacts', 'read'],
  contactUpdate: ['contacts', 'write'],
  quoteList: ['quotes', 'read'],
  quoteDetails: ['quotes', 'read'],
  contractList: ['contracts', 'read'],
  contractDetails: ['contracts', 'read'],
  bookingList: ['bookings', 'read'],
  bookingDetails: ['bookings', 'read'],
  appointmentList: ['appointments', 'read'],
  appointmentDetails: ['appointments', 'read'],
  eventList: ['events', 'read'],
  eventDetails: ['events', 'read'],
};

/** What a publishable key may call, with the method and URL a browser's preflight names (bookings will join). */
export const PUBLISHABLE_OPERATIONS: Readonly<Record<string, { method: string; url: string }>> = {
  leadCreate: { method: 'POST', url: '/business/lead/create' },
};

/** A key's scopes allow an access: `*`, the scope itself, or for a read the resource's write (as Stripe's keys). */
export function allows(scopes: readonly string[], resource: string, access: Access): boolean {
  return (
    scopes.includes('*') ||
    scopes.includes(`${resource}:${access}`) ||
    (access === 'read' && scopes.includes(`${resource}:write`))
  );
}

/**
 * A request a browser sent from a page on another site: its `Origin` names another host than the one it was sent to.
 * Programs do not send `Origin`; this server's own pages (/docs) send their own.
 */
function crossOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/** Headers a browser page may read on an answer to a publishable key. */
const EXPOSED =
  'X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Idempotent-Replayed';

/**
 * An onRequest hook after authentication: a publishable key's `Origin` must be one of its own (then the answer
 * carries CORS headers, errors included), and a restricted key's scopes must cover the operation; else 403.
 * A secret key never gets CORS headers, and is refused from a page on another site before it can write anything
 * (a preflight answered for a publishable key's origin would otherwise let a page's secret key create leads).
 */
export function authorize() {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const { scopes, origins } = request.caller;
    if (!origins && crossOrigin(request)) {
      return done(forbidden('A secret key may not be used from a web page on another site: use a publishable key'));
    }
    if (!scopes && !origins) return done();
    const operationId = (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
    // No route (a 404 follows) or a route no key reaches by scope.
    if (!operationId) return done();
    const [resource, access] = OPERATION_SCOPES[operationId] ?? ['this operation', 'write'];
    if (origins) {
      const origin = request.headers.origin;
      if (!origin)
        return done(forbidden('A publishable key is accepted only from a browser page on one of its origins'));
      if (!origins.includes(origin)) return done(forbidden(`This key may not be used from ${origin}`));
      reply.headers({
        'access-control-allow-origin': origin,
        'access-control-expose-headers': EXPOSED,
        vary: 'Origin',
      });
      if (!Object.hasOwn(PUBLISHABLE_OPERATIONS, operationId)) {
        return done(forbidden(`This key may not ${access} ${resource}`));
      }
      return done();
    }
    if (scopes && !allows(scopes, resource, access)) return done(forbidden(`This key may not ${access} ${resource}`));
    done();
  };
}

/**
 * The CORS preflight (OPTIONS) of the operations a publishable key may call. A preflight carries no key, so it is
 * answered for any origin some unrevoked publishable key lists (the request itself then checks its own key's);
 * the list is read again whenever a credential may have changed.
 */
export function preflight(db: Kysely<Database>, credentialsVersion: () => number | undefined) {
  let kept: { origins: Set<string>; version: number } | undefined;
  const origins = async () => {
    const version = credentialsVersion();
    if (kept && kept.version === version) return kept.origins;
    const read = await publishableOrigins(db);
    if (version !== undefined) kept = { origins: read, version };
    return read;
  };
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    const method = String(request.headers['access-control-request-method'] ?? '').toUpperCase();
    const url = request.url.split('?')[0];
    const operation = Object.values(PUBLISHABLE_OPERATIONS).find((o) => o.url === url && o.method === method);
    if (!origin || !operation || !(await origins()).has(origin)) {
      return reply
        .code(403)
        .send(failure('CORS request not allowed', undefined, 'No publishable key accepts this origin and operation'));
    }
    return reply
      .code(204)
      .headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': operation.method,
        'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key, X-Request-Id',
        'access-control-max-age': '600',
        vary: 'Origin',
      })
      .send();
  };
}
