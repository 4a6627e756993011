// An event's deliveries without an index by event (migration 0016): the dashboard's event page and the hourly
// clean-up find them along the index by endpoint, at the event's instant, and find exactly those, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { newId } from '../src/db/ids.js';
import { lighterDeliveries } from '../src/db/migrations/0016_lighter_deliveries.js';
import type { Database } from '../src/db/schema.js';
import { pruneEvents } from '../src/modules/event/event.store.js';
import { eventDeliveries, queueDeliveries } from '../src/modules/webhook/delivery.store.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpointRow,
  type SendTarget,
  setEndpointStatus,
} from '../src/modules/webhook/webhook.store.js';
import { staffOf } from './e2e/session.js';
import { type Receiver, startReceiver } from './helpers/receiver.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '0', WEBHOOK_TIMEOUT_MS: '500' };
const DAY = 24 * 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** An event made at `createdat` and queued for `endpoints` as recordEvent does, which always makes it now. */
async function record(db: Kysely<Database>, businessId: string, createdat: string, endpoints: SendTarget[]) {
  const id = newId();
  const body = JSON.stringify({ id, type: 'ping', createdat, businessid: businessId, data: {} });
  await db.insertInto('events').values({ businessid: businessId, id, type: 'ping', body, createdat }).execute();
  await queueDeliveries(db, businessId, { id, type: 'ping', createdat, body }, endpoints);
  return { id, createdat };
}

for (const engine of engines()) {
  describe(`an event's deliveries [${engine.name}]`, () => {
    let server: TestServer;
    let receiver: Receiver;
    before(async () => {
      server = await startServer(engine, FAST);
      receiver = await startReceiver();
    });
    after(async () => {
      await server?.close();
      await receiver?.close();
    });
    /** A new endpoint of the business, as what sending to it takes; disabled: the sender leaves its deliveries be. */
    const endpoint = async (businessId: string, enabled = false) => {
      const { endpoint } = await createEndpoint(server.db, businessId, { url: receiver.url });
      if (!enabled) await setEndpointStatus(server.db, businessId, endpoint._id, 'disabled');
      return (await getEndpointRow(server.db, businessId, endpoint._id))!;
    };
    const count = async (table: 'events' | 'webhook_deliveries', businessId: string, before?: string) => {
      let query = server.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('businessid', '=', businessId);
      if (before) query = query.where('createdat', '<', before);
      return Number((await query.executeTakeFirstOrThrow()).n);
    };

    it('shows on its page its deliveries only, beside another event of the same millisecond, and after a redelivery', async () => {
      const staff = await staffOf(server, server.businessId);
      const [a, b] = [await endpoint(server.businessId, true), await endpoint(server.businessId, true)];
      const other = await server.newBusiness('Same instant');
      const theirs = await endpoint(other.businessId, true);
      const at = new Date().toISOString();
      const first = await record(server.db, server.businessId, at, [a, b]);
      const second = await record(server.db, server.businessId, at, [a, b]);
      const foreign = await record(server.db, other.businessId, at, [theirs]);
      await receiver.until((got) => got.length === 5);
      type Shown = { _id: string; endpointid: string; eventid: string; status: string; attempts: number };
      const page = async (eventId: string, settled: (d: Shown[]) => boolean) => {
        for (let i = 0; ; i++) {
          const res = await staff.request('GET', `/webhook/event/${eventId}`);
          assert.equal(res.status, 200, res.text);
          const shown = res.body.data.deliveries as Shown[];
          if (settled(shown)) return shown;
          assert.ok(i < 250, `still waiting; the page shows ${res.text}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const succeeded = (attempts: number) => (shown: Shown[]) =>
        shown.length === 2 && shown.every((d) => d.status === 'succeeded' && d.attempts === attempts);
      const ofFirst = await page(first.id, succeeded(1));
      const ofSecond = await page(second.id, succeeded(1));
      for (const [event, shown] of [
        [first, ofFirst],
        [second, ofSecond],
      ] as const) {
        assert.deepEqual(new Set(shown.map((d) => d.eventid)), new Set([event.id]));
        assert.deepEqual(new Set(shown.map((d) => d.endpointid)), new Set([a.id, b.id]));
      }

      // Sent again: the same delivery, updated in place, still on its event's page and on no other.
      const again = ofFirst.find((d) => d.endpointid === a.id)!;
      assert.equal((await staff.request('POST', `/webhook/redeliver/${again._id}`)).status, 200);
      const redone = await page(first.id, (shown) => shown.some((d) => d._id === again._id && d.attempts === 2));
      assert.deepEqual(redone.map((d) => d._id).sort(), ofFirst.map((d) => d._id).sort());
      assert.equal(redone.find((d) => d._id === again._id)!.status, 'succeeded');
      assert.deepEqual(await page(second.id, () => true), ofSecond);
      assert.deepEqual(
        (await eventDeliveries(server.db, other.businessId, foreign)).map((d) => d.endpointid),
        [theirs.id],
      );
      assert.equal((await staff.request('GET', `/webhook/event/${foreign.id}`)).status, 404);
      for (const e of [a, b]) await setEndpointStatus(server.db, server.businessId, e.id, 'disabled');
      await setEndpointStatus(server.db, other.businessId, theirs.id, 'disabled');
    });

    it('prunes deliveries older than 30 days endpoint by endpoint, batches of them, and keeps the recent ones', async () => {
      const [d, e] = [await endpoint(server.businessId), await endpoint(server.businessId)];
      const other = await server.newBusiness('Pruned too');
      const theirs = await endpoint(other.businessId);
      // 1,005 events 31 days old, each to both endpoints: more than one batch of each endpoint's deliveries.
      const recent: string[] = [];
      await server.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 1005; i++) await record(trx, server.businessId, ago(31 * DAY - i), [d, e]);
        for (const age of [29 * DAY, 0]) recent.push((await record(trx, server.businessId, ago(age), [d, e])).id);
        await record(trx, other.businessId, ago(40 * DAY), [theirs]);
        recent.push((await record(trx, other.businessId, ago(DAY), [theirs])).id);
      });
      const cutoff = ago(30 * DAY);
      assert.equal(await count('webhook_deliveries', server.businessId, cutoff), 2010);
      const kept = {
        mine: await count('webhook_deliveries', server.businessId),
        theirs: await count('webhook_deliveries', other.businessId),
      };

      assert.equal(await pruneEvents(server.db, cutoff), 1006);
      for (const businessId of [server.businessId, other.businessId]) {
        assert.equal(await count('webhook_deliveries', businessId, cutoff), 0);
        assert.equal(await count('events', businessId, cutoff), 0);
      }
      assert.equal(await count('webhook_deliveries', server.businessId), kept.mine - 2010);
      assert.equal(await count('webhook_deliveries', other.businessId), kept.theirs - 1);
      const left = await server.db
        .selectFrom('webhook_deliveries')
        .select('eventid')
        .where('eventid', 'in', recent)
        .execute();
      assert.equal(left.length, 5, 'every recent delivery kept');
    });

    it('prunes the deliveries of an endpoint deleted while a write was queueing to it', {
      skip: engine.name === 'sqlite' && 'SQLite runs one write at a time',
    }, async () => {
      const gone = await endpoint(server.businessId);
      let event = { id: '', createdat: '' };
      // The write reads its endpoints without a lock, as recordEvent does; the endpoint and its deliveries are deleted
      // before it queues to it, and nothing stops the delivery from outliving the endpoint.
      await server.db.transaction().execute(async (trx) => {
        const targets = [(await getEndpointRow(trx, server.businessId, gone.id))!];
        assert.ok(await deleteEndpoint(server.db, server.businessId, gone.id));
        event = await record(trx, server.businessId, ago(31 * DAY), targets);
      });
      const orphans = () =>
        server.db.selectFrom('webhook_deliveries').select('id').where('endpointid', '=', gone.id).execute();
      assert.equal((await orphans()).length, 1);
      assert.equal(await getEndpointRow(server.db, server.businessId, gone.id), undefined);
      assert.equal(await pruneEvents(server.db, ago(30 * DAY)), 1);
      assert.deepEqual(await orphans(), []);
      assert.deepEqual(await eventDeliveries(server.db, server.businessId, event), []);
    });

    it('finds and prunes them along the index by endpoint, never scanning the business’s deliveries', async () => {
      const [f, g] = [await endpoint(server.businessId), await endpoint(server.businessId)];
      const event = await record(server.db, server.businessId, ago(31 * DAY), [f, g]);
      // 6,000 recent deliveries beside it, and the engine's statistics: scanning them would cost the planner something.
      for (let batch = 0; batch < 12; batch++) {
        const rows = Array.from({ length: 500 }, (_, i) => {
          const createdat = ago(DAY + batch * 500 + i);
          return {
            id: newId(),
            businessid: server.businessId,
            endpointid: i % 2 ? f.id : g.id,
            eventid: newId(),
            eventtype: 'ping',
            status: 'succeeded',
            attempts: 1,
            createdat,
            updatedat: createdat,
          };
        });
        await server.db.insertInto('webhook_deliveries').values(rows).execute();
      }
      for (const table of ['webhook_deliveries', 'webhook_endpoints'])
        await sql`analyze ${sql.table(table)}`.execute(server.db);
      // Every statement eventDeliveries and pruneEvents run, as the engine is sent it.
      const sent: CompiledQuery[] = [];
      const spy = server.db.withPlugin({
        transformQuery: ({ node, queryId }) => {
          sent.push(server.db.getExecutor().compileQuery(node, queryId));
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      const plan = async (query: CompiledQuery) => {
        const explain = engine.name === 'sqlite' ? 'explain query plan' : 'explain';
        const explained = CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]);
        const { rows } = await server.db.executeQuery<{ detail?: string; 'QUERY PLAN'?: string }>(explained);
        return rows.map((r) => (r.detail ?? r['QUERY PLAN'])!);
      };
      // Each read of the deliveries, with the condition it seeks on: SQLite's step, PostgreSQL's node and the line after.
      const reads = (steps: string[]) =>
        engine.name === 'sqlite'
          ? steps.filter((step) => /^(SEARCH|SCAN) webhook_deliveries\b/.test(step))
          : steps.flatMap((step, i) =>
              /Scan (using \w+ )?on webhook_deliveries\b/.test(step) ? [`${step} ${steps[i + 1]}`] : [],
            );
      // Along the index by endpoint with the endpoint bound, or by id; never a scan of the business's deliveries.
      const SEEK =
        engine.name === 'sqlite'
          ? /^SEARCH webhook_deliveries USING (COVERING )?INDEX (webhook_deliveries_by_endpoint \(businessid=\? AND endpointid[=>]\?|sqlite_autoindex_webhook_deliveries_1 \(id=\?\))/
          : /(using webhook_deliveries_by_endpoint on webhook_deliveries\b.* Index Cond: \(\(businessid = [^)]*\) AND \(endpointid [=>]|using webhook_deliveries_pkey on webhook_deliveries\b.* Index Cond: \(id = )/;
      const seeks = (steps: string[]) => {
        const found = reads(steps);
        assert.ok(found.length > 0, steps.join('\n'));
        for (const read of found) assert.match(read, SEEK, steps.join('\n'));
        return found;
      };

      assert.equal((await eventDeliveries(spy, server.businessId, event)).length, 2);
      const [read] = seeks(await plan(sent.find((q) => q.sql.includes('webhook_deliveries'))!));
      assert.match(read, engine.name === 'sqlite' ? /endpointid=\? AND createdat=\?/ : /endpointid = .*createdat = /);

      sent.length = 0;
      assert.equal(await pruneEvents(spy, ago(30 * DAY)), 1);
      const pruning = sent.filter((q) => /from "webhook_deliveries"/.test(q.sql));
      assert.ok(
        pruning.some((q) => q.sql.startsWith('delete')),
        'the old deliveries were deleted',
      );
      for (const query of pruning) seeks(await plan(query));
    });

    // Last in the suite: it puts the index back and takes it away again under the running server.
    it('migration 0016_lighter_deliveries: down brings back the index by event, up drops it, the deliveries kept', async () => {
      const indexes = async () => {
        const { rows } =
          engine.name === 'sqlite'
            ? await sql<{ name: string }>`select name from sqlite_master where type = 'index'
                and tbl_name = 'webhook_deliveries'`.execute(server.db)
            : await sql<{ name: string }>`select indexname as name from pg_indexes
                where tablename = 'webhook_deliveries' and schemaname = current_schema()`.execute(server.db);
        return rows.map((r) => r.name);
      };
      const deliveries = await count('webhook_deliveries', server.businessId);
      assert.ok(deliveries > 0);
      assert.ok((await indexes()).includes('webhook_deliveries_by_endpoint'));
      assert.ok(!(await indexes()).includes('webhook_deliveries_by_event'));
      await lighterDeliveries.down!(server.db);
      assert.ok((await indexes()).includes('webhook_deliveries_by_event'));
      await lighterDeliveries.up(server.db);
      assert.ok(!(await indexes()).includes('webhook_deliveries_by_event'));
      assert.equal(await count('webhook_deliveries', server.businessId), deliveries);
    });
  });
}
