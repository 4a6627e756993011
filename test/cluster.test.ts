// Two nodes, one PostgreSQL and one Redis: a shared rate budget, shared idempotency keys, one winner per email,
// and requests still served, under load, while Redis is killed and restarted.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { dropSchema } from '../src/db/postgres.js';
import { countSkipped } from './helpers/server.js';
import { mteja, type Served, spawnServe } from './helpers/spawn.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function hasRedisServer() {
  try {
    await run('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
}

const base = process.env.TEST_DATABASE_URL;
const skip = !base
  ? 'TEST_DATABASE_URL is not set'
  : !(await hasRedisServer())
    ? 'redis-server is not installed'
    : false;

countSkipped('two nodes sharing PostgreSQL and Redis', skip);
describe('two nodes sharing PostgreSQL and Redis', { skip }, () => {
  const url = new URL(base ?? 'postgres://x');
  url.searchParams.set('schema', `mteja_cluster_${randomBytes(4).toString('hex')}`);
  const databaseUrl = url.toString();
  let redisPort: number;
  let redis: ChildProcess;
  const nodes: Served[] = [];
  const env = () => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    LOG_LEVEL: 'silent',
    MTEJA_DEMO: 'false',
    PORT: '0',
  });

  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 50; i++) {
      try {
        await run('redis-cli', ['-p', String(redisPort), 'ping']);
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error('redis-server did not start');
  };
  const stopRedis = async () => {
    const exited = new Promise((resolve) => redis.once('exit', resolve));
    redis.kill('SIGKILL');
    await exited;
  };

  const cli = async (...args: string[]) => JSON.parse((await mteja(args, env())).stdout);
  /** A business with the given enterprise limits, "second/minute/day". */
  const business = async (limits: string) => {
    const made = await cli('business', 'create', '--name', `Cluster ${limits}`, '--plan', 'enterprise', '--json');
    await cli('business', 'update', made.business._id, '--limits', limits, '--json');
    return made.credential.clientsecret as string;
  };
  const call = (i: number, path: string, secret: string, init: RequestInit = {}) =>
    fetch(`${nodes[i % 2].url}${path}`, {
      ...init,
      headers: { authorization: secret, 'content-type': 'application/json', ...init.headers },
    });

  before(async () => {
    redisPort = await freePort();
    await startRedis();
    await mteja(['migrate'], env());
    for (let i = 0; i < 2; i++) {
      nodes.push(await spawnServe(env()));
    }
  });

  after(async () => {
    for (const node of nodes) await node.stop();
    if (redis && redis.exitCode === null) await stopRedis();
    await dropSchema(databaseUrl);
  });

  it("holds a business's combined requests on both nodes to its limit, not twice it", async () => {
    const secret = await business('1000/1000/20');
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(i, '/business/customer/list', secret).then((r) => r.status)),
    );
    assert.equal(statuses.filter((s) => s === 200).length, 20);
    assert.equal(statuses.filter((s) => s === 429).length, 40);
  });

  it('creates one record for one Idempotency-Key sent to both nodes', async () => {
    const secret = await business('1000/100000/1000000');
    const body = JSON.stringify({
      name: 'Twice Sent',
      email: 'twice@example.com',
      phone: '+254700000001',
      country: 'Kenya',
      currency: 'KES',
    });
    const replies = await Promise.all(
      [0, 1, 0, 1].map((i) =>
        call(i, '/business/customer/create', secret, {
          method: 'POST',
          body,
          headers: { 'idempotency-key': 'same-key' },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    assert.ok(statuses.includes(201), String(statuses));
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      String(statuses),
    );
    const list = (await (await call(0, '/business/customer/list?search=twice%40example.com', secret)).json()) as {
      pagination: { total: number };
    };
    assert.equal(list.pagination.total, 1);
    const later = await call(1, '/business/customer/create', secret, {
      method: 'POST',
      body,
      headers: { 'idempotency-key': 'same-key' },
    });
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
  });

  it('gives exactly one 201 for 100 concurrent creates of one email split across both nodes', async () => {
    const secret = await business('100000/1000000/10000000');
    const body = JSON.stringify({
      name: 'Race',
      email: 'race@example.com',
      phone: '+254700000002',
      country: 'Kenya',
      currency: 'KES',
    });
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(i, '/business/customer/create', secret, { method: 'POST', body }).then((r) => r.status),
      ),
    );
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 99);
  });

  it("shows one node's write in the other's kept list answer on the next request", async () => {
    const secret = await business('1000/100000/1000000');
    const total = async (i: number) =>
      (
        (await (await call(i, '/business/customer/list?search=kept', secret)).json()) as {
          pagination: { total: number };
        }
      ).pagination.total;
    for (const i of [0, 1, 0, 1]) assert.equal(await total(i), 0, 'answered, then kept, by both nodes');
    const body = JSON.stringify({
      name: 'Kept Answer',
      email: 'kept@example.com',
      phone: '+254700000003',
      country: 'Kenya',
      currency: 'KES',
    });
    assert.equal((await call(0, '/business/customer/create', secret, { method: 'POST', body })).status, 201);
    assert.equal(await total(1), 1);
    assert.equal(await total(0), 1);
  });

  it('refuses a key on both nodes once the CLI has revoked it', async () => {
    const made = await cli('business', 'create', '--name', 'Cluster Revoked', '--plan', 'enterprise', '--json');
    const secret = made.credential.clientsecret as string;
    for (const i of [0, 1, 0, 1])
      assert.equal((await call(i, '/business/customer/list', secret)).status, 200, 'caller cached by both nodes');
    await mteja(['keys', 'revoke', made.credential.clientid], env());
    for (const i of [0, 1]) assert.equal((await call(i, '/business/customer/list', secret)).status, 401, `node ${i}`);
  });

  it('keeps serving under load while Redis is killed and restarted, and shares the limit again when it returns', async () => {
    const secret = await business('100000/1000000/10000000');
    // Fail open: without Redis each node counts on its own (the plan's numbers per node), logs a warning once, and
    // keeps answering; a request never waits on Redis longer than its command timeout (1 s).
    let phase = 'before';
    let loading = true;
    const answers: { phase: string; status: number; ms: number }[] = [];
    const worker = async (w: number) => {
      for (let n = w; loading; n += 8) {
        const started = performance.now();
        const at = phase;
        const status = await call(n, '/business/customer/list', secret, { signal: AbortSignal.timeout(5000) }).then(
          (r) => r.status,
          () => 0,
        );
        answers.push({ phase: at, status, ms: performance.now() - started });
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await sleep(500);
    await stopRedis();
    phase = 'away';
    await sleep(1500);
    phase = 'restarting';
    await startRedis();
    phase = 'back';
    await sleep(1000);
    loading = false;
    await load;
    for (const node of nodes) assert.equal(node.child.exitCode, null, 'the node lived');
    const count = (p: string) => answers.filter((a) => a.phase === p).length;
    assert.ok(count('away') > 0 && count('back') > 0, `served in every phase: ${answers.length} answers`);
    const failed = answers.filter((a) => a.status !== 200);
    assert.deepEqual(failed, [], 'every request was served');
    const slowest = Math.max(...answers.map((a) => a.ms));
    assert.ok(slowest < 1500, `slowest answer ${Math.round(slowest)} ms`);

    // The clients reconnect on their own (backoff at most 2 s).
    const shared = await business('1000/1000/10');
    for (let attempt = 0; attempt < 20; attempt++) {
      await sleep(500);
      const probe = await Promise.all(
        [0, 1].map((i) =>
          fetch(`${nodes[i].url}/readyz`).then((r) => r.json() as Promise<{ data?: { status: string } }>),
        ),
      );
      if (probe.every((answer) => answer.data?.status === 'ready')) break;
    }
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(i, '/business/customer/list', shared).then((r) => r.status)),
    );
    assert.equal(statuses.filter((s) => s === 200).length, 10, 'the limit is shared again');
  });
});
