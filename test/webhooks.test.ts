// Webhooks: every change makes an event in its transaction, delivered to a real receiver, signed both ways, retried,
// redelivered, signed by both secrets during a rotation, never sent to disabled endpoints or to another business.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { deliveryAttempts } from '../src/db/migrations/0015_delivery_attempts.js';
import { createAppointment, updateAppointment } from '../src/modules/appointment/appointment.store.js';
import { createBooking, updateBooking } from '../src/modules/booking/booking.store.js';
import { createContract, updateContract } from '../src/modules/contract/contract.store.js';
import type { CustomerCreate } from '../src/modules/customer/customer.schema.js';
import { createCustomer } from '../src/modules/customer/customer.store.js';
import { EVENT_TYPE_NAMES } from '../src/modules/event/event.schema.js';
import { pruneEvents } from '../src/modules/event/event.store.js';
import { createQuote, updateQuote } from '../src/modules/quote/quote.store.js';
import { type Attempt, recordAttempts } from '../src/modules/webhook/attempt.store.js';
import { type Claimed, redeliver } from '../src/modules/webhook/delivery.store.js';
import { urlProblem } from '../src/modules/webhook/ssrf.js';
import type { Delivery } from '../src/modules/webhook/webhook.schema.js';
import {
  createEndpoint,
  rotateSecret,
  setEndpointStatus,
  updateEndpoint,
} from '../src/modules/webhook/webhook.store.js';
import { staffOf } from './e2e/session.js';
import { appointmentInput, bookingInput, contractInput, makeCustomer, quoteInput } from './helpers/fixtures.js';
import { type Received, type Receiver, standardVerified, startReceiver } from './helpers/receiver.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

/** The package's version, read here rather than through the code under test. */
const packageVersion = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '0,200ms,200ms', WEBHOOK_TIMEOUT_MS: '500' };

/** Checks both signatures as a receiver would: Standard Webhooks with its library, Cashfin's with a plain HMAC. */
function verify(got: Received, secret: string) {
  assert.deepEqual(standardVerified(got, secret), got.json);
  assert.equal(got.headers['webhook-id'], got.json.id);
  assert.equal(got.headers['content-type'], 'application/json');
  assert.equal(got.headers['user-agent'], `mteja-webhooks/${packageVersion}`);
}
const cashfin = (got: Received, secret: string) => createHmac('sha256', secret).update(got.body).digest('hex');

const of = (receiver: Receiver, type: string) => receiver.received.filter((r) => r.json.type === type);

for (const engine of engines()) {
  describe(`webhooks [${engine.name}]`, () => {
    let server: TestServer;
    let receiver: Receiver;
    before(async () => {
      server = await startServer(engine, FAST);
      receiver = await startReceiver();
    });
    // Each test starts with no endpoint enabled and nothing received.
    beforeEach(async () => {
      await server.db.updateTable('webhook_endpoints').set({ status: 'disabled' }).execute();
      receiver.received.length = 0;
      receiver.answer = () => 200;
    });
    after(async () => {
      await server?.close();
      await receiver?.close();
    });

    it('delivers an event of every type, signed both ways, with the details and the previous values', async () => {
      const { endpoint, secret } = await createEndpoint(server.db, server.businessId, { url: receiver.url });
      const biz = server.businessId;
      const customer = await makeCustomer(server);
      const patched = await server.request('PATCH', `/business/customer/update/${customer._id}`, {
        body: { name: 'Renamed' },
      });
      assert.equal(patched.status, 200, patched.text);
      const lead = await server.request('POST', '/business/lead/create', {
        body: { name: 'Lead One', email: 'lead.one@example.com', phone: '+254700000001', country: 'Kenya' },
      });
      assert.equal(lead.status, 201, lead.text);
      await server.request('PATCH', `/business/lead/update/${lead.body.data._id}`, { body: { status: 'contacted' } });
      const converted = await server.request('POST', `/business/lead/convert/${lead.body.data._id}`, {
        body: { currency: 'KES' },
      });
      assert.equal(converted.status, 201, converted.text);
      const contact = await server.request('POST', '/business/contact/create', {
        body: { name: 'Contact One', email: 'contact.one@example.com', phone: '+254700000002', country: 'Kenya' },
      });
      assert.equal(contact.status, 201, contact.text);
      await server.request('PATCH', `/business/contact/update/${contact.body.data._id}`, { body: { name: 'C2' } });
      // The dashboard's writes go through the same stores.
      const quote = await createQuote(server.db, biz, quoteInput({ customerid: customer._id }), 'dashboard');
      await updateQuote(server.db, biz, quote._id, { status: 'sent' });
      const contract = await createContract(server.db, biz, contractInput(), 'dashboard');
      await updateContract(server.db, biz, contract._id, { status: 'signed' });
      const type = await createAppointment(server.db, biz, appointmentInput(), 'dashboard');
      await updateAppointment(server.db, biz, type._id, { title: 'Longer call' });
      const booking = await createBooking(server.db, biz, bookingInput({ customerid: customer._id }), 'dashboard');
      await updateBooking(server.db, biz, booking._id, { status: 'cancelled' });

      const wanted = EVENT_TYPE_NAMES.filter((t) => t !== 'ping');
      await receiver.until((got) => wanted.every((t) => got.some((r) => r.json.type === t)));
      for (const got of receiver.received) {
        verify(got, secret);
        assert.equal(got.headers['x-cashfin-signature'], cashfin(got, secret));
        assert.equal(got.json.businessid, biz);
      }
      // data is the record as its details show it; previous holds the old values of what changed.
      const [updated] = of(receiver, 'customer.updated');
      const details = await server.request('GET', `/business/customer/details/${customer._id}`);
      assert.deepEqual(updated.json.data, details.body.data);
      assert.deepEqual(updated.json.previous, { name: customer.name });
      assert.equal(of(receiver, 'customer.created')[0].json.previous, undefined);
      assert.deepEqual(of(receiver, 'quote.status_changed')[0].json.previous, { status: 'draft', issuedate: null });
      assert.equal(of(receiver, 'quote.updated').length, 1);
      assert.deepEqual((of(receiver, 'booking.cancelled')[0].json.previous as { status: string }).status, 'scheduled');
      assert.equal(of(receiver, 'lead.converted')[0].json.data.customerid, converted.body.data._id);
      assert.equal(of(receiver, 'customer.created').length, 2);

      // The same events through the API, newest first.
      const list = await server.request('GET', '/business/event/list?type=customer.updated');
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.pagination.total, 1);
      assert.deepEqual(list.body.data[0], updated.json);
      const all = await server.request('GET', '/business/event/list?limit=100');
      assert.equal(all.body.pagination.total, receiver.received.length);
      // Newest first (the id breaks a tie of instants), and pages follow one another without a gap or a repeat.
      const keys = (all.body.data as { createdat: string; id: string }[]).map((e) => `${e.createdat} ${e.id}`);
      assert.deepEqual(keys, [...keys].sort().reverse());
      const pages = [];
      for (const page of [1, 2])
        pages.push(...(await server.request('GET', `/business/event/list?limit=3&page=${page}`)).body.data);
      assert.deepEqual(pages, all.body.data.slice(0, 6));
      const one = await server.request('GET', `/business/event/details/${updated.json.id}`);
      assert.deepEqual(one.body, { success: true, data: updated.json });
      const bad = await server.request('GET', '/business/event/list?type=nope');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.success, false);
      const missing = await server.request('GET', '/business/event/details/507f1f77bcf86cd799439011');
      assert.deepEqual(missing.body, { success: false, error: 'Event not found' });
      await setEndpointStatus(server.db, biz, endpoint._id, 'disabled', 'test over');
    });

    it('retries after a 500 and after a timeout, fails when the schedule is spent, and redelivers on request', async () => {
      receiver.received.length = 0;
      const seen = new Map<string, number>();
      // Each event's first attempt answers 500, its second hangs past the timeout, its third succeeds.
      receiver.answer = (got) => {
        const key = `${got.path} ${got.json.id}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        if (got.path.endsWith('/dead')) return 503;
        return n === 1 ? 500 : n === 2 ? 'hang' : 200;
      };
      const flaky = await createEndpoint(server.db, server.businessId, {
        url: receiver.url,
        events: ['customer.*'],
      });
      const dead = await createEndpoint(server.db, server.businessId, {
        url: `${receiver.url}/dead`,
        events: ['customer.created'],
      });
      const started = Date.now();
      const customer = await makeCustomer(server);
      await receiver.until((got) => got.filter((r) => !r.path.endsWith('/dead')).length === 3);
      await receiver.until((got) => got.filter((r) => r.path.endsWith('/dead')).length === 3);
      assert.ok(Date.now() - started >= 500 + 2 * 180, 'the timeout and the schedule were waited for');
      const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      assert.equal(ids.size, 1, 'every attempt carries the same webhook-id');
      const rows = async () =>
        server.db
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('eventid', '=', [...ids][0]!)
          .execute();
      const waitRows = async (check: (r: Awaited<ReturnType<typeof rows>>) => boolean) => {
        for (let i = 0; i < 200 && !check(await rows()); i++) await new Promise((r) => setTimeout(r, 20));
        return rows();
      };
      const done = await waitRows((r) => r.every((d) => d.status !== 'pending'));
      const byEndpoint = new Map(done.map((d) => [d.endpointid, d]));
      assert.equal(byEndpoint.get(flaky.endpoint._id)!.status, 'succeeded');
      assert.equal(byEndpoint.get(flaky.endpoint._id)!.attempts, 3);
      const failed = byEndpoint.get(dead.endpoint._id)!;
      assert.equal(failed.status, 'failed');
      assert.equal(failed.attempts, 3);
      assert.equal(failed.responsestatus, 503);
      assert.equal(failed.responsebody, 'not today');

      receiver.answer = () => 200;
      assert.ok(await redeliver(server.db, server.businessId, failed.id));
      await receiver.until((got) => got.filter((r) => r.path.endsWith('/dead')).length === 4);
      const again = await waitRows((r) => r.find((d) => d.id === failed.id)!.status === 'succeeded');
      assert.equal(again.find((d) => d.id === failed.id)!.attempts, 4);

      // An endpoint failing every delivery for 5 days is disabled, with the reason.
      receiver.answer = () => 500;
      const old = new Date(Date.now() - 6 * 24 * 3600_000).toISOString();
      await server.db
        .updateTable('webhook_endpoints')
        .set({ failingsince: old })
        .where('id', '=', dead.endpoint._id)
        .execute();
      await updateEndpoint(server.db, server.businessId, flaky.endpoint._id, { events: ['lead.*'] });
      await server.request('PATCH', `/business/customer/update/${customer._id}`, { body: { name: 'Again' } });
      await makeCustomer(server);
      for (let i = 0; i < 200; i++) {
        const row = await server.db
          .selectFrom('webhook_endpoints')
          .selectAll()
          .where('id', '=', dead.endpoint._id)
          .executeTakeFirstOrThrow();
        if (row.status === 'disabled') {
          assert.match(row.disabledreason!, /^Every delivery failed for 5 days, since /);
          break;
        }
        assert.ok(i < 199, 'the endpoint was disabled');
        await new Promise((r) => setTimeout(r, 20));
      }
      await setEndpointStatus(server.db, server.businessId, flaky.endpoint._id, 'disabled');
      receiver.answer = () => 200;
    });

    it('signs with both secrets while a rotation overlaps, x-cashfin-signature with the new one', async () => {
      receiver.received.length = 0;
      const { endpoint, secret: old } = await createEndpoint(server.db, server.businessId, {
        url: receiver.url,
        events: ['contact.created'],
      });
      const fresh = (await rotateSecret(server.db, server.businessId, endpoint._id))!;
      assert.notEqual(fresh, old);
      await server.request('POST', '/business/contact/create', {
        body: { name: 'Rotated', email: 'rotated@example.com', phone: '+254700000003', country: 'Kenya' },
      });
      await receiver.until((got) => got.length === 1);
      const [got] = receiver.received;
      assert.equal(String(got.headers['webhook-signature']).split(' ').length, 2);
      verify(got, old);
      verify(got, fresh);
      assert.equal(got.headers['x-cashfin-signature'], cashfin(got, fresh));
      await setEndpointStatus(server.db, server.businessId, endpoint._id, 'disabled');
    });

    it('is managed from the dashboard: add, test ping, delivery log, redeliver, event page, other business 404', async () => {
      const staff = await staffOf(server, server.businessId);
      const bad = await staff.request('POST', '/webhook/create', { url: receiver.url, events: ['customer.create'] });
      assert.deepEqual(bad.body, {
        success: false,
        error: 'There are problems with your submission',
        errors: { events: 'No event type matches customer.create' },
      });
      const made = await staff.request('POST', '/webhook/create', { url: receiver.url, events: ['customer.*'] });
      assert.equal(made.status, 201, made.text);
      const { _id: id, secret } = made.body.data;
      const types = await staff.request('GET', '/webhook/events');
      assert.ok(types.body.data.some((t: { type: string }) => t.type === 'booking.cancelled'));
      const ping = await staff.request('POST', `/webhook/test/${id}`);
      await receiver.until((got) => got.some((r) => r.json.type === 'ping'));
      verify(receiver.received[0], secret);
      assert.equal(receiver.received[0].json.id, ping.body.data.eventid);
      await new Promise((r) => setTimeout(r, 200));
      const log = await staff.request('GET', `/webhook/deliveries/${id}`);
      assert.equal(log.body.pagination.total, 1);
      assert.equal(log.body.data[0].status, 'succeeded');
      assert.equal(log.body.data[0].responsestatus, 200);
      assert.deepEqual(log.body.data[0].earlierattempts, []);
      const listed = await staff.request('GET', '/webhook/list');
      const mine = listed.body.data.find((e: { _id: string }) => e._id === id);
      assert.deepEqual(mine.recent, { total: 1, succeeded: 1 });
      const again = await staff.request('POST', `/webhook/redeliver/${log.body.data[0]._id}`);
      assert.equal(again.status, 200, again.text);
      await receiver.until((got) => got.length === 2);
      const page = await staff.request('GET', `/webhook/event/${ping.body.data.eventid}`);
      assert.equal(page.body.data.event.type, 'ping');
      assert.equal(page.body.data.deliveries.length, 1);
      const rotated = await staff.request('POST', `/webhook/rotate/${id}`);
      const shown = await staff.request('GET', `/webhook/secret/${id}`);
      assert.equal(shown.body.data.secret, rotated.body.data.secret);
      const other = await server.newBusiness('Another');
      const outsider = await staffOf(server, other.businessId, 'Outsider');
      for (const [method, path] of [
        ['GET', `/webhook/secret/${id}`],
        ['POST', `/webhook/test/${id}`],
        ['GET', `/webhook/event/${ping.body.data.eventid}`],
        ['POST', `/webhook/redeliver/${log.body.data[0]._id}`],
      ])
        assert.equal((await outsider.request(method, path)).status, 404, path);
      await staff.request('POST', `/webhook/disable/${id}`);
    });

    it('keeps every attempt: two 500s then a 200 are logged oldest first, and a redelivery keeps the success', async () => {
      const staff = await staffOf(server, server.businessId);
      const made = await staff.request('POST', '/webhook/create', { url: receiver.url, events: ['contact.created'] });
      assert.equal(made.status, 201, made.text);
      const endpointId = made.body.data._id;
      receiver.answer = (_got, index) => (index < 2 ? 500 : 200);
      const contact = await server.request('POST', '/business/contact/create', {
        body: { name: 'Retried', email: 'retried@example.com', phone: '+254700000004', country: 'Kenya' },
      });
      assert.equal(contact.status, 201, contact.text);
      const logged = async (check: (d: Delivery) => boolean): Promise<Delivery> => {
        for (let i = 0; ; i++) {
          const log = await staff.request('GET', `/webhook/deliveries/${endpointId}`);
          assert.equal(log.status, 200, log.text);
          if (log.body.data.length === 1 && check(log.body.data[0])) return log.body.data[0];
          assert.ok(i < 250, `still waiting; the log says ${log.text}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const done = await logged((d) => d.status === 'succeeded');
      assert.equal(receiver.received.length, 3);
      assert.equal(done.attempts, 3);
      assert.equal(done.responsestatus, 200);
      const failure = { responsestatus: 500, error: 'Answered 500', responsebody: 'not today' };
      assert.deepEqual(
        done.earlierattempts.map(({ attempt, responsestatus, error, responsebody }) => ({
          attempt,
          responsestatus,
          error,
          responsebody,
        })),
        [
          { attempt: 1, ...failure },
          { attempt: 2, ...failure },
        ],
      );
      const times = [...done.earlierattempts.map((a) => a.at), done.lastattemptat!];
      assert.deepEqual([...times].sort(), times, 'oldest first, the last attempt after them');
      for (const a of done.earlierattempts) assert.ok(Number.isInteger(a.latencyms), 'latency kept');

      // Redelivered (Svix's "resend"): the success is kept as an earlier attempt of the fourth.
      const again = await staff.request('POST', `/webhook/redeliver/${done._id}`);
      assert.equal(again.status, 200, again.text);
      const redone = await logged((d) => d.attempts === 4 && d.status === 'succeeded');
      assert.deepEqual(redone.earlierattempts.slice(0, 2), done.earlierattempts);
      assert.deepEqual(redone.earlierattempts[2], {
        attempt: 3,
        at: done.lastattemptat,
        responsestatus: 200,
        latencyms: done.latencyms,
        error: null,
        responsebody: 'ok',
      });
      // The event's page shows the same.
      const page = await staff.request('GET', `/webhook/event/${receiver.received[0].json.id}`);
      assert.deepEqual(page.body.data.deliveries[0].earlierattempts, redone.earlierattempts);
      await staff.request('POST', `/webhook/disable/${endpointId}`);
    });

    it('keeps the 20 most recent earlier attempts, each answer cut at 4 KB', async () => {
      const { endpoint } = await createEndpoint(server.db, server.businessId, {
        url: receiver.url,
        events: ['customer.created'],
      });
      await makeCustomer(server);
      const row = () =>
        server.db
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('endpointid', '=', endpoint._id)
          .executeTakeFirst();
      const until = async (check: (d: NonNullable<Awaited<ReturnType<typeof row>>>) => boolean) => {
        for (let i = 0; ; i++) {
          const d = await row();
          if (d && check(d)) return d;
          assert.ok(i < 250, `still waiting; the row is ${JSON.stringify(d)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const first = await until((d) => d.status === 'succeeded');
      // As if redelivered 20 times already, the 21st attempt's answer longer than is ever logged.
      const at = (n: number) => new Date(Date.parse(first.createdat) + n * 1000).toISOString();
      const earlier = Array.from({ length: 20 }, (_, i) => ({
        attempt: i + 1,
        at: at(i + 1),
        responsestatus: 500,
        latencyms: 3,
        error: 'Answered 500',
        responsebody: 'not today',
      }));
      await server.db
        .updateTable('webhook_deliveries')
        .set({
          attempts: 21,
          lastattemptat: at(21),
          responsebody: 'x'.repeat(5000),
          earlierattempts: JSON.stringify(earlier),
        })
        .where('id', '=', first.id)
        .execute();
      assert.ok(await redeliver(server.db, server.businessId, first.id));
      const after = await until((d) => d.attempts === 22 && d.status === 'succeeded');
      const kept = JSON.parse(after.earlierattempts!) as Delivery['earlierattempts'];
      assert.deepEqual(
        kept.map((a) => a.attempt),
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
      assert.deepEqual(kept.slice(0, 19), earlier.slice(1));
      assert.equal(kept[19].at, at(21));
      assert.equal(kept[19].responsebody, 'x'.repeat(4096));
      await setEndpointStatus(server.db, server.businessId, endpoint._id, 'disabled');
    });

    it('logs a first attempt with its one compiled update; a retry reads the attempt it overwrites, then writes', async () => {
      // Every statement executed through `spy` but the endpoint's (its failure run): a builder's as "<kind> <table>",
      // a query compiled once as "compiled".
      const built = new Map<unknown, string>();
      const executed: string[] = [];
      const spy = server.db.withPlugin({
        transformQuery: ({ node, queryId }) => {
          const table = ((node as { table?: unknown }).table ??
            (node as { from?: { froms: unknown[] } }).from?.froms[0]) as { table: { identifier: { name: string } } };
          built.set(queryId, `${node.kind} ${table.table.identifier.name}`);
          return node;
        },
        transformResult: async ({ result, queryId }) => {
          const statement = built.get(queryId) ?? 'compiled';
          if (!statement.endsWith(' webhook_endpoints')) executed.push(statement);
          return result;
        },
      });
      // A delivery of a disabled endpoint: the sender leaves it alone.
      const { endpoint } = await createEndpoint(server.db, server.businessId, { url: receiver.url });
      await setEndpointStatus(server.db, server.businessId, endpoint._id, 'disabled');
      const at = new Date().toISOString();
      const id = `${'e'.repeat(6)}${'0'.repeat(18)}`;
      await server.db
        .insertInto('webhook_deliveries')
        .values({
          id,
          businessid: server.businessId,
          endpointid: endpoint._id,
          eventid: id,
          eventtype: 'ping',
          status: 'pending',
          attempts: 0,
          createdat: at,
          updatedat: at,
        })
        .execute();
      const delivery: Claimed = {
        id,
        businessid: server.businessId,
        endpointid: endpoint._id,
        eventid: id,
        attempts: 0,
        body: '{}',
        url: receiver.url,
        secret: 'whsec_x',
        previoussecret: null,
        previousuntil: null,
      };
      const attempt = (status: number, when: string): Attempt => ({
        ok: status === 200,
        status,
        body: String(status),
        latencyms: 5,
        error: status === 200 ? null : `Answered ${status}`,
        at: when,
        retryAt: status === 200 ? null : when,
      });
      const first = new Date(Date.now() + 1000).toISOString();
      await recordAttempts(spy, [{ delivery, attempt: attempt(500, first) }]);
      assert.deepEqual(executed, ['compiled']);
      executed.length = 0;
      await recordAttempts(spy, [{ delivery: { ...delivery, attempts: 1 }, attempt: attempt(200, at) }]);
      assert.deepEqual(executed, ['SelectQueryNode webhook_deliveries', 'UpdateQueryNode webhook_deliveries']);
      const row = await server.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { status: row.status, attempts: row.attempts, responsestatus: row.responsestatus },
        { status: 'succeeded', attempts: 2, responsestatus: 200 },
      );
      assert.deepEqual(JSON.parse(row.earlierattempts!), [
        { attempt: 1, at: first, responsestatus: 500, latencyms: 5, error: 'Answered 500', responsebody: '500' },
      ]);
    });

    it('sends nothing of a transaction that rolled back: the losers of a booking race leave no customer.created', async () => {
      await createEndpoint(server.db, server.businessId, { url: receiver.url, events: ['customer.created'] });
      const type = await createAppointment(
        server.db,
        server.businessId,
        appointmentInput({ minnoticeminutes: 0, windowdays: 400, title: 'Race' }),
        'dashboard',
      );
      const page = `/book/first-business/${type.slug}`;
      const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const slots = await server.request('GET', `${page}/slots?from=${from}&days=7&timezone=UTC`, { secret: null });
      const starttime = slots.body.data.slots[0].starttime;
      const statuses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          server
            .request('POST', page, {
              secret: null,
              body: { name: `Racer ${i}`, email: `hook-racer${i}@example.com`, starttime },
            })
            .then((r) => r.status),
        ),
      );
      assert.deepEqual(statuses.sort(), [201, ...Array(7).fill(409)]);
      await receiver.until((got) => got.length >= 1);
      await new Promise((r) => setTimeout(r, 500)); // a phantom would follow the real one at once
      assert.equal(receiver.received.length, 1);
      const kept = await server.request('GET', '/business/customer/list?search=hook-racer');
      assert.equal(receiver.received[0].json.data._id, kept.body.data[0]._id);
    });

    it('forgets events and their deliveries after 30 days, business by business, a batch at a time', async () => {
      const { endpoint } = await createEndpoint(server.db, server.businessId, { url: receiver.url });
      const other = await server.newBusiness('Pruned');
      await makeCustomer(server);
      await makeCustomer(server, other.secret);
      await receiver.until((got) => got.length >= 1);
      // 1,005 more events 31 days old (more than one batch), one of them delivered.
      const old = new Date(Date.now() - 31 * 24 * 3600_000).toISOString();
      const ids = Array.from({ length: 1005 }, (_, i) => `${(0xa00000 + i).toString(16)}${'0'.repeat(18)}`);
      await server.db.transaction().execute(async (trx) => {
        for (const id of ids)
          await trx
            .insertInto('events')
            .values({ businessid: server.businessId, id, type: 'ping', body: '{}', createdat: old })
            .execute();
        await trx
          .insertInto('webhook_deliveries')
          .values({
            id: `${'f'.repeat(6)}${'0'.repeat(18)}`,
            businessid: server.businessId,
            endpointid: endpoint._id,
            eventid: ids[0],
            eventtype: 'ping',
            status: 'succeeded',
            attempts: 1,
            createdat: old,
            updatedat: old,
          })
          .execute();
      });
      const count = async (table: 'events' | 'webhook_deliveries', businessId: string) =>
        Number(
          (
            await server.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('businessid', '=', businessId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = {
        events: await count('events', server.businessId),
        other: await count('events', other.businessId),
      };
      const deliveries = await count('webhook_deliveries', server.businessId);
      const pruned = await pruneEvents(server.db, new Date(Date.now() - 30 * 24 * 3600_000).toISOString());
      assert.equal(pruned, 1005);
      assert.equal(await count('events', server.businessId), before.events - 1005);
      assert.equal(await count('events', other.businessId), before.other);
      assert.equal(await count('webhook_deliveries', server.businessId), deliveries - 1);
    });

    it('sends nothing to a disabled endpoint, nor one business’s events to another', async () => {
      receiver.received.length = 0;
      const other = await server.newBusiness('Other');
      const mine = await createEndpoint(server.db, server.businessId, { url: `${receiver.url}/mine` });
      const theirs = await createEndpoint(server.db, other.businessId, { url: `${receiver.url}/theirs` });
      const off = await createEndpoint(server.db, server.businessId, { url: `${receiver.url}/off` });
      await setEndpointStatus(server.db, server.businessId, off.endpoint._id, 'disabled', 'by hand');
      await makeCustomer(server);
      await makeCustomer(server, other.secret);
      await receiver.until((got) => got.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      const paths = receiver.received.map((r) => `${r.path} ${r.json.businessid}`).sort();
      assert.deepEqual(paths, [`/hook/mine ${server.businessId}`, `/hook/theirs ${other.businessId}`].sort());
      const foreign = await server.request('GET', `/business/event/details/${receiver.received[0].json.id}`, {
        secret: other.secret,
      });
      if (receiver.received[0].json.businessid === server.businessId) assert.equal(foreign.status, 404);
      for (const e of [mine, off]) await setEndpointStatus(server.db, server.businessId, e.endpoint._id, 'disabled');
      await setEndpointStatus(server.db, other.businessId, theirs.endpoint._id, 'disabled');
    });

    // Last in the suite: it takes the column away and puts it back under the running server.
    it('migration 0015_delivery_attempts: down drops earlierattempts and keeps the deliveries, up adds it back empty', async () => {
      const count = async () =>
        Number(
          (
            await server.db
              .selectFrom('webhook_deliveries')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const deliveries = await count();
      assert.ok(deliveries > 0);
      await deliveryAttempts.down!(server.db);
      await assert.rejects(() => server.db.selectFrom('webhook_deliveries').select('earlierattempts').execute());
      assert.equal(await count(), deliveries);
      await deliveryAttempts.up(server.db);
      const rows = await server.db.selectFrom('webhook_deliveries').select('earlierattempts').execute();
      assert.deepEqual(new Set(rows.map((r) => r.earlierattempts)), new Set([null]));
    });
  });
}

describe('webhooks from two servers in one process', () => {
  it('each sends and logs only what its own database queued', async () => {
    const receiver = await startReceiver();
    const [a, b] = [await startServer(undefined, FAST), await startServer(undefined, FAST)];
    try {
      await createEndpoint(a.db, a.businessId, { url: `${receiver.url}/a` });
      await createEndpoint(b.db, b.businessId, { url: `${receiver.url}/b` });
      // A's write wakes no sender (no request); B's request wakes B's at once, which must leave A's to A.
      await createCustomer(a.db, a.businessId, customerBody() as CustomerCreate, 'dashboard');
      await makeCustomer(b);
      await receiver.until((got) => got.length === 2, 5000);
      const logged = async (server: TestServer) =>
        server.db.selectFrom('webhook_deliveries').select(['status', 'attempts']).execute();
      for (const server of [a, b]) {
        let rows = await logged(server);
        for (let i = 0; i < 100 && rows.some((r) => r.status !== 'succeeded'); i++) {
          await new Promise((r) => setTimeout(r, 20));
          rows = await logged(server);
        }
        assert.deepEqual(rows, [{ status: 'succeeded', attempts: 1 }]);
      }
      assert.deepEqual(receiver.received.map((r) => r.path).sort(), ['/hook/a', '/hook/b']);
    } finally {
      await a.close();
      await b.close();
      await receiver.close();
    }
  });
});

describe('a hung endpoint', () => {
  it('has at most 16 attempts on the wire at once, and never holds up another endpoint', async () => {
    const receiver = await startReceiver();
    // No attempt times out within the test: the hung endpoint's first attempts stay on the wire throughout.
    const server = await startServer(undefined, { ...FAST, WEBHOOK_TIMEOUT_MS: '30000' });
    try {
      receiver.answer = (got) => (got.path === '/hook/hung' ? 'hang' : 200);
      await createEndpoint(server.db, server.businessId, { url: `${receiver.url}/hung` });
      await createEndpoint(server.db, server.businessId, { url: `${receiver.url}/ok` });
      const events = 40;
      await Promise.all(Array.from({ length: events }, () => makeCustomer(server)));
      const sentTo = (path: string) => receiver.received.filter((r) => r.path === path);
      await receiver.until(() => sentTo('/hook/ok').length === events, 10_000);
      // The other 24 wait on the post thread for a slot (delivery.ts PER_ENDPOINT): none goes while the 16 hang.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(sentTo('/hook/hung').length, 16);
      assert.equal(new Set(sentTo('/hook/ok').map((r) => r.json.id)).size, events);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe('webhook URLs (SSRF)', () => {
  it('refuses http, loopback, private, link-local, metadata and names resolving to them', async () => {
    for (const url of [
      'http://example.com/hook',
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://172.16.0.1/hook',
      'https://192.168.1.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/hook',
      'https://[::1]/hook',
      'https://[fd00::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://localhost/hook',
    ])
      assert.ok(await urlProblem(url, false), url);
    assert.equal(await urlProblem('https://93.184.215.14/hook', false), undefined);
    assert.equal(await urlProblem('http://127.0.0.1:9/hook', true), undefined);
  });

  it('checks again at delivery: a private endpoint saved earlier is never sent to', async () => {
    const server = await startServer(undefined, { WEBHOOK_RETRY_SCHEDULE: '0' });
    const receiver = await startReceiver();
    try {
      const url = receiver.url.replace('http:', 'https:');
      const { endpoint } = await createEndpoint(server.db, server.businessId, { url });
      await makeCustomer(server);
      let row: { status: string; error: string | null } | undefined;
      for (let i = 0; i < 150 && row?.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        row = await server.db
          .selectFrom('webhook_deliveries')
          .select(['status', 'error'])
          .where('endpointid', '=', endpoint._id)
          .executeTakeFirst();
      }
      assert.equal(row?.status, 'failed');
      assert.match(row!.error!, /127\.0\.0\.1, which is not public/);
      assert.equal(receiver.received.length, 0);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
