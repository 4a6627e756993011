// Authentication: the client secret in `Authorization` (raw, or after `Bearer `) names the business of the request.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { findBySecret } from '../modules/business/business.store.js';
import { looksLikeSecret } from '../modules/business/secrets.js';
import { unauthorized } from './errors.js';

export interface Caller {
  businessId: string;
  clientId: string;
  plan: string;
  /** Custom enterprise limits, "second/minute/day", or null for the plan's. */
  ratelimits: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on every route under /business. */
    caller: Caller;
  }
}

/** Reads the secret from the header: the raw value, or the part after `Bearer ` (any case). */
export function secretFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+/i.exec(value);
  return bearer ? value.slice(bearer[0].length).trim() : value;
}

/** An onRequest hook: 401 unless the secret belongs to an unrevoked credential. Looked up on every request, so a revocation takes effect at once. */
export function authenticate(db: Kysely<Database>) {
  return async (request: FastifyRequest) => {
    const secret = secretFrom(request.headers.authorization);
    if (!secret || !looksLikeSecret(secret)) throw unauthorized();
    const found = await findBySecret(db, secret);
    if (!found) throw unauthorized();
    request.caller = { businessId: found.businessid, clientId: found.clientid, plan: found.plan, ratelimits: found.ratelimits };
  };
}
