// Events: made in the same transaction as the change they describe, with one outbox row per endpoint that wants
// them; listed newest first and read by id for 30 days.
import { inTransaction, type Queryable, runCompiled } from '../../db/engine.js';
import { newId, now } from '../../db/ids.js';
import { readsOf } from '../../db/reads.js';
import type { Paging } from '../../http/list-query.js';
import { queueDeliveries } from '../webhook/delivery.store.js';
import { type SendTarget, subscribedEndpoints } from '../webhook/webhook.store.js';
import type { Event, EventResource, EventType } from './event.schema.js';

export interface NewEvent {
  businessId: string;
  type: EventType;
  data: object;
  /** Updates only: the old values of the fields that changed. */
  previous?: object;
  /** Only these endpoints (a ping), whatever they subscribe to; else every enabled endpoint that wants the type. */
  endpoints?: SendTarget[];
}

/**
 * Records an event and queues it for the endpoints that want it. Call with the transaction that makes the change,
 * so the change, its event and its deliveries commit together or not at all (the outbox).
 */
export async function recordEvent(db: Queryable, event: NewEvent): Promise<string> {
  const id = newId();
  const createdat = now();
  const body: Event = {
    id,
    type: event.type,
    createdat,
    businessid: event.businessId,
    data: event.data as Event['data'],
  };
  if (event.previous) body.previous = event.previous as Event['previous'];
  // On every write's path: compiled once (Kysely's build and compile cost about a third of what an event adds).
  const row = { businessid: event.businessId, id, type: event.type, body: JSON.stringify(body), createdat };
  await runCompiled(db, 'recordEvent', () => db.insertInto('events').values(row).compile(), [
    row.businessid,
    row.id,
    row.type,
    row.body,
    row.createdat,
  ]);
  const endpoints = event.endpoints ?? (await subscribedEndpoints(db, event.businessId, event.type));
  await queueDeliveries(db, event.businessId, { id, type: event.type, createdat, body: row.body }, endpoints);
  return id;
}

/** Records `<resource>.created` for a record just written, on the transaction that wrote it. */
export function recordCreated(db: Queryable, businessId: string, resource: EventResource, data: object) {
  return recordEvent(db, { businessId, type: `${resource}.created`, data });
}

/** The fields whose values differ between two views of a record (updatedat aside), with their old values. */
function changedFields(before: object, after: object): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  for (const [key, value] of Object.entries(after)) {
    if (key === 'updatedat') continue;
    if (JSON.stringify(old[key]) !== JSON.stringify(value)) previous[key] = old[key] ?? null;
  }
  return previous;
}

/**
 * Runs `write`, an update of one record, in a transaction; when it modified the record, records `<resource>.updated`
 * with the record's details after it and the old values of what changed, and the named events `also` picks for the
 * change (`quote.status_changed`, `booking.cancelled`, `lead.converted`), with the same body.
 */
export function updateWithEvents<R extends object>(
  db: Queryable,
  businessId: string,
  resource: EventResource,
  id: string,
  get: (db: Queryable, businessId: string, id: string) => Promise<R | undefined>,
  write: (trx: Queryable) => Promise<0 | 1 | undefined>,
  also: (before: R, after: R) => EventType[] = () => [],
): Promise<0 | 1 | undefined> {
  return inTransaction(db, async (trx) => {
    const before = await get(trx, businessId, id);
    const modified = await write(trx);
    if (modified !== 1 || !before) return modified;
    const after = (await get(trx, businessId, id))!;
    const previous = changedFields(before, after);
    for (const type of [`${resource}.updated` as const, ...also(before, after)])
      await recordEvent(trx, { businessId, type, data: after, previous });
    return modified;
  });
}

/** `<resource>.status_changed` when the status moved. */
export const statusChanged =
  (resource: 'quote' | 'contract') =>
  (before: { status: string }, after: { status: string }): EventType[] =>
    before.status !== after.status ? [`${resource}.status_changed`] : [];

const toEvent = (body: string) => JSON.parse(body) as Event;

/**
 * A page of a business's events, newest first, optionally of one type, with their exact total. SQLite: on a read
 * worker (db/read-pool.ts), as record lists are: a business that made a million events counts them in ~50 ms, which on
 * the event loop stalled every request of the node.
 */
export async function listEvents(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: { type?: EventType },
): Promise<{ records: Event[]; total: number }> {
  const { pool } = readsOf(db);
  if (pool && !db.isTransaction) {
    const { bodies, total } = await pool.listEvents(businessId, paging, query);
    return { records: bodies.map(toEvent), total };
  }
  const { bodies, total } = await readEvents(db, businessId, paging, query);
  return { records: bodies.map(toEvent), total };
}

/** listEvents() on this handle itself: the events' bodies as stored (crossing threads as text), and the total. */
export async function readEvents(db: Queryable, businessId: string, paging: Paging, query: { type?: EventType }) {
  let base = db.selectFrom('events').where('businessid', '=', businessId);
  if (query.type !== undefined) base = base.where('type', '=', query.type);
  const [rows, count] = await Promise.all([
    base
      .select('body')
      .orderBy('createdat', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.limit)
      .offset((paging.page - 1) * paging.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { bodies: rows.map((row) => row.body), total: Number(count.n) };
}

export async function getEvent(db: Queryable, businessId: string, id: string): Promise<Event | undefined> {
  const row = await db
    .selectFrom('events')
    .select('body')
    .where('businessid', '=', businessId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toEvent(row.body);
}

/** Rows pruned per transaction: a long backlog never holds the writers up for long. */
const PRUNE_BATCH = 1000;

/**
 * Deletes events and their deliveries older than `before`, business by business along the indexes that lead with
 * businessid, PRUNE_BATCH at a time: events are kept 30 days. Deliveries go first, so that none outlives its event.
 */
export async function pruneEvents(db: Queryable, before: string): Promise<number> {
  const businesses = await db.selectFrom('businesses').select('id').execute();
  let pruned = 0;
  for (const { id: businessId } of businesses) {
    let endpointId = await nextEndpoint(db, businessId, '');
    while (endpointId !== undefined) {
      if ((await pruneDeliveries(db, businessId, endpointId, before)) < PRUNE_BATCH)
        endpointId = await nextEndpoint(db, businessId, endpointId);
    }
    for (;;) {
      const deleted = await pruneBatch(
        db,
        (trx) =>
          trx
            .selectFrom('events')
            .select('id')
            .where('businessid', '=', businessId)
            .where('createdat', '<', before)
            .orderBy('createdat')
            .limit(PRUNE_BATCH)
            .execute(),
        (trx, ids) => trx.deleteFrom('events').where('businessid', '=', businessId).where('id', 'in', ids).execute(),
      );
      pruned += deleted;
      if (deleted < PRUNE_BATCH) break;
    }
  }
  return pruned;
}

/**
 * The first endpoint after `after` that a business's deliveries name, one seek along their index by endpoint. Those
 * the deliveries name rather than the business's list: a write that read an endpoint just before it was deleted may
 * still queue a delivery to it (PostgreSQL), which would never be pruned.
 */
async function nextEndpoint(db: Queryable, businessId: string, after: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('endpointid')
    .where('businessid', '=', businessId)
    .where('endpointid', '>', after)
    .orderBy('endpointid')
    .limit(1)
    .executeTakeFirst();
  return row?.endpointid;
}

/**
 * Deletes up to PRUNE_BATCH of an endpoint's deliveries older than `before`, found along their index by endpoint: a
 * delivery is as old as its event (queueDeliveries), and deliveries keep no index by event (migration 0016).
 */
function pruneDeliveries(db: Queryable, businessId: string, endpointId: string, before: string): Promise<number> {
  return pruneBatch(
    db,
    (trx) =>
      trx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('businessid', '=', businessId)
        .where('endpointid', '=', endpointId)
        .where('createdat', '<', before)
        .orderBy('createdat')
        .limit(PRUNE_BATCH)
        .execute(),
    (trx, ids) => trx.deleteFrom('webhook_deliveries').where('id', 'in', ids).execute(),
  );
}

/**
 * One batch of pruning in one transaction: the ids `oldest` finds (at most PRUNE_BATCH), deleted by `remove`; how
 * many. The ids first, then a delete by them: one DELETE with a limited subquery became a hash join over a scan of
 * the business's rows on PostgreSQL.
 */
function pruneBatch(
  db: Queryable,
  oldest: (trx: Queryable) => Promise<{ id: string }[]>,
  remove: (trx: Queryable, ids: string[]) => Promise<unknown>,
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const ids = (await oldest(trx)).map((row) => row.id);
    if (ids.length > 0) await remove(trx, ids);
    return ids.length;
  });
}
