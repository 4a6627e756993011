// `npm run bench`: the project's one way to measure speed. mteja runs as its own process on a fresh database,
// seeded at scale; load comes from this process (autocannon); a bare node:http server gives the ceiling.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon, { type Request, type Result } from 'autocannon';
import { dropSchema } from '../src/db/postgres.js';

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
    duration: { type: 'string', default: '10' },
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

/** Waits until the server answers a probe quickly: a slow scenario's queued requests must not spill into the next one. */
async function drained(base: string) {
  for (let i = 0; i < 600; i++) {
    const started = performance.now();
    await fetch(`${base}/healthz`).catch(() => undefined);
    if (performance.now() - started < 20) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mteja-bench-'));
  let databaseUrl: string;
  if (args.engine === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL;
    if (!base)
      throw new Error('--engine postgres needs BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
    const url = new URL(base);
    url.searchParams.set('schema', `mteja_bench_${randomBytes(4).toString('hex')}`);
    databaseUrl = url.toString();
  } else if (args.engine === 'sqlite') {
    databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
  } else throw new Error('--engine must be sqlite or postgres');

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
    log(`seeding ${scale} customers, leads and contacts…`);
    await mteja(
      'seed',
      '--business',
      big.business._id,
      '--customers',
      String(scale),
      '--leads',
      String(scale),
      '--contacts',
      String(scale),
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
    const startServer = async (extra: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [BIN, 'serve'], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk) => {
          out += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`mteja exited with ${code}`)));
      });
      return { child, url };
    };
    const { child: server, url: base } = await startServer();
    const { url: uncachedBase } = await startServer({ READ_CACHE_MB: '0' });
    const secret: string = big.credential.clientsecret;
    const headers = { authorization: secret, 'content-type': 'application/json' };
    const api = async (path: string) => (await (await fetch(`${base}${path}`, { headers })).json()) as any;

    // ---- what the scenarios ask for: real ids, a rare and a common search term
    const page = await api('/business/customer/list?limit=100&page=3');
    const ids: string[] = page.data.map((c: { _id: string }) => c._id);
    const detailsBody = JSON.stringify(await api(`/business/customer/details/${ids[0]}`));
    // Rare: one customer's phone number (random digits). Common: a frequent East African surname, ~5% of customers.
    const rare = encodeURIComponent(page.data[7].phone as string);
    const common = 'kamau';
    const rareTotal = (await api(`/business/customer/list?search=${rare}`)).pagination.total;
    const commonTotal = (await api(`/business/customer/list?search=${common}`)).pagination.total;
    log(`search terms: rare "${rare}" (${rareTotal} match), common "${common}" (${commonTotal} matches)`);

    // ---- the ceiling, in its own process, answering a body as large as a customer's details
    const ceilingProcess = spawn(process.execPath, [CEILING, detailsBody], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(ceilingProcess);
    const ceilingPort = await new Promise<number>((resolve) =>
      ceilingProcess.stdout!.once('data', (d) => resolve(Number(String(d).trim()))),
    );

    let n = 0;
    const uniqueEmail = () => `bench.${process.pid}.${++n}.${Date.now().toString(36)}@example.com`;
    const rotate = (paths: string[]) => {
      let i = 0;
      return [{ method: 'GET', setupRequest: (r: Request) => ({ ...r, path: paths[i++ % paths.length] }) }];
    };
    const reads: { name: string; url?: string; requests: Request[] }[] = [
      // The same requests as the details scenario (the ceiling answers any path), so the client does the same work per
      // request in both: at these rates autocannon's own cost per request shows in the figures.
      {
        name: 'ceiling (bare node:http, same body size)',
        url: `http://127.0.0.1:${ceilingPort}`,
        requests: rotate(ids.map((id) => `/business/customer/details/${id}`)),
      },
      { name: 'customer details by id', requests: rotate(ids.map((id) => `/business/customer/details/${id}`)) },
      { name: 'customer list page 1, with total', requests: rotate(['/business/customer/list?page=1&limit=10']) },
      { name: 'customer list page 500', requests: rotate(['/business/customer/list?page=500&limit=10']) },
      {
        name: 'lead list by status, with total',
        requests: rotate(
          ['new', 'contacted', 'qualified', 'lost'].map((s) => `/business/lead/list?status=${s}&page=1&limit=10`),
        ),
      },
    ];
    const searches: typeof reads = [
      { name: `search, rare term (${rareTotal} match)`, requests: rotate([`/business/customer/list?search=${rare}`]) },
      {
        name: `search, common term (${commonTotal} matches)`,
        requests: rotate([`/business/customer/list?search=${common}`]),
      },
    ];
    const writes: typeof reads = [
      {
        name: 'create customer',
        requests: [
          {
            method: 'POST',
            setupRequest: (r: Request) => ({
              ...r,
              path: '/business/customer/create',
              body: JSON.stringify({
                name: 'Bench Customer',
                email: uniqueEmail(),
                phone: '+254700000000',
                country: 'Kenya',
                currency: 'KES',
              }),
            }),
          },
        ],
      },
      {
        name: 'create lead',
        requests: [
          {
            method: 'POST',
            setupRequest: (r: Request) => ({
              ...r,
              path: '/business/lead/create',
              body: JSON.stringify({
                name: 'Bench Lead',
                email: uniqueEmail(),
                company: 'Bench Ltd',
                source: 'website',
              }),
            }),
          },
        ],
      },
    ];
    // Each read again against the server with the read cache off (READ_CACHE_MB=0): every answer read from the database.
    const uncached = (list: typeof reads) =>
      list.filter((s) => !s.url).map((s) => ({ ...s, name: `${s.name}, read cache off`, url: uncachedBase }));
    // --only keeps the ceiling (first): every ratio needs it.
    const scenarios = [...reads, ...writes, ...searches, ...uncached(reads.slice(1)), ...uncached(searches)].filter(
      (s, i) => i === 0 || !args.only || s.name.includes(args.only),
    );

    // ---- warm up, then measure each scenario for the same time
    for (const url of [base, uncachedBase]) {
      await autocannon({
        url,
        connections,
        duration: Math.min(3, duration),
        headers,
        requests: rotate(ids.map((id) => `/business/customer/details/${id}`)),
      });
    }
    log('warmed up');
    const rows: {
      scenario: string;
      rps: number;
      p50: number;
      p99: number;
      errors: number;
      ratio: number;
      total: number;
    }[] = [];
    let ceilingRps = 0;
    for (const scenario of scenarios) {
      log(`running: ${scenario.name}`);
      const result: Result = await autocannon({
        url: scenario.url ?? base,
        connections,
        duration,
        headers,
        requests: scenario.requests,
      });
      await drained(base);
      await drained(uncachedBase);
      const rps = result.requests.total / result.duration;
      if (!ceilingRps) ceilingRps = rps;
      rows.push({
        scenario: scenario.name,
        rps: Math.round(rps),
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        ratio: Math.round((rps / ceilingRps) * 1000) / 10,
        total: result.requests.total,
      });
    }
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);

    // ---- report
    const table = [
      `| scenario | req/s | p50 ms | p99 ms | errors | % of ceiling |`,
      `|---|---:|---:|---:|---:|---:|`,
      ...rows.map(
        (r) => `| ${r.scenario} | ${r.rps.toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.ratio}% |`,
      ),
    ].join('\n');
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    process.stdout.write(
      `\nmteja benchmark: ${args.engine}, ${scale.toLocaleString('en-US')} customers/leads/contacts, ${connections} connections, ${duration} s per scenario\n`,
    );
    process.stdout.write(
      `${machine}\n\n${table}\n\nserver peak RSS: ${peakRssMb} MB; seeding took ${seedSeconds.toFixed(1)} s\n`,
    );
    mkdirSync(args.out!, { recursive: true });
    const file = join(args.out!, `${new Date().toISOString().replace(/[:.]/g, '-')}-${args.engine}-${args.scale}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), engine: args.engine, scale, connections, duration, machine, peakRssMb, seedSeconds, search: { rare, rareTotal, common, commonTotal }, rows }, null, 2)}\n`,
    );
    process.stdout.write(`raw figures: ${file}\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (args.engine === 'postgres') await dropSchema(databaseUrl!).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
