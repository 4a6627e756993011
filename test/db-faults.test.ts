// Database faults, for real: a TCP proxy between mteja and PostgreSQL resets every connection under load, then holds
// them open passing nothing (a partition); the process lives, every request is answered within REQUEST_TIMEOUT_MS
// (a 503 in the envelope at worst), and it serves again once the proxy passes traffic. SQLite's busy lock is a 503 too.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { dropSchema } from '../src/db/postgres.js';
import { countSkipped } from './helpers/server.js';
import { mteja, type Served, spawnServe } from './helpers/spawn.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The request budget the node runs with here: small, so that the partition is short. */
const BUDGET_MS = 1500;
/** What an answer may take beyond the budget: the event loop's turn and the local round trip, on a busy machine. */
const MARGIN_MS = 750;
// FAULTS_LOG=warn (a pino level) prints the nodes' logs, to see what they did.

/** One client connection through the proxy and its upstream; while held, bytes wait in `queue` in order. */
interface Pair {
  client: Socket;
  upstream?: Socket;
  queue: { to: 'client' | 'upstream'; chunk: Buffer }[];
  /** Cut off for good: its bytes are dropped, and neither end is told. */
  dead?: boolean;
}

/** A TCP proxy to PostgreSQL that can reset every connection, or stop passing bytes (a partition) and resume. */
class FaultyProxy {
  readonly #pairs = new Set<Pair>();
  readonly #server: Server;
  #held = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.#server = createServer((client) => this.#accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this.listeningPort;
  }

  get listeningPort(): number {
    return (this.#server.address() as { port: number }).port;
  }

  #accept(client: Socket) {
    const pair: Pair = { client, queue: [] };
    this.#pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.upstream?.destroy();
      this.#pairs.delete(pair);
    });
    client.on('data', (chunk) => this.#pass(pair, 'upstream', chunk));
    if (!this.#held) this.#link(pair);
  }

  #link(pair: Pair) {
    const upstream = tcpConnect(this.port, this.host);
    pair.upstream = upstream;
    upstream.on('error', () => {});
    upstream.on('close', () => pair.client.destroy());
    upstream.on('data', (chunk) => this.#pass(pair, 'client', chunk));
  }

  #pass(pair: Pair, to: 'client' | 'upstream', chunk: Buffer) {
    if (pair.dead) return;
    if (this.#held || !pair.upstream) pair.queue.push({ to, chunk });
    else (to === 'client' ? pair.client : pair.upstream).write(chunk);
  }

  /** Sends a TCP RST both ways on every connection, as a failover or a dying server does. */
  reset(): number {
    const count = this.#pairs.size;
    for (const pair of this.#pairs) {
      pair.client.resetAndDestroy();
      pair.upstream?.resetAndDestroy();
      this.#pairs.delete(pair);
    }
    return count;
  }

  /** Keeps every connection, old and new, open and silent. */
  partition() {
    this.#held = true;
  }

  /**
   * Cuts every open connection off for good without telling either end, as when the database's host vanishes and a
   * standby takes its address: new connections go through.
   */
  blackHole() {
    for (const pair of this.#pairs) pair.dead = true;
  }

  /** Passes traffic again: what waited goes through in order, as TCP retransmission delivers it. */
  heal() {
    this.#held = false;
    for (const pair of this.#pairs) {
      if (!pair.upstream) this.#link(pair);
      for (const { to, chunk } of pair.queue.splice(0))
        (to === 'client' ? pair.client : (pair.upstream as Socket)).write(chunk);
    }
  }

  /** The local ports of the proxy's connections to PostgreSQL, as pg_stat_activity's client_port shows them. */
  upstreamPorts(): Set<number> {
    const ports = new Set<number>();
    for (const pair of this.#pairs) if (!pair.dead && pair.upstream?.localPort) ports.add(pair.upstream.localPort);
    return ports;
  }

  async close() {
    this.reset();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

interface Answer {
  status: number;
  ms: number;
  body: string;
  phase: string;
}

const ENVELOPE_503 = [
  JSON.stringify({ success: false, error: 'Service unavailable' }),
  JSON.stringify({ success: false, error: 'Request timed out' }),
];

const base = process.env.TEST_DATABASE_URL;

countSkipped('PostgreSQL behind a faulty network', !base && 'TEST_DATABASE_URL is not set');
describe('PostgreSQL behind a faulty network', { skip: base ? false : 'TEST_DATABASE_URL is not set' }, () => {
  const direct = new URL(base ?? 'postgres://x');
  direct.searchParams.set('schema', `mteja_faults_${randomBytes(4).toString('hex')}`);
  const directUrl = direct.toString();
  const proxy = new FaultyProxy(direct.hostname, Number(direct.port || 5432));
  let node: Served;
  let secret: string;
  const env = (databaseUrl: string) => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.FAULTS_LOG ?? 'fatal',
    MTEJA_DEMO: 'false',
    PORT: '0',
    REQUEST_TIMEOUT_MS: String(BUDGET_MS),
    DATABASE_CONNECT_TIMEOUT_MS: '500',
    DATABASE_QUERY_TIMEOUT_MS: '300',
  });
  const cli = async (...args: string[]) => JSON.parse((await mteja(args, env(directUrl))).stdout);
  const call = async (phase: string, path: string, init: RequestInit = {}): Promise<Answer> => {
    const started = performance.now();
    try {
      const response = await fetch(`${node.url}${path}`, {
        ...init,
        headers: { authorization: secret, 'content-type': 'application/json', ...init.headers },
        signal: AbortSignal.timeout(BUDGET_MS * 4),
      });
      const body = await response.text();
      return { status: response.status, ms: performance.now() - started, body, phase };
    } catch (error) {
      return { status: 0, ms: performance.now() - started, body: String(error), phase };
    }
  };
  const listenerThroughProxy = async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      const { rows } = await client.query<{ client_port: number }>(
        `select client_port from pg_stat_activity where application_name = 'mteja-listen'`,
      );
      const ports = proxy.upstreamPorts();
      return rows.some((row) => ports.has(row.client_port));
    } finally {
      await client.end();
    }
  };
  const until = async (what: string, check: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (node.child.exitCode !== null)
        assert.fail(`the process died (exit ${node.child.exitCode}): ${node.output().slice(-1500)}`);
      if (Date.now() > deadline) assert.fail(`${what}: not within ${ms} ms`);
      await sleep(100);
    }
  };

  before(async () => {
    const proxied = new URL(directUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(await proxy.listen());
    await mteja(['migrate'], env(directUrl));
    const made = await cli('business', 'create', '--name', 'Faults', '--plan', 'enterprise', '--json');
    await cli('business', 'update', made.business._id, '--limits', '100000/1000000/10000000', '--json');
    secret = made.credential.clientsecret;
    node = await spawnServe(env(proxied.toString()));
  });

  after(async () => {
    if (node) await node.stop();
    await proxy.close();
    await dropSchema(directUrl);
  });

  it('lives through resets and a partition under load, answers every request within the budget, and recovers', async () => {
    let phase = 'warm';
    let loading = true;
    const answers: Answer[] = [];
    let sent = 0;
    const worker = async (w: number) => {
      while (loading) {
        const n = sent++;
        if (n % 3 === 0) {
          const body = JSON.stringify({
            name: `Fault ${n}`,
            email: `fault-${n}@example.com`,
            phone: '+254700000000',
            country: 'Kenya',
            currency: 'KES',
          });
          // Every other create carries an Idempotency-Key: its record is written while the response is sent.
          const headers: Record<string, string> = n % 2 ? { 'idempotency-key': `fault-${n}` } : {};
          answers.push(await call(phase, '/business/customer/create', { method: 'POST', body, headers }));
        } else answers.push(await call(phase, `/business/customer/list?limit=5&page=${1 + (w % 3)}`));
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));

    await sleep(800);
    await until('the LISTEN connection goes through the proxy', listenerThroughProxy, 5000);
    phase = 'reset';
    let resets = 0;
    for (let i = 0; i < 3; i++) {
      resets += proxy.reset();
      await sleep(300);
    }
    assert.ok(resets > 0, 'connections were reset');
    phase = 'after-reset';
    await sleep(1000);
    phase = 'partition';
    proxy.partition();
    await sleep(BUDGET_MS * 2);
    proxy.heal();
    phase = 'healed';
    const healedAt = Date.now();
    await until(
      'a request succeeds after the partition',
      async () => answers.some((a) => a.phase === 'healed' && a.status === 200),
      BUDGET_MS * 3,
    );
    const recoveredMs = Date.now() - healedAt;
    await sleep(1000);
    phase = 'settled';
    await sleep(500);
    loading = false;
    await load;

    if (process.env.FAULTS_LOG) process.stderr.write(node.output());
    const died = await Promise.race([node.exited.then((code) => `exited with ${code}`), sleep(100).then(() => '')]);
    assert.equal(died, '', `the process lived: ${node.output().slice(-2000)}`);
    const counts: Record<string, Record<number, number>> = {};
    for (const a of answers) {
      counts[a.phase] ??= {};
      counts[a.phase][a.status] = (counts[a.phase][a.status] ?? 0) + 1;
    }
    const slowest = Math.max(...answers.map((a) => a.ms));
    process.stderr.write(
      `# ${answers.length} requests, statuses by phase ${JSON.stringify(counts)}, slowest ${Math.round(slowest)} ms, recovered ${recoveredMs} ms after the partition\n`,
    );
    for (const a of answers) {
      assert.ok([200, 201, 503].includes(a.status), `${a.phase}: ${a.status} ${a.body}`);
      if (a.status === 503) assert.ok(ENVELOPE_503.includes(a.body), `${a.phase}: 503 ${a.body}`);
      assert.ok(a.ms <= BUDGET_MS + MARGIN_MS, `${a.phase}: answered in ${Math.round(a.ms)} ms`);
    }
    assert.ok(
      answers.some((a) => a.phase === 'partition' && a.status === 503),
      'the partition was felt',
    );
    const settled = answers.filter((a) => a.phase === 'settled');
    assert.ok(settled.length > 0);
    assert.ok(
      settled.every((a) => a.status === 200 || a.status === 201),
      `all served once the database is back: ${JSON.stringify(counts.settled)}`,
    );
  });

  it('stops the database work of a request at REQUEST_TIMEOUT_MS, below a longer DATABASE_QUERY_TIMEOUT_MS', async () => {
    // A table lock held by another session: the node's read of a record waits on it until a timeout ends it. The budget is the
    // shorter, so PostgreSQL cancels the statement when the client gets its 503, not 5 s later.
    const budget = 800;
    const hurried = await spawnServe({
      ...env(directUrl),
      REQUEST_TIMEOUT_MS: String(budget),
      DATABASE_QUERY_TIMEOUT_MS: '5000',
    });
    const locker = new pg.Client({ connectionString: base });
    await locker.connect();
    const waiting = async () =>
      Number(
        (
          await locker.query<{ n: string }>(
            `select count(*) as n from pg_stat_activity where application_name = 'mteja' and wait_event_type = 'Lock'`,
          )
        ).rows[0].n,
      );
    try {
      const headers = { authorization: secret };
      assert.equal((await fetch(`${hurried.url}/business/customer/list`, { headers })).status, 200);
      await locker.query('begin');
      await locker.query(`lock table "${direct.searchParams.get('schema')}".customers in access exclusive mode`);
      const started = performance.now();
      const answer = await fetch(`${hurried.url}/business/customer/details/${'0'.repeat(24)}`, { headers });
      const ms = performance.now() - started;
      assert.equal(answer.status, 503);
      assert.ok(ENVELOPE_503.includes(await answer.text()));
      assert.ok(ms < budget + MARGIN_MS, `answered in ${Math.round(ms)} ms`);
      // Its statement is no longer waiting on the lock well before DATABASE_QUERY_TIMEOUT_MS (5 s by default).
      const deadline = Date.now() + 1500;
      while ((await waiting()) > 0 && Date.now() < deadline) await sleep(50);
      assert.equal(await waiting(), 0, 'a statement of the node still waits on the lock');
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await hurried.stop();
    }
  });

  it('answers 503 "Request timed out" at REQUEST_TIMEOUT_MS when nothing else gives up first, and only once', async () => {
    // A second node with no database timeouts of its own: only the request budget stands between a client and the
    // partition, and the handlers it cut short finish once the proxy passes traffic again.
    const proxied = new URL(directUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.listeningPort);
    const patient = await spawnServe({
      ...env(proxied.toString()),
      DATABASE_CONNECT_TIMEOUT_MS: '0',
      DATABASE_QUERY_TIMEOUT_MS: '0',
    });
    try {
      const { port } = new URL(patient.url);
      assert.equal(
        (await fetch(`${patient.url}/business/customer/list`, { headers: { authorization: secret } })).status,
        200,
      );
      proxy.partition();
      /** Sends one request on its own connection and keeps every byte that comes back, however late. */
      const raw = (method: string, path: string, body = '', headers = '') => {
        const socket = tcpConnect(Number(port), '127.0.0.1');
        const answer = { text: '', ms: 0 };
        const started = performance.now();
        socket.on('data', (chunk) => {
          if (!answer.text) answer.ms = performance.now() - started;
          answer.text += chunk;
        });
        socket.on('error', () => {});
        socket.write(
          `${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${secret}\r\nContent-Type: application/json\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return { socket, answer };
      };
      const customer = (n: number) =>
        JSON.stringify({
          name: `Late ${n}`,
          email: `late-${n}@example.com`,
          phone: '+254700000000',
          country: 'Kenya',
          currency: 'KES',
        });
      const sent = [
        raw('GET', '/business/customer/list'),
        raw('GET', '/business/customer/list?page=2'),
        raw('POST', '/business/customer/create', customer(1)),
        raw('POST', '/business/customer/create', customer(2), 'Idempotency-Key: late-2\r\n'),
      ];
      await sleep(BUDGET_MS + MARGIN_MS);
      proxy.heal();
      // The cut-short handlers finish now; what they return must go nowhere.
      await sleep(1500);
      if (process.env.FAULTS_LOG) {
        process.stderr.write(patient.output());
        for (const { answer } of sent) process.stderr.write(`${Math.round(answer.ms)} ms: ${answer.text}\n`);
      }
      for (const { socket, answer } of sent) {
        socket.destroy();
        assert.equal(answer.text.match(/HTTP\/1\.1 /g)?.length, 1, `one response: ${answer.text}`);
        assert.match(answer.text, /^HTTP\/1\.1 503 /);
        assert.ok(answer.text.endsWith(JSON.stringify({ success: false, error: 'Request timed out' })), answer.text);
        assert.ok(answer.ms <= BUDGET_MS + MARGIN_MS, `answered in ${Math.round(answer.ms)} ms`);
      }
      assert.equal(patient.child.exitCode, null, 'the process lived');
      assert.equal(
        (await fetch(`${patient.url}/business/customer/list`, { headers: { authorization: secret } })).status,
        200,
      );
    } finally {
      proxy.heal();
      await patient.stop();
    }
  });

  it('listens for credential changes again after a reset, and a revoked key fails on the next request', async () => {
    const made = await cli('business', 'create', '--name', 'Faults Revoked', '--plan', 'enterprise', '--json');
    const revoked: string = made.credential.clientsecret;
    proxy.reset();
    const resetAt = Date.now();
    await until('the LISTEN connection is back', listenerThroughProxy, 5000);
    process.stderr.write(`# LISTEN connection back ${Date.now() - resetAt} ms after the reset\n`);
    const list = () =>
      fetch(`${node.url}/business/customer/list`, { headers: { authorization: revoked } }).then((r) => r.status);
    assert.equal(await list(), 200);
    assert.equal(await list(), 200, 'kept by the authentication cache');
    await mteja(['keys', 'revoke', made.credential.clientid], env(directUrl));
    await until('the revocation is heard', async () => (await list()) === 401, 1000);
    assert.equal(await list(), 401);
  });

  it('replaces connections cut off silently, and hears credential changes on a new LISTEN connection', async () => {
    const made = await cli('business', 'create', '--name', 'Faults Cut', '--plan', 'enterprise', '--json');
    const cut: string = made.credential.clientsecret;
    const list = () =>
      fetch(`${node.url}/business/customer/list`, {
        headers: { authorization: cut },
        signal: AbortSignal.timeout(BUDGET_MS * 4),
      }).then((r) => r.status);
    assert.equal(await list(), 200);
    assert.equal(await list(), 200, 'kept by the authentication cache');
    proxy.blackHole();
    const cutAt = Date.now();
    // A pool connection that never answers again is closed once its query times out, and a new one is opened.
    await until('a request succeeds on new connections', async () => (await list()) === 200, 10_000);
    const servedMs = Date.now() - cutAt;
    // The LISTEN connection hears nothing, and cannot know it: its heartbeat finds out, and it listens anew.
    await until('a new LISTEN connection', listenerThroughProxy, 10_000);
    process.stderr.write(
      `# after a silent cut: served again in ${servedMs} ms, listening again in ${Date.now() - cutAt} ms\n`,
    );
    assert.equal(await list(), 200);
    await mteja(['keys', 'revoke', made.credential.clientid], env(directUrl));
    await until('the revocation is heard', async () => (await list()) === 401, 1000);
  });
});

describe('SQLite held by another connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mteja-faults-'));
  const databaseUrl = `sqlite:${join(dir, 'mteja.db')}`;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'fatal',
    MTEJA_DEMO: 'false',
    PORT: '0',
    REQUEST_TIMEOUT_MS: '20000',
    // The search indexer writes too, and would wait on the same lock.
    SEARCH_INDEX_MS: '0',
  };
  let node: Served | undefined;
  after(async () => {
    if (node) await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a write 503 when the lock outlasts the busy timeout, and 201 once it is free', async () => {
    const { stdout } = await mteja(['business', 'create', '--name', 'Busy', '--json'], env);
    const secret = JSON.parse(stdout).credential.clientsecret;
    node = await spawnServe(env);
    const create = (email: string) =>
      fetch(`${node!.url}/business/customer/create`, {
        method: 'POST',
        headers: { authorization: secret, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Busy', email, phone: '+254700000000', country: 'Kenya', currency: 'KES' }),
      });
    const holder = new BetterSqlite3(databaseUrl.slice('sqlite:'.length));
    holder.exec('begin immediate');
    try {
      const started = performance.now();
      const held = await create('held@example.com');
      process.stderr.write(
        `# a write held by another lock answered in ${Math.round(performance.now() - started)} ms\n`,
      );
      assert.equal(held.status, 503);
      assert.deepEqual(await held.json(), { success: false, error: 'Service unavailable' });
    } finally {
      holder.exec('rollback');
      holder.close();
    }
    const free = await create('free@example.com');
    assert.equal(free.status, 201, await free.text());
    assert.equal(node.child.exitCode, null);
  });
});
