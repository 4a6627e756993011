// Idempotency keys in the database, so every node sees them: claim a key, keep its response, replay it, expire it.

import type { Queryable } from '../../db/engine.js';
import { isUniqueViolation } from '../../db/errors.js';
import { now } from '../../db/ids.js';

export const KEEP_MS = 24 * 3600_000;
/** A claim still "running" after this long belonged to a process that died; the key may be claimed again. */
export const ABANDONED_MS = 5 * 60_000;

export type Claim =
  | { state: 'claimed' }
  | { state: 'replay'; status: number; body: string }
  | { state: 'mismatch' }
  | { state: 'running' };

async function insertClaim(db: Queryable, businessId: string, key: string, requesthash: string, at: Date) {
  await db
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
    .execute();
}

/** Claims a key for a request, or says why not: its stored response, another body, or a first request still running. */
export async function claimKey(
  db: Queryable,
  businessId: string,
  key: string,
  requesthash: string,
  at = new Date(),
): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await insertClaim(db, businessId, key, requesthash, at);
      return { state: 'claimed' };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const found = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('businessid', '=', businessId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!found) continue; // released or expired between the two statements
    if (found.expiresat <= at.toISOString()) {
      await db
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
    const taken = await db
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

/** Keeps the first response for replay. */
export async function completeKey(db: Queryable, businessId: string, key: string, status: number, body: string) {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', responsestatus: status, responsebody: body })
    .where('businessid', '=', businessId)
    .where('key', '=', key)
    .execute();
}

/** Lets the key be used again (the request failed on our side, so there is nothing to replay). */
export async function releaseKey(db: Queryable, businessId: string, key: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('businessid', '=', businessId)
    .where('key', '=', key)
    .where('status', '=', 'running')
    .execute();
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredKeys(db: Queryable, at = now()): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expiresat', '<=', at).executeTakeFirst();
  return Number(result.numDeletedRows);
}
