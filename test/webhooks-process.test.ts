// Webhooks from a real `mteja serve`: managed with `mteja webhooks` and `mteja keys` (disabled, enabled, rotated and
// deleted while a node sends), delivered after a kill -9 with deliveries in flight, left to other nodes by a node that
// does not send, and, over PostgreSQL, sent once each by two nodes sharing the outbox, even when both claim the same
// deliveries at once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import type { Endpoint } from '../src/modules/webhook/webhook.schema.js';
import { type Received, type Receiver, standardVerified, startReceiver } from './helpers/receiver.js';
import { customerBody, engines } from './helpers/server.js';
import { mteja, type Served, spawnServe } from './helpers/spawn.js';

const createCustomer = async (url: string, secret: string) => {
  const res = await fetch(`${url}/business/customer/create`, {
    method: 'POST',
    headers: { authorization: secret, 'content-type': 'application/json' },
    body: JSON.stringify(customerBody()),
  });
  assert.equal(res.status, 201, await res.text());
};

const json = async (args: string[], env: NodeJS.ProcessEnv) => JSON.parse((await mteja(args, env)).stdout);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks the Standard Webhooks signature as a receiver would, with its library. */
const verify = (got: Received, secret: string) => assert.deepEqual(standardVerified(got, secret), got.json);

/** A node's settings on the schema at `databaseUrl`: quiet, webhooks allowed to the local receiver. */
const nodeEnv = (databaseUrl: string) => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  PORT: '0',
  LOG_LEVEL: 'silent',
  MTEJA_DEMO: 'false',
  WEBHOOK_ALLOW_PRIVATE: 'true',
});

for (const engine of engines()) {
  describe(`webhooks from mteja serve [${engine.name}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteja-webhooks-'));
    const databaseUrl = engine.databaseUrl(dir);
    const env = { ...nodeEnv(databaseUrl), WEBHOOK_RETRY_SCHEDULE: '0,200ms', WEBHOOK_TIMEOUT_MS: '500' };
    let receiver: Receiver;
    let business: string;
    let secret: string;
    const served: Served[] = [];
    before(async () => {
      receiver = await startReceiver();
      const made = await json(['business', 'create', '--name', 'Hooks', '--plan', 'enterprise', '--json'], env);
      business = made.business._id;
      secret = made.credential.clientsecret;
    });
    after(async () => {
      for (const s of served) await s.stop();
      await receiver.close();
      await engine.cleanup(databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    });

    // The CLI's checks are the same on every engine: run once.
    const once = engine.name === 'sqlite' ? it : it.skip;
    once('manages endpoints from the CLI, refusing private URLs unless allowed', async () => {
      const strict = { ...env, WEBHOOK_ALLOW_PRIVATE: 'false' };
      await assert.rejects(
        mteja(['webhooks', 'create', '--business', business, '--url', 'https://localhost/hook'], strict),
        (error: { code: number; stderr: string }) => {
          assert.equal(error.code, 2);
          assert.match(error.stderr, /--url: URL must resolve to a public address \(localhost is /);
          return true;
        },
      );
      await assert.rejects(
        mteja(['keys', 'create', '--business', business, '--webhook-url', 'https://10.0.0.1/'], strict),
        /--webhook-url: URL must resolve to a public address/,
      );
      await assert.rejects(
        mteja(
          ['webhooks', 'create', '--business', business, '--url', receiver.url, '--events', 'customer.create'],
          env,
        ),
        /No event type matches customer.create/,
      );
      const key = await json(
        ['keys', 'create', '--business', business, '--webhook-url', `${receiver.url}/key`, '--json'],
        env,
      );
      assert.match(key.webhooksecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      const listed = await json(['webhooks', 'list', '--business', business, '--json'], env);
      assert.deepEqual(
        listed.map((e: { url: string; events: string[]; credentialid: string }) => [e.url, e.events, e.credentialid]),
        [[`${receiver.url}/key`, ['*'], key.credential.clientid]],
      );
      await mteja(['keys', 'revoke', key.credential.clientid], env);
    });

    it('delivers every event committed before a kill -9, after the restart', async () => {
      const made = await json(
        ['webhooks', 'create', '--business', business, '--url', receiver.url, '--events', 'customer.*', '--json'],
        env,
      );
      assert.deepEqual(Object.keys(made.endpoint).sort(), ['_id', 'events', 'status', 'url']);
      receiver.answer = () => 'hang';
      const first = await spawnServe(env);
      served.push(first);
      for (let i = 0; i < 12; i++) await createCustomer(first.url, secret);
      await receiver.until((got) => got.length >= 4);
      first.child.kill('SIGKILL');
      await first.exited;
      const hung = receiver.received.length;
      receiver.answer = () => 200;
      const second = await spawnServe(env);
      served.push(second);
      await receiver.until((got) => new Set(got.slice(hung).map((r) => r.json.id)).size === 12, 15_000);
      const hook = new Webhook(made.secret);
      for (const got of receiver.received.slice(hung)) {
        const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
        assert.equal((hook.verify(got.body, headers) as { type: string }).type, 'customer.created');
      }

      // A ping on request, then the log, then a redelivery.
      const endpoint = made.endpoint._id;
      receiver.received.length = 0;
      await mteja(['webhooks', 'test', endpoint], env);
      await receiver.until((got) => got.some((r) => r.json.type === 'ping'));
      await new Promise((r) => setTimeout(r, 200)); // the attempt is logged after the answer
      const log: { _id: string; eventtype: string; status: string }[] = await json(
        ['webhooks', 'deliveries', endpoint, '--json'],
        env,
      );
      assert.equal(log.length, 13);
      assert.deepEqual(new Set(log.map((d) => d.status)), new Set(['succeeded']));
      const ping = log.find((d) => d.eventtype === 'ping')!;
      await mteja(['webhooks', 'redeliver', ping._id], env);
      await receiver.until((got) => got.filter((r) => r.json.type === 'ping').length === 2);
      // Both attempts are in the log: the first as an earlier attempt of the second.
      let redone: { attempts: number; earlierattempts: { attempt: number; responsestatus: number }[] } | undefined;
      for (let i = 0; i < 20 && redone?.attempts !== 2; i++) {
        const again = await json(['webhooks', 'deliveries', endpoint, '--json'], env);
        redone = again.find((d: { _id: string }) => d._id === ping._id);
      }
      assert.deepEqual(
        redone?.earlierattempts.map((a) => [a.attempt, a.responsestatus]),
        [[1, 200]],
      );
      const table = (await mteja(['webhooks', 'deliveries', endpoint], env)).stdout;
      assert.match(
        table.split('\n').find((line) => line.startsWith(ping._id))!,
        / ping +succeeded +2 \(200, 200\) +200 /,
      );
    });

    it('sends nothing from a node with WEBHOOK_SENDER=off; a sending node finds what it queued', async () => {
      for (const s of served.splice(0)) await s.stop();
      await mteja(['webhooks', 'create', '--business', business, '--url', `${receiver.url}/quiet`], env);
      const quiet = await spawnServe({ ...env, WEBHOOK_SENDER: 'off' });
      served.push(quiet);
      for (let i = 0; i < 3; i++) await createCustomer(quiet.url, secret);
      const toQuiet = () => receiver.received.filter((r) => r.path === '/hook/quiet');
      await new Promise((r) => setTimeout(r, 1500)); // a sender polls every second
      assert.equal(toQuiet().length, 0);
      served.push(await spawnServe(env));
      await receiver.until(() => toQuiet().length === 3);
    });

    it('sends nothing to a disabled endpoint, the next write once enabled, both secrets after a rotation, nothing once deleted', async () => {
      for (const s of served.splice(0)) await s.stop();
      const node = await spawnServe(env);
      served.push(node);
      const create = (path: string, ...more: string[]) =>
        json(
          ['webhooks', 'create', '--business', business, '--url', `${receiver.url}/${path}`, '--json', ...more],
          env,
        );
      const made = await create('managed', '--description', 'Billing sync');
      const id: string = made.endpoint._id;
      // Takes every write too: once it has a write's event, the managed endpoint would have had it as well (both of an
      // event's deliveries go to the sender together), so a silence there is not just a slow send.
      await create('witness');
      const at = (path: string) => receiver.received.filter((r) => r.path === `/hook/${path}`);
      /** Writes a customer through the node; resolves to its event's id once the witness has it. */
      const write = async () => {
        const seen = at('witness').length;
        await createCustomer(node.url, secret);
        await receiver.until(() => at('witness').length > seen);
        return at('witness')[seen].json.id;
      };
      const listed = async (): Promise<Endpoint[]> => json(['webhooks', 'list', '--business', business, '--json'], env);

      await mteja(['webhooks', 'disable', id], env);
      const disabled = (await listed()).find((e) => e._id === id);
      assert.deepEqual(
        { description: disabled?.description, status: disabled?.status, disabledreason: disabled?.disabledreason },
        { description: 'Billing sync', status: 'disabled', disabledreason: 'Disabled from the command line' },
      );
      await write();
      await sleep(300);
      assert.equal(at('managed').length, 0, 'a disabled endpoint is sent nothing');

      await mteja(['webhooks', 'enable', id], env);
      const afterEnable = await write();
      await receiver.until(() => at('managed').length > 0);
      verify(at('managed')[0], made.secret);

      const rotated = (await mteja(['webhooks', 'rotate', id], env)).stdout;
      assert.match(rotated, /the old one keeps signing beside it for 24 hours/);
      const fresh = /whsec_[A-Za-z0-9+/]{43}=/.exec(rotated)?.[0];
      assert.ok(fresh && fresh !== made.secret, rotated);
      const afterRotate = await write();
      await receiver.until(() => at('managed').length > 1);
      const signed = at('managed')[1];
      assert.equal(String(signed.headers['webhook-signature']).split(' ').length, 2);
      verify(signed, made.secret);
      verify(signed, fresh);
      assert.throws(() => verify(signed, `whsec_${Buffer.alloc(32, 1).toString('base64')}`), /No matching signature/);

      await mteja(['webhooks', 'delete', id], env);
      assert.ok(!(await listed()).some((e) => e._id === id), 'a deleted endpoint is not listed');
      await write();
      await sleep(300);
      // The write made while it was disabled never went out, not even once it was enabled (over a second ago, so a
      // poll has run since); nothing followed the delete.
      assert.deepEqual(
        at('managed').map((r) => r.json.id),
        [afterEnable, afterRotate],
      );
    });
  });
}

const postgres = engines().find((e) => e.name === 'postgres');
describe('webhooks from two nodes over one PostgreSQL', { skip: !postgres && 'TEST_DATABASE_URL is not set' }, () => {
  it('sends each delivery once', async () => {
    const databaseUrl = postgres!.databaseUrl('');
    const env = nodeEnv(databaseUrl);
    const receiver = await startReceiver();
    const nodes: Served[] = [];
    try {
      const made = await json(['business', 'create', '--name', 'Two nodes', '--plan', 'enterprise', '--json'], env);
      await mteja(['business', 'update', made.business._id, '--limits', '100000/1000000/10000000'], env);
      await mteja(['webhooks', 'create', '--business', made.business._id, '--url', receiver.url], env);
      nodes.push(await spawnServe(env), await spawnServe(env));
      const writes = [];
      for (let i = 0; i < 120; i++) writes.push(createCustomer(nodes[i % 2].url, made.credential.clientsecret));
      await Promise.all(writes);
      await receiver.until((got) => new Set(got.map((r) => r.json.id)).size === 120, 15_000);
      await new Promise((r) => setTimeout(r, 1500)); // both nodes poll at least once more
      assert.equal(receiver.received.length, 120, 'no event was sent twice');
    } finally {
      for (const node of nodes) await node.stop();
      await receiver.close();
      await postgres!.cleanup(databaseUrl);
    }
  });

  it('sends a backlog once each when both nodes claim the same deliveries at the same moment', async () => {
    // Writes to a node that does not send queue their deliveries leased to no one, so claimDue is the only way to them.
    // A table lock lets both nodes' claims read the same due rows, then holds their updates until both wait on it:
    // released, the two claims of the same rows run at once, and only the lease re-check in the update keeps the later
    // one from taking (and sending) what the earlier one took.
    const backlog = 400;
    /** A node's attempts on the wire to one endpoint, at most (PER_ENDPOINT in delivery.ts). */
    const perNode = 16;
    const databaseUrl = postgres!.databaseUrl('');
    const table = `"${new URL(databaseUrl).searchParams.get('schema')}".webhook_deliveries`;
    const env = nodeEnv(databaseUrl);
    const receiver = await startReceiver();
    // A slow receiver: one node alone would need seconds, so the other's next poll finds some left; more than one
    // node's worth on the wire at once shows that both sent.
    let onWire = 0;
    let mostOnWire = 0;
    receiver.answer = async () => {
      mostOnWire = Math.max(mostOnWire, ++onWire);
      await sleep(100);
      onWire--;
      return 200;
    };
    const locker = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await locker.connect();
    const nodes: Served[] = [];
    try {
      const made = await json(['business', 'create', '--name', 'Backlog', '--plan', 'enterprise', '--json'], env);
      await mteja(['business', 'update', made.business._id, '--limits', '100000/1000000/10000000'], env);
      await mteja(['webhooks', 'create', '--business', made.business._id, '--url', receiver.url], env);
      const quiet = await spawnServe({ ...env, WEBHOOK_SENDER: 'off' });
      nodes.push(quiet);
      for (let i = 0; i < backlog; i += 50)
        await Promise.all(Array.from({ length: 50 }, () => createCustomer(quiet.url, made.credential.clientsecret)));
      await quiet.stop();
      const queued = await locker.query(`select count(*)::int as n, count(leaseuntil)::int as leased from ${table}`);
      assert.deepEqual(queued.rows[0], { n: backlog, leased: 0 });

      await locker.query('begin');
      await locker.query(`lock table ${table} in exclusive mode`);
      nodes.push(...(await Promise.all([spawnServe(env), spawnServe(env)])));
      // In a transaction PostgreSQL reads pg_stat_activity once and keeps it: each look clears that snapshot first.
      const claimsWaiting = async () => {
        await locker.query('select pg_stat_clear_snapshot()');
        const waiting = await locker.query<{ n: number }>(
          `select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
           where not l.granted and l.relation = $1::regclass
             and a.query like 'update "webhook_deliveries" set "leaseuntil" = $1 where "id" in %'`,
          [table],
        );
        return waiting.rows[0].n;
      };
      const deadline = Date.now() + 4000;
      while ((await claimsWaiting()) < 2) {
        assert.ok(Date.now() < deadline, 'both nodes claim the backlog, each waiting on the lock');
        await sleep(20);
      }
      await locker.query('commit');

      await receiver.until((got) => new Set(got.map((r) => r.headers['webhook-id'])).size === backlog, 15_000);
      await sleep(1500); // both nodes poll at least once more
      const sent = new Map<string, number>();
      for (const { headers } of receiver.received) {
        const id = String(headers['webhook-id']);
        sent.set(id, (sent.get(id) ?? 0) + 1);
      }
      const twice = [...sent].filter(([, n]) => n > 1);
      assert.equal(twice.length, 0, `${twice.length} of ${backlog} events were sent more than once`);
      assert.equal(receiver.received.length, backlog);
      assert.ok(mostOnWire > perNode, `at most ${mostOnWire} attempts on the wire at once: one node sent them all`);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      for (const node of nodes) await node.stop();
      await receiver.close();
      await postgres!.cleanup(databaseUrl);
    }
  });
});
