// The outbox: one delivery per event and endpoint, claimed by one node at a time (a lease), its attempts logged
// (attempt.store.ts), and the delivery log read back.
import { afterCommit, knowsCommit, type Queryable, runCompiled } from '../../db/engine.js';
import { newId, now } from '../../db/ids.js';
import type { WebhookDeliveryTable } from '../../db/schema.js';
import type { Paging } from '../../http/list-query.js';
import type { Delivery } from './webhook.schema.js';
import type { SendTarget } from './webhook.store.js';

/** What the sender needs to make one attempt. */
export interface Claimed {
  id: string;
  businessid: string;
  endpointid: string;
  eventid: string;
  attempts: number;
  body: string;
  url: string;
  secret: string;
  previoussecret: string | null;
  previousuntil: string | null;
}

/**
 * A sending node's intake, per database (keyed by its Kysely adapter, which the handle and its transactions share,
 * so that two servers in one process never take each other's): the deliveries this process queued, with all a first
 * attempt needs, not yet handed to the sender. Each is queued already leased to it, so the sender needs no query to
 * find or claim it; should the process die, the lease runs out and any node's poll finds it. Past HANDOFFS_KEPT
 * waiting, with no sender here (the CLI, WEBHOOK_SENDER=off), or in a transaction whose commit cannot be told (not
 * opened by inTransaction), deliveries are queued unleased, for the poll.
 */
interface Intake {
  leaseMs: number;
  handoffs: Claimed[];
  /** Moves when deliveries were made due without a hand-off (a redelivery, an overflow): the sender looks for them. */
  madeDue: number;
}
const intakes = new WeakMap<object, Intake>();
const HANDOFFS_KEPT = 10_000;
const intakeOf = (db: Queryable) => intakes.get(db.getExecutor().adapter);

/** The sender of `db` in this process takes what is queued, each leased this long; undefined: it stopped. */
export function handOffFor(db: Queryable, leaseMs: number | undefined) {
  const adapter = db.getExecutor().adapter;
  if (leaseMs === undefined) intakes.delete(adapter);
  else intakes.set(adapter, { leaseMs, handoffs: [], madeDue: 0 });
}

/** The deliveries queued for `db`'s sender since the last call. */
export function takeHandoffs(db: Queryable): Claimed[] {
  const intake = intakeOf(db);
  if (!intake) return [];
  const taken = intake.handoffs;
  intake.handoffs = [];
  return taken;
}

/** Moves when deliveries of `db` were made due in this process without a hand-off. */
export const madeDueCount = (db: Queryable) => intakeOf(db)?.madeDue ?? 0;

/** Queues an event for endpoints, due at once; on the transaction that records the event. */
export async function queueDeliveries(
  db: Queryable,
  businessId: string,
  event: { id: string; type: string; createdat: string; body: string },
  endpoints: readonly SendTarget[],
): Promise<void> {
  // The event's own instant, never the clock's: its deliveries are found by it (eventDeliveries, pruneEvents).
  const at = event.createdat;
  const intake = intakeOf(db);
  const handOff = intake !== undefined && knowsCommit(db);
  const leaseuntil = handOff ? new Date(Date.now() + intake.leaseMs).toISOString() : null;
  for (const endpoint of endpoints) {
    const id = newId();
    const leased = handOff && intake.handoffs.length < HANDOFFS_KEPT;
    const lease = leased ? leaseuntil : null;
    // On the path of every write an endpoint wants: compiled once, its values listed rather than spread (spreading
    // the row into two objects was a tenth of what a delivery cost the write).
    const build = () =>
      db
        .insertInto('webhook_deliveries')
        .values({
          id,
          businessid: businessId,
          endpointid: endpoint.id,
          eventid: event.id,
          eventtype: event.type,
          status: 'pending',
          attempts: 0,
          nextattemptat: at,
          leaseuntil: lease,
          createdat: at,
          updatedat: at,
        })
        .compile();
    await runCompiled(db, 'queueDelivery', build, [
      id,
      businessId,
      endpoint.id,
      event.id,
      event.type,
      'pending',
      0,
      at,
      lease,
      at,
      at,
    ]);
    if (!leased) {
      if (intake) intake.madeDue++;
      continue;
    }
    const handoff: Claimed = {
      id,
      businessid: businessId,
      endpointid: endpoint.id,
      eventid: event.id,
      attempts: 0,
      body: event.body,
      url: endpoint.url,
      secret: endpoint.secret,
      previoussecret: endpoint.previoussecret,
      previousuntil: endpoint.previousuntil,
    };
    // Never one of a transaction that rolls back: the receiver would hear of a change that was never made.
    afterCommit(db, () => intake.handoffs.push(handoff));
  }
}

/** Gives back the leases of handed-off deliveries this node has no room for: the poll finds them. */
export async function releaseLeases(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ leaseuntil: null })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('attempts', '=', 0)
    .execute();
}

/**
 * Claims due deliveries of enabled endpoints, at most `room(endpointid)` per endpoint and `limit` in all, until
 * `leaseUntil`. The update re-checks the lease row by row, so of two nodes claiming the same delivery only one gets it.
 */
export async function claimDue(
  db: Queryable,
  limit: number,
  room: (endpointId: string) => number,
  leaseUntil: string,
  full: readonly string[] = [],
): Promise<Claimed[]> {
  const at = now();
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpointid')
    .select(['d.id', 'd.endpointid'])
    .where('d.status', '=', 'pending')
    .where('d.nextattemptat', '<=', at)
    .where((eb) => eb.or([eb('d.leaseuntil', 'is', null), eb('d.leaseuntil', '<', at)]))
    .where('e.status', '=', 'enabled');
  if (full.length > 0) query = query.where('d.endpointid', 'not in', full);
  const due = await query
    .orderBy('d.nextattemptat')
    .limit(limit * 4)
    .execute();
  const taken = new Map<string, number>();
  const wanted: string[] = [];
  for (const { id, endpointid } of due) {
    const n = taken.get(endpointid) ?? 0;
    if (wanted.length >= limit || n >= room(endpointid)) continue;
    taken.set(endpointid, n + 1);
    wanted.push(id);
  }
  if (wanted.length === 0) return [];
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set({ leaseuntil: leaseUntil })
    .where('id', 'in', wanted)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('leaseuntil', 'is', null), eb('leaseuntil', '<', at)]))
    .returning('id')
    .execute();
  if (claimed.length === 0) return [];
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as ev', (join) =>
      join.onRef('ev.businessid', '=', 'd.businessid').onRef('ev.id', '=', 'd.eventid'),
    )
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpointid')
    .select([
      'd.id',
      'd.businessid',
      'd.endpointid',
      'd.eventid',
      'd.attempts',
      'ev.body',
      'e.url',
      'e.secret',
      'e.previoussecret',
      'e.previousuntil',
    ])
    .where(
      'd.id',
      'in',
      claimed.map((c) => c.id),
    )
    .execute();
}

function toDelivery(row: WebhookDeliveryTable): Delivery {
  return {
    _id: row.id,
    endpointid: row.endpointid,
    eventid: row.eventid,
    eventtype: row.eventtype,
    status: row.status as Delivery['status'],
    attempts: row.attempts,
    nextattemptat: row.nextattemptat,
    lastattemptat: row.lastattemptat,
    responsestatus: row.responsestatus,
    responsebody: row.responsebody,
    latencyms: row.latencyms,
    error: row.error,
    earlierattempts: row.earlierattempts ? JSON.parse(row.earlierattempts) : [],
    createdat: row.createdat,
  };
}

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(db: Queryable, businessId: string, endpointId: string, paging: Paging) {
  const base = db
    .selectFrom('webhook_deliveries')
    .where('businessid', '=', businessId)
    .where('endpointid', '=', endpointId);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('createdat', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.limit)
      .offset((paging.page - 1) * paging.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { records: rows.map(toDelivery), total: Number(count.n) };
}

/**
 * An event's deliveries, one per endpoint it went to, found along the index by endpoint at the event's instant: a
 * delivery's createdat is its event's (queueDeliveries), and deliveries keep no index by event (migration 0016).
 */
export async function eventDeliveries(
  db: Queryable,
  businessId: string,
  event: { id: string; createdat: string },
): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('businessid', '=', businessId)
    .where('endpointid', 'in', (eb) =>
      eb.selectFrom('webhook_endpoints').select('id').where('businessid', '=', businessId),
    )
    .where('createdat', '=', event.createdat)
    .where('eventid', '=', event.id)
    .orderBy('id')
    .execute();
  return rows.map(toDelivery);
}

/** The operator's lookup (CLI): a delivery by id alone. */
export async function findDelivery(db: Queryable, id: string) {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Sends a delivery again now, whatever became of it: one more attempt. False when there is no such delivery. */
export async function redeliver(db: Queryable, businessId: string, id: string): Promise<boolean> {
  const at = now();
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', nextattemptat: at, leaseuntil: null, updatedat: at })
    .where('businessid', '=', businessId)
    .where('id', '=', id)
    .executeTakeFirst();
  const intake = intakeOf(db);
  if (intake && Number(result.numUpdatedRows) > 0) intake.madeDue++;
  return Number(result.numUpdatedRows) > 0;
}

/** Per endpoint of a business: attempts and successes among deliveries of the last 24 hours. */
export async function recentSuccess(db: Queryable, businessId: string) {
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => [
      'endpointid',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'succeeded').then(1).else(0).end()).as('succeeded'),
    ])
    .where('businessid', '=', businessId)
    .where('createdat', '>=', since)
    .where('attempts', '>', 0)
    .groupBy('endpointid')
    .execute();
  return new Map(rows.map((r) => [r.endpointid, { total: Number(r.total), succeeded: Number(r.succeeded) }]));
}
