// `node dist/bench/webhooks.js`: create throughput with no webhook endpoint against one endpoint subscribed to every
// event (a fast local receiver), and how fast the outbox drains. mteja runs as its own process on a fresh SQLite file, or
// with `--engine postgres` on a fresh schema of BENCH_DATABASE_URL.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { dropSchema } from '../src/db/postgres.js';
import { benchDatabaseUrl } from './database.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/mteja.js', import.meta.url));
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'sqlite' },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'mteja-bench-webhooks-'));
const env = {
  ...process.env,
  DATABASE_URL: benchDatabaseUrl(args.engine, dir),
  PORT: '0',
  LOG_LEVEL: 'silent',
  MTEJA_DEMO: 'false',
  WEBHOOK_ALLOW_PRIVATE: 'true',
};
const mteja = async (...argv: string[]) => (await run(process.execPath, [BIN, ...argv], { env })).stdout;

// The receiver is its own process, as a real one would be: in this one it would share a core with the load.
const RECEIVER = `
  let received = 0;
  const server = require('node:http').createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') received++;
      res.end(String(received));
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
const receiverProcess = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((resolve) =>
  receiverProcess.stdout!.once('data', (d) => resolve(String(d).trim())),
);
const hook = `http://127.0.0.1:${port}/hook`;
const receivedCount = async () => Number(await (await fetch(hook)).text());

const made = JSON.parse(await mteja('business', 'create', '--name', 'Bench', '--plan', 'enterprise', '--json'));
await mteja('business', 'update', made.business._id, '--limits', '1000000000/1000000000/100000000000');
const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise<string>((resolve) => {
  let out = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (match) resolve(match[1]);
  });
});

let sequence = 0;
const creates = (seconds: number) =>
  autocannon({
    url: base,
    duration: seconds,
    connections: Number(args.connections),
    headers: { authorization: made.credential.clientsecret, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (r) => ({
          ...r,
          path: '/business/customer/create',
          body: JSON.stringify({
            name: 'Bench Customer',
            email: `c${++sequence}@bench.example`,
            phone: '+254700000000',
            country: 'Kenya',
            currency: 'KES',
          }),
        }),
      },
    ],
  });

/** CPU seconds a process has used (user + system, all its threads), from /proc: what each phase cost whom. */
const cpuOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const cpu = () => ({ server: cpuOf(child.pid!), receiver: cpuOf(receiverProcess.pid!), at: Date.now() });
const perCreate = (from: ReturnType<typeof cpu>, to: ReturnType<typeof cpu>, made: number) =>
  `server ${Math.round(((to.server - from.server) / made) * 1e6)} µs, receiver ${Math.round(((to.receiver - from.receiver) / made) * 1e6)} µs; server ${((to.server - from.server) / ((to.at - from.at) / 1000)).toFixed(2)} cores`;

const seconds = Number(args.duration);
const rounds = Number(args.rounds);
// One endpoint, disabled for the phases without one. The phases alternate, round after round, so that a machine
// whose speed drifts (a shared host) moves both alike; each drop is of one round's adjacent pair, and the median is
// the figure.
const endpoint = JSON.parse(await mteja('webhooks', 'create', '--business', made.business._id, '--url', hook, '--json'))
  .endpoint._id;
await mteja('webhooks', 'disable', endpoint);
await creates(2); // warm-up
const results: { none: Result; one: Result; noneCpu: string; oneCpu: string; sent: number; drained: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const noneFrom = cpu();
  const none = await creates(seconds);
  const noneCpu = perCreate(noneFrom, cpu(), none.requests.total);
  await mteja('webhooks', 'enable', endpoint);
  const beforeWarm = await receivedCount();
  const warm = await creates(2);
  const before = await receivedCount();
  const start = Date.now();
  const oneFrom = cpu();
  const one = await creates(seconds);
  const sent = (await receivedCount()) - before;
  // Every delivery of the phase (and of its warm-up) is made before the CPU is read and the next phase begins.
  const expected = warm.requests.total + one.requests.total;
  while ((await receivedCount()) - beforeWarm < expected && Date.now() - start < 120_000)
    await new Promise((r) => setTimeout(r, 100));
  const drained = (Date.now() - start) / 1000;
  const oneCpu = perCreate(oneFrom, cpu(), one.requests.total);
  await mteja('webhooks', 'disable', endpoint);
  results.push({ none, one, noneCpu, oneCpu, sent, drained });
}

const drop = (r: (typeof results)[number]) => 1 - r.one.requests.average / r.none.requests.average;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const line = (name: string, r: Result) =>
  `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors + r.non2xx} |`;
const out = [
  `| create customer (${args.connections} connections, ${seconds} s) | req/s | p50 ms | p99 ms | errors |`,
  '|---|---|---|---|---|',
];
results.forEach((r, i) => {
  out.push(line(`round ${i + 1}: no endpoint`, r.none), line(`round ${i + 1}: one endpoint for every event`, r.one));
});
out.push('');
results.forEach((r, i) => {
  out.push(
    `round ${i + 1}: drop ${Math.round(drop(r) * 100)}%; deliveries during the load ${r.sent} of ${r.one.requests.total} events (${Math.round(r.sent / seconds)}/s), all delivered ${r.drained.toFixed(1)} s after the load began`,
    `  CPU per create, no endpoint: ${r.noneCpu}`,
    `  CPU per create and its delivery, one endpoint (load and drain): ${r.oneCpu}`,
  );
});
out.push('', `median drop over ${rounds} rounds: ${Math.round(median(results.map(drop)) * 100)}%`, '');
process.stdout.write(out.join('\n'));
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
await exited; // dropping the schema under a live server deadlocks with it
receiverProcess.kill('SIGTERM');
if (args.engine === 'postgres') await dropSchema(env.DATABASE_URL);
rmSync(dir, { recursive: true, force: true });
