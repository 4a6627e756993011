// `npm run bench`: the project's one way to measure speed. mteja runs as its own process on a fresh database,
// seeded at scale; load comes from this process (autocannon); a bare node:http server gives the ceiling. Every request
// is drawn at random (bench/pools.ts), so a figure is what varied traffic costs, not one URL served again.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon, { type Request, type Result } from 'autocannon';
import { dropSchema } from '../src/db/postgres.js';
import { benchDatabaseUrl } from './database.js';
import { pick, samplePools, upTo } from './pools.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/mteja.js', import.meta.url));
const CEILING = fileURLToPath(new URL('./ceiling.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const UNLIMITED = '1000000000/1000000000/100000000000';

function parseScale(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`--scale: expected a count such as 100k or 1m, got ${text}`);
  return Math.round(Number(match[1]) * ({ k: 1e3, m: 1e6 }[match[2].toLowerCase()] ?? 1));
}

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '100k' },
    engine: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    out: { type: 'string', default: RESULTS },
    quiet: { type: 'boolean', default: false },
  },
});
const scale = parseScale(args.scale!);
const duration = Number(args.duration);
const connections = Number(args.connections);
const log = (line: string) => !args.quiet && process.stderr.write(`${line}\n`);

/**
 * Waits until the server answers quickly: a slow scenario's queued requests must not spill into the next one. The
 * probes are a list and a search (with `authorization`), which run on the read workers, not only on the event loop.
 */
async function drained(base: string, authorization: string) {
  for (let i = 0; i < 600; i++) {
    const started = performance.now();
    const probes = [
      '/healthz',
      `/business/customer/list?page=${upTo(1000)}&limit=1`,
      `/business/customer/list?search=zq${i}x`,
    ];
    await Promise.all(
      probes.map((path) => fetch(`${base}${path}`, { headers: { authorization } }).catch(() => undefined)),
    );
    if (performance.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mteja-bench-'));
  const databaseUrl = benchDatabaseUrl(args.engine, dir);

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    MTEJA_DEMO: 'false',
    PORT: '0',
    DATABASE_POOL_SIZE: '20',
  };
  delete (env as NodeJS.ProcessEnv).REDIS_URL;
  const mteja = async (...cli: string[]) =>
    (await run(process.execPath, [BIN, ...cli], { env, maxBuffer: 1 << 24 })).stdout;
  const children: ChildProcess[] = [];

  try {
    // ---- data: one large business, one small one
    const started = Date.now();
    const big = JSON.parse(
      await mteja('business', 'create', '--name', 'Bench Large', '--plan', 'enterprise', '--json'),
    );
    const small = JSON.parse(
      await mteja('business', 'create', '--name', 'Bench Small', '--plan', 'enterprise', '--json'),
    );
    for (const b of [big, small]) await mteja('business', 'update', b.business._id, '--limits', UNLIMITED);
    log(`seeding ${scale} customers and leads…`);
    await mteja(
      'seed',
      '--business',
      big.business._id,
      '--customers',
      String(scale),
      '--leads',
      String(scale),
      '--contacts',
      '1000',
    );
    await mteja(
      'seed',
      '--business',
      small.business._id,
      '--customers',
      '1000',
      '--leads',
      '1000',
      '--contacts',
      '1000',
    );
    const seedSeconds = (Date.now() - started) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);

    // ---- the server, in its own process; a second one with the read cache off shows what a read costs uncached
    interface Server {
      child: ChildProcess;
      url: string;
      out: () => string;
    }
    const startServer = async (extra: Record<string, string> = {}): Promise<Server> => {
      const child = spawn(process.execPath, [BIN, 'serve'], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (chunk) => {
          out += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`mteja exited with ${code}`)));
      });
      return { child, url, out: () => out };
    };
    const cached = await startServer();
    // Only the first server indexes searches and sends webhooks: on SQLite each of the second's commits is another
    // connection's, after which the first can trust none of its kept answers. One node per SQLite file is how mteja
    // runs; the second server is only there to measure reads without the cache.
    const uncached = await startServer({ READ_CACHE_MB: '0', SEARCH_INDEX_MS: '0', WEBHOOK_SENDER: 'off' });
    const secret: string = big.credential.clientsecret;
    const smallSecret: string = small.credential.clientsecret;
    const headers = { authorization: secret, 'content-type': 'application/json' };

    // ---- a dashboard user of the large business, signed in through the dashboard's API as its staff would be
    const staff = JSON.parse(
      await mteja('users', 'create', '--business', big.business._id, '--email', 'bench@example.com', '--json'),
    );
    const signedIn = async (base: string) => {
      const res = await fetch(`${base}/dashboard/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench@example.com', password: staff.password }),
      });
      if (res.status !== 200) throw new Error(`dashboard sign-in: ${res.status} ${await res.text()}`);
      return { cookie: /mteja_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0] };
    };
    const cookies = { [cached.url]: await signedIn(cached.url), [uncached.url]: await signedIn(uncached.url) };
    const timed = async (url: string, init: RequestInit = {}) => {
      const started = performance.now();
      const res = await fetch(url, init);
      const body = (await res.json()) as any;
      return { ms: Math.round(performance.now() - started), status: res.status, body };
    };
    // Right after a start, before anything warmed the server up: what staff opening the dashboard first wait for.
    const overviewUrl = (base: string) => `${base}/dashboard/api/overview?timezone=UTC`;
    const overviewFirst = await timed(overviewUrl(uncached.url), { headers: cookies[uncached.url] });
    const overviewAgain = await timed(overviewUrl(uncached.url), { headers: cookies[uncached.url] });

    // ---- what the scenarios ask for, from pools no run exhausts
    const pools = await samplePools(databaseUrl, big.business._id, small.business._id);
    log(
      `pools: ${pools.ids.length} ids, ${pools.terms.length} terms of 3+ characters, ${pools.shortTerms.length} of 1–2`,
    );
    const detailsBody = JSON.stringify(
      (await timed(`${cached.url}/business/customer/details/${pools.ids[0]}`, { headers })).body,
    );

    // Single requests on the server with the read cache off, each term in both businesses.
    const singles: { term: string; business: string; total: number; ms: number }[] = [];
    for (const term of ['a', '254', 'gmail', 'kamau', 'wanjiku']) {
      for (const [business, key] of [
        ['large', secret],
        ['1,000-customer', smallSecret],
      ] as const) {
        const r = await timed(`${uncached.url}/business/customer/list?search=${term}&limit=10`, {
          headers: { authorization: key },
        });
        singles.push({ term, business, total: r.body.pagination?.total ?? -1, ms: r.ms });
      }
    }

    // ---- the ceiling, in its own process, answering a body as large as a customer's details
    const ceilingProcess = spawn(process.execPath, [CEILING, detailsBody], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(ceilingProcess);
    const ceilingPort = await new Promise<number>((resolve) =>
      ceilingProcess.stdout!.once('data', (d) => resolve(Number(String(d).trim()))),
    );

    let n = 0;
    const uniqueEmail = () => `bench.${process.pid}.${++n}.${Date.now().toString(36)}@example.com`;
    /** Requests whose path `next()` draws afresh for every request. */
    const drawn = (next: () => string, extra: Partial<Request> = {}): Request[] => [
      { method: 'GET', ...extra, setupRequest: (r: Request) => ({ ...r, path: next() }) },
    ];
    const details = () => `/business/customer/details/${pick(pools.ids)}`;
    const listPage = () => `/business/customer/list?page=${upTo(1000)}&limit=20`;
    const STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'];
    const leadPage = () => `/business/lead/list?status=${pick(STATUSES)}&page=${upTo(1000)}&limit=20`;
    const search = (terms: string[]) => () =>
      `/business/customer/list?search=${encodeURIComponent(pick(terms))}&limit=20`;
    const createCustomer = () => ({
      method: 'POST',
      path: '/business/customer/create',
      headers: { ...headers },
      body: JSON.stringify({
        name: 'Bench Customer',
        email: uniqueEmail(),
        phone: '+254700000000',
        country: 'Kenya',
        currency: 'KES',
      }),
    });
    // The dashboard as staff use it: the overview, the leads board (a column per status), customers search.
    const dashboardCall = () => {
      const roll = Math.random();
      if (roll < 1 / 3) return '/dashboard/api/overview?timezone=UTC';
      if (roll < 2 / 3) return `/dashboard/api/lead/list?status=${pick(STATUSES)}&limit=25`;
      return `/dashboard/api/customer/list?search=${encodeURIComponent(pick(pools.terms))}&limit=25`;
    };

    /**
     * The latencies of a load's requests by kind (the reads, the creates), each timed from its setup to its answer:
     * autocannon sends one request at a time per connection, and reports only the load's latencies as a whole.
     */
    class ByKind {
      readonly times = new Map<string, number[]>();
      sent(context: Record<string, unknown>, kind: string) {
        context.kind = kind;
        context.sentAt = performance.now();
      }
      answered(context: Record<string, unknown>) {
        const kind = context.kind as string;
        const times = this.times.get(kind) ?? [];
        times.push(performance.now() - (context.sentAt as number));
        this.times.set(kind, times);
      }
    }
    interface Load {
      /** Appended to the scenario's name for this load's row. */
      label?: string;
      /** Also a row per kind of request, from these latencies. */
      byKind?: ByKind;
      connections: number;
      requests: Request[];
      headers?: Record<string, string>;
      /** Signed in to the dashboard (its session cookie) instead of the client secret. */
      staff?: boolean;
    }
    interface Scenario {
      name: string;
      /** Run against the server with the read cache off too. */
      read: boolean;
      /** The ceiling's own URL, for the ceiling only. */
      url?: string;
      /** Loads run at the same time; each gets its own row. */
      loads: Load[];
    }
    const one = (requests: Request[], extra: Partial<Load> = {}): Load[] => [{ connections, requests, ...extra }];
    const mixed = new ByKind();
    const smallHeaders = { authorization: smallSecret, 'content-type': 'application/json' };
    const scenarios: Scenario[] = [
      // The same requests as the details scenario (the ceiling answers any path), so the client does the same work.
      {
        name: 'ceiling (bare node:http, same body size)',
        read: false,
        url: `http://127.0.0.1:${ceilingPort}`,
        loads: one(drawn(details)),
      },
      { name: 'details, random record', read: true, loads: one(drawn(details)) },
      { name: 'list, random page 1..1,000 with total', read: true, loads: one(drawn(listPage)) },
      { name: 'lead list by status, random page 1..1,000', read: true, loads: one(drawn(leadPage)) },
      { name: 'search, varied terms of 3+ characters', read: true, loads: one(drawn(search(pools.terms))) },
      {
        name: 'search in the 1,000-customer business, varied terms',
        read: true,
        loads: one(drawn(search(pools.terms)), { headers: smallHeaders }),
      },
      { name: 'search, 1–2 characters', read: true, loads: one(drawn(search(pools.shortTerms))) },
      {
        name: 'reads while 1 in 10 requests creates',
        read: true,
        loads: one(
          [
            {
              setupRequest: (r: Request, context: Record<string, unknown>) => {
                const roll = Math.random();
                const kind = roll < 0.1 ? 'creates' : roll < 0.55 ? 'details' : 'list pages';
                mixed.sent(context, kind);
                if (kind === 'creates') return { ...r, ...createCustomer() };
                // Fresh headers: autocannon adds a POST's content-length to the headers object it was given.
                const path = kind === 'details' ? details() : listPage();
                return { ...r, method: 'GET', body: undefined, headers: { authorization: secret }, path };
              },
              onResponse: (_status: number, _body: string, context: Record<string, unknown>) => mixed.answered(context),
            },
          ],
          { byKind: mixed },
        ),
      },
      {
        name: 'details while 10 connections search 1–2 characters',
        read: true,
        loads: [
          { connections: Math.max(1, connections - 10), requests: drawn(details) },
          { label: ': the 1–2 character searches', connections: 10, requests: drawn(search(pools.shortTerms)) },
        ],
      },
      {
        name: 'API details while 5 staff use the dashboard',
        read: true,
        loads: [
          { connections: Math.max(1, connections - 5), requests: drawn(details) },
          { label: ': the dashboard calls', connections: 5, requests: drawn(dashboardCall), staff: true },
        ],
      },
      {
        name: 'create customer',
        read: false,
        loads: one([{ setupRequest: (r: Request) => ({ ...r, ...createCustomer() }) }]),
      },
    ];
    const runs = [
      ...scenarios.map((s) => ({ ...s, server: s.url ? undefined : cached, cache: 'on' })),
      ...scenarios.filter((s) => s.read).map((s) => ({ ...s, server: uncached, cache: 'off' })),
    ].filter((s, i) => i === 0 || !args.only || s.name.includes(args.only));

    // ---- warm up, then measure each scenario for the same time
    for (const server of [cached, uncached]) {
      await autocannon({
        url: server.url,
        connections,
        duration: Math.min(3, duration),
        headers,
        requests: drawn(details),
      });
    }
    log('warmed up');

    /** The read cache's counts, as the server logs them on SIGUSR2. */
    const cacheCounts = async (server: Server) => {
      const before = server.out().length;
      server.child.kill('SIGUSR2');
      for (let i = 0; i < 50 && !server.out().slice(before).includes('read cache counts'); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const line = server
        .out()
        .slice(before)
        .split('\n')
        .find((l) => l.includes('read cache counts'));
      return (line ? JSON.parse(line).readCache : { hits: 0, joined: 0, misses: 0 }) as {
        hits: number;
        joined: number;
        misses: number;
      };
    };

    const rows: {
      scenario: string;
      cache: string;
      rps: number;
      p50: number;
      p99: number;
      errors: number;
      ratio: number;
      total: number;
      hitRatio?: number;
      /** Answers per HTTP status. */
      codes: Record<string, number>;
    }[] = [];
    let ceilingRps = 0;
    const peakRss = (server: Server) =>
      Math.round(
        Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
      );
    /** The server's peak RSS so far, after each scenario: which one raised it. */
    const peaks: { scenario: string; cache: string; peakRssMb: number }[] = [];
    for (const scenario of runs) {
      log(`running: ${scenario.name}, read cache ${scenario.cache}`);
      const base = scenario.url ?? scenario.server!.url;
      const counted = scenario.server ? await cacheCounts(scenario.server) : undefined;
      for (const load of scenario.loads) load.byKind?.times.clear();
      const peakBefore = scenario.server ? peakRss(scenario.server) : 0;
      const results: Result[] = await Promise.all(
        scenario.loads.map((load) =>
          autocannon({
            url: base,
            connections: load.connections,
            duration,
            headers: load.staff ? cookies[base] : (load.headers ?? headers),
            requests: load.requests,
          }),
        ),
      );
      let hitRatio: number | undefined;
      if (scenario.server && counted && scenario.cache === 'on') {
        const now = await cacheCounts(scenario.server);
        const saved = now.hits - counted.hits + (now.joined - counted.joined);
        const read = now.misses - counted.misses;
        hitRatio = saved + read > 0 ? Math.round((saved / (saved + read)) * 1000) / 10 : undefined;
      }
      const peakAfter = scenario.server ? peakRss(scenario.server) : 0;
      if (peakAfter > peakBefore) peaks.push({ scenario: scenario.name, cache: scenario.cache, peakRssMb: peakAfter });
      await drained(cached.url, smallSecret);
      await drained(uncached.url, smallSecret);
      results.forEach((result, i) => {
        const rps = result.requests.total / result.duration;
        if (!ceilingRps) ceilingRps = rps;
        rows.push({
          scenario: `${scenario.name}${scenario.loads[i]!.label ?? ''}`,
          cache: scenario.url ? '' : scenario.cache,
          rps: Math.round(rps),
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts + result.non2xx,
          ratio: Math.round((rps / ceilingRps) * 1000) / 10,
          total: result.requests.total,
          hitRatio: i === 0 ? hitRatio : undefined,
          codes: Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
          ),
        });
        for (const [kind, times] of scenario.loads[i]!.byKind?.times ?? []) {
          const sorted = [...times].sort((a, b) => a - b);
          const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
          const kindRps = times.length / result.duration;
          rows.push({
            scenario: `${scenario.name}${scenario.loads[i]!.label ?? ''}: the ${kind}`,
            cache: scenario.url ? '' : scenario.cache,
            rps: Math.round(kindRps),
            p50: at(0.5),
            p99: at(0.99),
            errors: 0,
            ratio: Math.round((kindRps / ceilingRps) * 1000) / 10,
            total: times.length,
            codes: {},
          });
        }
      });
    }
    const peakRssMb = peakRss(cached);
    const peakRssUncachedMb = peakRss(uncached);

    // ---- report
    const table = [
      `| scenario | read cache | req/s | p50 ms | p99 ms | errors | % of ceiling | cache hits |`,
      `|---|---|---:|---:|---:|---:|---:|---:|`,
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${r.cache} | ${r.rps.toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.ratio}% | ${r.hitRatio === undefined ? '' : `${r.hitRatio}%`} |`,
      ),
    ].join('\n');
    const singleTable = [
      '| search (single request, read cache off) | business | matches | ms |',
      '|---|---|---:|---:|',
      ...singles.map((s) => `| \`${s.term}\` | ${s.business} | ${s.total.toLocaleString('en-US')} | ${s.ms} |`),
    ].join('\n');
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    process.stdout.write(
      `\nmteja benchmark: ${args.engine}, ${scale.toLocaleString('en-US')} customers and leads + a 1,000-customer business, ${connections} connections, ${duration} s per scenario\n`,
    );
    process.stdout.write(
      `${machine}\npools: ${pools.ids.length.toLocaleString('en-US')} ids, ${pools.terms.length.toLocaleString('en-US')} terms of 3+ characters, ${pools.shortTerms.length} of 1–2; pages 1..1,000\n\n${table}\n\n${singleTable}\n\n`,
    );
    process.stdout.write(
      `dashboard overview (read cache off): first after start ${overviewFirst.ms} ms (${overviewFirst.status}), again ${overviewAgain.ms} ms\n`,
    );
    process.stdout.write(
      `server peak RSS: ${peakRssMb} MB (read cache off: ${peakRssUncachedMb} MB); seeding took ${seedSeconds.toFixed(1)} s\n`,
    );
    process.stdout.write(
      `the scenarios that raised it: ${peaks.map((p) => `${p.scenario} (cache ${p.cache}) ${p.peakRssMb} MB`).join('; ')}\n`,
    );
    mkdirSync(args.out!, { recursive: true });
    const file = join(args.out!, `${new Date().toISOString().replace(/[:.]/g, '-')}-${args.engine}-${args.scale}.json`);
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          engine: args.engine,
          scale,
          connections,
          duration,
          machine,
          peakRssMb,
          peakRssUncachedMb,
          peaks,
          seedSeconds,
          pools: { ids: pools.ids.length, terms: pools.terms.length, shortTerms: pools.shortTerms.length },
          overview: { firstMs: overviewFirst.ms, againMs: overviewAgain.ms },
          singles,
          rows,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`raw figures: ${file}\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (args.engine === 'postgres') await dropSchema(databaseUrl).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
