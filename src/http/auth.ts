// Authentication: the client secret in `Authorization` (raw, or after `Bearer `) names the business of the request.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { now } from '../db/ids.js';
import type { Database } from '../db/schema.js';
import { findBySecret, noteCredentialUse } from '../modules/business/business.store.js';
import { looksLikeSecret } from '../modules/business/secrets.js';
import type { Caller } from './deps.js';
import { unauthorized } from './errors.js';

/** Reads the secret from the header: the raw value, or the part after `Bearer ` (any case). */
export function secretFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+/i.exec(value);
  return bearer ? value.slice(bearer[0].length).trim() : value;
}

/** Secrets whose caller is kept in memory; past this many the cache starts again (an attacker cannot grow it: unknown secrets are never kept). */
const CACHED_SECRETS = 10_000;
/** A key's last use is written at most this often: a write per request would cost more than the request. */
const USE_NOTED_EVERY_MS = 60_000;

/**
 * An onRequest hook: 401 unless the secret belongs to an unrevoked credential. The caller behind each secret is kept
 * in memory, tagged with the credentials version it was read at (src/db/changes.ts); any change to a credential or
 * business, in this process or another, moves the version, so a revoked secret fails on the next request.
 */
export function authenticate(db: Kysely<Database>, credentialsVersion: () => number | undefined) {
  const cache = new Map<string, { caller: Caller; version: number }>();
  const noted = new Map<string, number>();
  /** Notes a key's use, at most once a minute per key, without holding up the request (a failed write is lost). */
  const noteUse = (request: FastifyRequest, clientId: string) => {
    const at = Date.now();
    if (at - (noted.get(clientId) ?? 0) < USE_NOTED_EVERY_MS) return;
    if (noted.size >= CACHED_SECRETS) noted.clear();
    noted.set(clientId, at);
    noteCredentialUse(db, clientId, now()).catch((error) => request.log.warn({ err: error }, 'last use not noted'));
  };
  const lookUp = async (request: FastifyRequest, secret: string, version: number | undefined) => {
    const found = await findBySecret(db, secret);
    if (!found) {
      cache.delete(secret);
      throw unauthorized();
    }
    const caller: Caller = Object.freeze({
      businessId: found.businessid,
      clientId: found.clientid,
      plan: found.plan,
      ratelimits: found.ratelimits,
      scopes: found.scopes === null ? null : Object.freeze(found.scopes.split(',')),
      origins: found.type === 'publishable' ? Object.freeze((found.origins ?? '').split(',')) : null,
    });
    if (version !== undefined) {
      if (cache.size >= CACHED_SECRETS) cache.clear();
      cache.set(secret, { caller, version });
    }
    request.caller = caller;
    noteUse(request, caller.clientId);
  };
  // Callback-style: a cached caller costs no promise.
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    const secret = secretFrom(request.headers.authorization);
    if (!secret || !looksLikeSecret(secret)) return done(unauthorized());
    // Read before the lookup: a change that lands during it moves the version past the one the entry is tagged with.
    const version = credentialsVersion();
    const kept = version === undefined ? undefined : cache.get(secret);
    if (kept && kept.version === version) {
      request.caller = kept.caller;
      noteUse(request, kept.caller.clientId);
      return done();
    }
    lookUp(request, secret, version).then(() => done(), done);
  };
}
