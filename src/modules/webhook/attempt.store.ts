// Attempts logged: each delivery's last attempt on its row and the ones before it beside it, and per endpoint the run
// of failures that disables it. The sender (delivery.ts) writes a batch of attempts at a time.
import { sql } from 'kysely';
import { engineOf, inTransaction, type Queryable, runCompiled } from '../../db/engine.js';
import type { WebhookDeliveryTable } from '../../db/schema.js';
import type { Claimed } from './delivery.store.js';
import { LOGGED_BODY } from './post.js';
import type { DeliveryAttempt } from './webhook.schema.js';

/** An endpoint failing every attempt this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600_000;

export interface Attempt {
  ok: boolean;
  status: number | null;
  body: string | null;
  latencyms: number;
  error: string | null;
  at: string;
  /** When to try again, or null when the schedule is spent (the delivery fails). */
  retryAt: string | null;
}

/** Earlier attempts kept per delivery: the schedule makes at most 9, and each redelivery adds one more. */
const EARLIER_KEPT = 20;

type LastAttempt = Pick<
  WebhookDeliveryTable,
  'attempts' | 'lastattemptat' | 'responsestatus' | 'latencyms' | 'error' | 'responsebody' | 'earlierattempts'
>;

/** A delivery's earlier attempts once the last one it logged joins them: the EARLIER_KEPT most recent, oldest first. */
function withLastAttempt(row: LastAttempt): string | null {
  if (row.lastattemptat === null) return row.earlierattempts;
  const earlier: DeliveryAttempt[] = row.earlierattempts ? JSON.parse(row.earlierattempts) : [];
  earlier.push({
    attempt: row.attempts,
    at: row.lastattemptat,
    responsestatus: row.responsestatus,
    latencyms: row.latencyms,
    error: row.error,
    responsebody: row.responsebody === null ? null : row.responsebody.slice(0, LOGGED_BODY),
  });
  return JSON.stringify(earlier.slice(-EARLIER_KEPT));
}

/**
 * Logs attempts and releases their leases, in one transaction: each delivery succeeded, pending until `retryAt`, or
 * failed. Per endpoint, a success (its latest attempt here) ends the failure run; a failure starts one, and one that
 * has lasted DISABLE_AFTER_MS disables the endpoint.
 */
export async function recordAttempts(db: Queryable, done: { delivery: Claimed; attempt: Attempt }[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const latest = new Map<string, { businessid: string; attempt: Attempt }>();
    for (const { delivery, attempt } of done) {
      const values = {
        status: attempt.ok ? 'succeeded' : attempt.retryAt ? 'pending' : 'failed',
        attempts: delivery.attempts + 1,
        nextattemptat: attempt.ok ? null : attempt.retryAt,
        leaseuntil: null,
        lastattemptat: attempt.at,
        responsestatus: attempt.status,
        responsebody: attempt.body,
        latencyms: attempt.latencyms,
        error: attempt.error,
        updatedat: attempt.at,
      };
      if (delivery.attempts === 0) {
        // A first attempt, most of them (each write an endpoint wants makes one): one update, compiled once.
        const build = () => trx.updateTable('webhook_deliveries').set(values).where('id', '=', delivery.id).compile();
        await runCompiled(trx, 'recordAttempt', build, [...Object.values(values), delivery.id]);
      } else {
        // A retry or a redelivery: the attempt it overwrites joins the earlier ones first. On PostgreSQL the row is
        // locked as it is read, so that two nodes logging it at once (a lease that ran out mid-attempt) keep both;
        // SQLite's transaction already holds the only write lock.
        let read = trx
          .selectFrom('webhook_deliveries')
          .select([
            'attempts',
            'lastattemptat',
            'responsestatus',
            'latencyms',
            'error',
            'responsebody',
            'earlierattempts',
          ])
          .where('id', '=', delivery.id);
        if (engineOf(trx) === 'postgres') read = read.forUpdate();
        const before = await read.executeTakeFirst();
        if (before)
          await trx
            .updateTable('webhook_deliveries')
            .set({ ...values, earlierattempts: withLastAttempt(before) })
            .where('id', '=', delivery.id)
            .execute();
      }
      latest.set(delivery.endpointid, { businessid: delivery.businessid, attempt });
    }
    for (const [id, { businessid, attempt }] of latest) {
      const endpoint = trx.updateTable('webhook_endpoints').where('businessid', '=', businessid).where('id', '=', id);
      if (attempt.ok) {
        await endpoint.set({ failingsince: null }).where('failingsince', 'is not', null).execute();
        continue;
      }
      await endpoint.set({ failingsince: attempt.at }).where('failingsince', 'is', null).execute();
      const since = new Date(Date.parse(attempt.at) - DISABLE_AFTER_MS).toISOString();
      await endpoint
        .set({
          status: 'disabled',
          disabledreason: sql<string>`${'Every delivery failed for 5 days, since '} || failingsince`,
          updatedat: attempt.at,
        })
        .where('failingsince', '<=', since)
        .where('status', '=', 'enabled')
        .execute();
    }
  });
}
