// Idempotency keys in the database, so every node sees them: claim a key inside the request's own transaction, keep
// its response there, replay it, expire it. A claim is never committed on its own: it commits with the request's
// writes and its stored response, or not at all, so a crash leaves either the finished request or a free key.

import { sql, type Transaction } from 'kysely';
import { engineOf, type Queryable } from '../../db/engine.js';
import { now } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';

export const KEEP_MS = 24 * 3600_000;
/**
 * A claim committed as "running" is left by a version that committed claims before the request ran (or by such a
 * node of a cluster being upgraded); after this long its process died, and the key may be claimed again.
 */
export const ABANDONED_MS = 5 * 60_000;

export type Claim =
  | { state: 'claimed' }
  | { state: 'replay'; status: number; body: string }
  | { state: 'mismatch' }
  | { state: 'running' };

/**
 * Claims a key for a request inside `trx`, the transaction the request's writes will run in, or says why not: its
 * stored response, another body, or a first request still running. On PostgreSQL a request holding the key keeps a
 * transaction-scoped advisory lock on it, which ends with its transaction or its connection (a dead process), so a
 * second request meets "running" only while the first truly runs. On SQLite the one connection runs one transaction
 * at a time: a second request finds the first one finished.
 */
export async function claimKey(
  trx: Transaction<Database>,
  businessId: string,
  key: string,
  requesthash: string,
  at = new Date(),
): Promise<Claim> {
  if (engineOf(trx) === 'postgres') {
    const { rows } = await sql<{ held: boolean }>`
      select pg_try_advisory_xact_lock(hashtextextended(${`${businessId} ${key}`}, 0)) as held`.execute(trx);
    if (!rows[0].held) return { state: 'running' };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await trx
      .insertInto('idempotency_keys')
      .values({
        businessid: businessId,
        key,
        requesthash,
        status: 'running',
        responsestatus: null,
        responsebody: null,
        createdat: at.toISOString(),
        expiresat: new Date(at.getTime() + KEEP_MS).toISOString(),
      })
      .onConflict((oc) => oc.columns(['businessid', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows) === 1) return { state: 'claimed' };
    const found = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('businessid', '=', businessId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!found) continue; // rolled back or expired between the two statements
    if (found.expiresat <= at.toISOString()) {
      await trx
        .deleteFrom('idempotency_keys')
        .where('businessid', '=', businessId)
        .where('key', '=', key)
        .where('expiresat', '=', found.expiresat)
        .execute();
      continue;
    }
    if (found.requesthash !== requesthash) return { state: 'mismatch' };
    if (found.status === 'done') return { state: 'replay', status: found.responsestatus!, body: found.responsebody! };
    if (new Date(found.createdat).getTime() > at.getTime() - ABANDONED_MS) return { state: 'running' };
    const taken = await trx
      .updateTable('idempotency_keys')
      .set({ createdat: at.toISOString() })
      .where('businessid', '=', businessId)
      .where('key', '=', key)
      .where('status', '=', 'running')
      .where('createdat', '=', found.createdat)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1 ? { state: 'claimed' } : { state: 'running' };
  }
  return { state: 'running' };
}

/** Keeps the response for replay, in the transaction that claimed the key (committed with the request's writes). */
export async function completeKey(db: Queryable, businessId: string, key: string, status: number, body: string) {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', responsestatus: status, responsebody: body })
    .where('businessid', '=', businessId)
    .where('key', '=', key)
    .execute();
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredKeys(db: Queryable, at = now()): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expiresat', '<=', at).executeTakeFirst();
  return Number(result.numDeletedRows);
}
