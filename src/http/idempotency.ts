// Idempotency-Key on POST: the first response is kept for 24 hours per business and replayed for the same request.
// A keyed request runs in one database transaction that claims the key, makes the request's writes and stores its
// response, committed once before the reply leaves: after a crash a retry finds the whole request or nothing of it.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ControlledTransaction, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { claimKey, completeKey } from '../modules/idempotency/idempotency.store.js';
import type { Api } from './deps.js';
import { conflict, invalid } from './errors.js';

/** The savepoint after the claim: an error response undoes the handler's writes back to it and keeps the claim. */
type Keyed = { key: string; trx: ControlledTransaction<Database, ['handler']> };

declare module 'fastify' {
  interface FastifyRequest {
    /** The key this request claimed and the transaction it holds, until its response is stored. */
    idempotency?: Keyed;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Declares `request.db` (the keyed request's transaction, else `db`) and adds the onSend hook that commits a keyed
 * request with its response. Call on the root before any onSend hook that waits for the commit (the durable() one).
 */
export function idempotentWrites(app: Api, db: Kysely<Database>, durable: () => Promise<void>) {
  app.decorateRequest('idempotency', undefined);
  app.decorateRequest('db', {
    getter(this: FastifyRequest) {
      return this.idempotency?.trx ?? db;
    },
  });
  app.addHook('onSend', idempotencyRecord(durable));
  // A request that ends without a response (aborted before onSend) must not keep its transaction, nor the connection.
  app.addHook('onResponse', (request, _reply, done) => {
    const keyed = request.idempotency;
    if (!keyed) return done();
    request.idempotency = undefined;
    keyed.trx
      .rollback()
      .execute()
      .then(() => done(), done);
  });
}

/** A preValidation hook: claims the key, or answers with the stored response, or with 409. Nothing to do without a key. */
export function idempotencyClaim(db: Kysely<Database>) {
  const claim = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]): Promise<boolean> => {
    if (typeof key !== 'string' || !KEY.test(key))
      throw invalid('Idempotency-Key must be 1 to 255 visible ASCII characters');
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const trx = await db.startTransaction().execute();
    try {
      const claimed = await claimKey(trx, request.caller.businessId, key, hash);
      if (claimed.state === 'claimed') {
        const handler = await trx.savepoint('handler').execute();
        // Answered already (the request budget ran out while the claim waited for the database) or gone: nothing may
        // run now, or the write would happen without its key and a retry would make it twice.
        if (reply.raw.writableEnded || reply.raw.destroyed) {
          await handler.rollback().execute();
          return true;
        }
        request.idempotency = { key, trx: handler };
        return false;
      }
      await trx.rollback().execute();
      if (claimed.state === 'mismatch') throw conflict('Idempotency-Key was already used with a different request');
      if (claimed.state === 'running') throw conflict('A request with this Idempotency-Key is still in progress');
      reply
        .code(claimed.status)
        .header('idempotent-replayed', 'true')
        .header('content-type', 'application/json; charset=utf-8')
        .send(claimed.body);
      return true;
    } catch (error) {
      if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
      throw error;
    }
  };
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return done();
    // A replayed response has been sent: the request goes no further, so done() is not called.
    claim(request, reply, key).then((replied) => replied || done(), done);
  };
}

/**
 * An onSend hook: a keyed request's response is stored in its transaction, which then commits and reaches the disk
 * before the response leaves. An error response (4xx) is stored without the handler's writes; a server error rolls
 * everything back and leaves the key free.
 */
function idempotencyRecord(durable: () => Promise<void>) {
  const record = async (request: FastifyRequest, reply: FastifyReply, { key, trx }: Keyed, payload: unknown) => {
    try {
      if (reply.statusCode >= 500) {
        // Not awaited: when the database is what failed, the rollback may wait as long as the database does, and the
        // 503 must not. Nothing was committed, so the key is free either way.
        trx
          .rollback()
          .execute()
          .catch((error) => request.log.warn({ err: error }, 'keyed request not rolled back'));
        return;
      }
      if (reply.statusCode >= 400) await trx.rollbackToSavepoint('handler').execute();
      await completeKey(trx, request.caller.businessId, key, reply.statusCode, String(payload));
      await trx.commit().execute();
    } catch (error) {
      if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
      throw error;
    }
    // The stored response must be on disk before the client sees it, or a retry after a crash could run twice.
    await durable();
  };
  return (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload?: unknown) => void,
  ) => {
    const keyed = request.idempotency;
    if (!keyed) return done(null, payload);
    request.idempotency = undefined;
    // Past REQUEST_TIMEOUT_MS the client may have had its 503 meanwhile: then there is nothing left to send.
    record(request, reply, keyed, payload).then(
      () => reply.raw.headersSent || done(null, payload),
      (error) => reply.raw.headersSent || done(error),
    );
  };
}
