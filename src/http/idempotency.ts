// Idempotency-Key on POST: the first response is kept for 24 hours per business and replayed for the same request.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { claimKey, completeKey, releaseKey } from '../modules/idempotency/idempotency.store.js';
import { conflict, invalid } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key this request claimed, when it carried one. */
    idempotencyKey?: string;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** A preValidation hook: claims the key, or answers with the stored response, or with 409. Nothing to do without a key. */
export function idempotencyClaim(db: Kysely<Database>) {
  const claim = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]): Promise<boolean> => {
    if (typeof key !== 'string' || !KEY.test(key))
      throw invalid('Idempotency-Key must be 1 to 255 visible ASCII characters');
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const claimed = await claimKey(db, request.caller.businessId, key, hash);
    if (claimed.state === 'claimed') {
      request.idempotencyKey = key;
      return false;
    }
    if (claimed.state === 'mismatch') throw conflict('Idempotency-Key was already used with a different request');
    if (claimed.state === 'running') throw conflict('A request with this Idempotency-Key is still in progress');
    reply
      .code(claimed.status)
      .header('idempotent-replayed', 'true')
      .header('content-type', 'application/json; charset=utf-8')
      .send(claimed.body);
    return true;
  };
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return done();
    // A replayed response has been sent: the request goes no further, so done() is not called.
    claim(request, reply, key).then((replied) => replied || done(), done);
  };
}

/** An onSend hook: keeps the response of a claimed key; a server error releases the key instead. */
export function idempotencyRecord(db: Kysely<Database>, durable: () => Promise<void>) {
  const record = async (request: FastifyRequest, reply: FastifyReply, key: string, payload: unknown) => {
    // A server error releases the key without holding its answer back: when the database is what failed, the
    // release may wait as long as the database does (or fail too, and the claim expires on its own).
    if (reply.statusCode >= 500) {
      releaseKey(db, request.caller.businessId, key).catch((error) =>
        request.log.warn({ err: error }, 'idempotency key not released'),
      );
      return;
    }
    await completeKey(db, request.caller.businessId, key, reply.statusCode, String(payload));
    // The stored response must be on disk before the client sees it, or a retry after a crash could run twice.
    await durable();
  };
  return (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload?: unknown) => void,
  ) => {
    const key = request.idempotencyKey;
    if (!key) return done(null, payload);
    request.idempotencyKey = undefined;
    // Past REQUEST_TIMEOUT_MS the client may have had its 503 meanwhile: then there is nothing left to send.
    record(request, reply, key, payload).then(
      () => reply.raw.headersSent || done(null, payload),
      (error) => reply.raw.headersSent || done(error),
    );
  };
}
