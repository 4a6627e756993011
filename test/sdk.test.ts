// @mteja/client (sdk/) against the real server: CRUD, every page of a list, retries that never duplicate, its errors,
// webhook signatures against the standardwebhooks package, its types against the OpenAPI document, and its tarball.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { backoffMs, retryAfterMs } from '../sdk/src/http.js';
import { type Customer, type CustomerCreate, Mteja, MtejaError, WebhookVerificationError } from '../sdk/src/index.js';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { createBooking } from '../src/modules/booking/booking.store.js';
import { createBusiness } from '../src/modules/business/business.store.js';
import { createContract } from '../src/modules/contract/contract.store.js';
import { createLeads } from '../src/modules/lead/lead.store.js';
import { createQuote } from '../src/modules/quote/quote.store.js';
import { appointmentInput, bookingInput, contractInput, quoteInput, UNKNOWN_ID } from './helpers/fixtures.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The types are the server's schemas: a wrong field or value does not compile.
// @ts-expect-error `type` is individual or business
const _wrongType: CustomerCreate = { ...customerBody(), type: 'company' };
// @ts-expect-error `currency` is required
const _missing: CustomerCreate = { name: 'A', email: 'a@example.com', phone: '1', country: 'Kenya' };
const _email = (c: Customer): string => c.email;

/** What the proxy does to one request: answer 503 itself, or forward it and then drop or delay the answer. */
type Fault = '503' | 'reset' | 'slow';
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  status?: number;
  requestId?: string | null;
  replayed?: string | null;
}

/** A real HTTP proxy in front of the server, with faults queued per request; `strip` hides meta.nextcursor. */
async function startProxy(target: string) {
  const seen: Seen[] = [];
  const faults: Fault[] = [];
  const state = { strip: false };
  const proxy = createServer(async (req, res) => {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry: Seen = { method: req.method!, url: req.url!, headers: req.headers };
    seen.push(entry);
    const fault = faults.shift();
    if (fault === '503') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: false, error: 'Service unavailable' }));
      return;
    }
    const headers = { ...req.headers } as Record<string, string>;
    for (const name of ['host', 'connection', 'content-length', 'keep-alive']) delete headers[name];
    const answer = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    let text = await answer.text();
    Object.assign(entry, {
      status: answer.status,
      requestId: answer.headers.get('x-request-id'),
      replayed: answer.headers.get('idempotent-replayed'),
    });
    if (fault === 'reset') return req.socket.destroy(); // the server did the work; the client never hears of it
    if (fault === 'slow') await sleep(1_000);
    if (state.strip && answer.ok && req.url!.includes('/list')) {
      const body = JSON.parse(text);
      delete body.meta.nextcursor;
      delete body.pagination.nextcursor;
      text = JSON.stringify(body);
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))
        out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    faults,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}

/** The records of `resource` whose search fields contain `term`, read over raw HTTP (not through the client). */
async function count(server: TestServer, secret: string, resource: string, term: string) {
  const res = await server.request('GET', `/business/${resource}/list?search=${encodeURIComponent(term)}`, { secret });
  assert.equal(res.status, 200, res.text);
  return res.body.meta.total as number;
}

// The suites share nothing, and much of their time is waiting (429s, npm): they run side by side, their tests in order.
const ENGINES = engines();
const SEQUENTIAL = { concurrency: false };

describe('@mteja/client', { concurrency: true }, () => {
  for (const engine of ENGINES) {
    describe(`@mteja/client [${engine.name}]`, SEQUENTIAL, () => {
      let server: TestServer;
      let client: Mteja;
      before(async () => {
        server = await startServer(engine);
        client = new Mteja({ secret: server.secret, baseUrl: server.url });
      });
      after(() => server.close());

      it('creates, reads and updates customers, contacts and leads, and converts a lead', async () => {
        const input = customerBody({ city: 'Nairobi' });
        const customer = await client.customers.create(input);
        assert.match(customer._id, /^[0-9a-f]{24}$/);
        assert.equal(customer.email, input.email);
        assert.equal(customer.sourceorigin, 'api');
        assert.deepEqual(await client.customers.update(customer._id, { city: 'Mombasa' }), {
          _id: customer._id,
          modified: 1,
        });
        assert.deepEqual(await client.customers.update(customer._id, { city: 'Mombasa' }), {
          _id: customer._id,
          modified: 0,
        });
        assert.equal((await client.customers.details(customer._id)).city, 'Mombasa');

        const contact = await client.contacts.create({ name: 'Wanjiku Kamau', email: 'wanjiku@example.com' });
        assert.equal((await client.contacts.update(contact._id, { position: 'CFO' })).modified, 1);
        assert.equal((await client.contacts.details(contact._id)).position, 'CFO');

        const lead = await client.leads.create({ name: 'Otieno Ltd', email: 'otieno@example.com', company: 'Otieno' });
        assert.equal(lead.status, 'new');
        await client.leads.update(lead._id, { status: 'qualified' });
        const converted = await client.leads.convert(lead._id, {
          phone: '+254700000001',
          country: 'Kenya',
          currency: 'KES',
        });
        assert.equal(converted.email, 'otieno@example.com');
        const after = await client.leads.details(lead._id);
        assert.equal(after.status, 'converted');
        assert.equal(after.customerid, converted._id);
      });

      it('lists and reads quotes, contracts, appointment types and bookings', async () => {
        const own = await server.newBusiness('Read-only Business');
        const reader = new Mteja({ secret: own.secret, baseUrl: server.url });
        const quote = await createQuote(server.db, own.businessId, quoteInput(), 'dashboard');
        const contract = await createContract(server.db, own.businessId, contractInput(), 'dashboard');
        const appointment = await createAppointment(server.db, own.businessId, appointmentInput(), 'dashboard');
        const booking = await createBooking(server.db, own.businessId, bookingInput(), 'dashboard');
        for (const [resource, made] of [
          [reader.quotes, quote],
          [reader.contracts, contract],
          [reader.appointments, appointment],
          [reader.bookings, booking],
        ] as const) {
          const page = await resource.list().page();
          assert.deepEqual([page.total, page.data.map((r) => r._id)], [1, [made._id]]);
          assert.equal((await resource.details(made._id))._id, made._id);
        }
        assert.equal((await reader.quotes.details(quote._id)).total, quote.total);
      });

      describe('lists', () => {
        let proxy: Awaited<ReturnType<typeof startProxy>>;
        let reader: Mteja;
        const newLeads = new Set<string>();
        before(async () => {
          const own = await server.newBusiness('List Business');
          const status = (i: number) => (i % 3 === 0 ? 'contacted' : 'new');
          await createLeads(
            server.db,
            own.businessId,
            Array.from({ length: 23 }, (_, i) => ({ name: `Kamau ${i}`, status: status(i) })),
            'api',
          );
          proxy = await startProxy(server.url);
          reader = new Mteja({ secret: own.secret, baseUrl: proxy.url });
          for await (const lead of new Mteja({ secret: own.secret, baseUrl: server.url }).leads.list({ status: 'new' }))
            newLeads.add(lead._id);
          assert.equal(newLeads.size, 15);
        });
        after(() => proxy.close());

        it('gives one page with its total', async () => {
          const page = await reader.leads.list({ search: 'kamau 1', limit: 4 }).page();
          assert.deepEqual([page.total, page.page, page.limit, page.pages, page.data.length], [11, 1, 4, 3, 4]);
          assert.ok(page.data.every((lead) => lead.name.startsWith('Kamau 1')));
        });

        it('iterates every record once by page when the server gives no cursor (Cashfin)', async () => {
          proxy.state.strip = true;
          proxy.seen.length = 0;
          const ids: string[] = [];
          for await (const lead of reader.leads.list({ status: 'new', limit: 4 })) {
            assert.equal(lead.status, 'new');
            ids.push(lead._id);
          }
          proxy.state.strip = false;
          assert.deepEqual(new Set(ids), newLeads);
          assert.equal(ids.length, 15);
          assert.deepEqual(
            proxy.seen.map((s) => new URL(s.url, proxy.url).searchParams.get('page')),
            [null, '2', '3', '4'],
          );
        });

        it('iterates every record once by meta.nextcursor when the server gives one', async (t) => {
          const first = await reader.leads.list({ limit: 4 }).page();
          if (first.nextcursor === undefined) return t.skip('this server gives no meta.nextcursor yet');
          proxy.seen.length = 0;
          const ids: string[] = [];
          for await (const lead of reader.leads.list({ status: 'new', limit: 4 })) ids.push(lead._id);
          assert.deepEqual(new Set(ids), newLeads);
          assert.equal(ids.length, 15);
          const queries = proxy.seen.map((s) => new URL(s.url, proxy.url).searchParams);
          assert.equal(queries.length, 4);
          assert.ok(queries.slice(1).every((q) => q.get('cursor') && q.get('status') === 'new' && !q.has('page')));
        });
      });

      it('throws MtejaError with the status, message, field errors and request id', async () => {
        let requestId: string | null = null;
        const watched = new Mteja({
          secret: server.secret,
          baseUrl: server.url,
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            requestId = response.headers.get('x-request-id');
            return response;
          },
        });
        const invalid = await watched.customers.create({ ...customerBody(), email: 'not-an-email' }).catch((e) => e);
        assert.ok(invalid instanceof MtejaError);
        assert.deepEqual(
          [invalid.status, invalid.message, invalid.errors, invalid.requestId],
          [400, 'There are problems with your submission', { email: 'Email is not a valid email address' }, requestId],
        );
        assert.ok(requestId);

        const missing = await watched.customers.details(UNKNOWN_ID).catch((e) => e);
        assert.deepEqual([missing.status, missing.message, missing.errors], [404, 'Customer not found', undefined]);

        const body = customerBody();
        await watched.customers.create(body);
        const duplicate = await watched.customers.create(body).catch((e) => e);
        assert.deepEqual([duplicate.status, duplicate.message], [409, 'Customer with this email already exists']);

        const stranger = new Mteja({ secret: 'cs_unknownunknownunknownunknown', baseUrl: server.url });
        const unauthorized = await stranger.customers
          .list()
          .page()
          .catch((e) => e);
        assert.deepEqual([unauthorized.status, unauthorized.message], [401, 'Unauthorized access!']);
      });
    });
  }

  describe('@mteja/client retries', SEQUENTIAL, () => {
    let server: TestServer;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let secret: string;
    before(async () => {
      server = await startServer();
      proxy = await startProxy(server.url);
      secret = (await server.newBusiness('Retry Business')).secret;
    });
    after(async () => {
      await proxy.close();
      await server.close();
    });

    const posts = () => proxy.seen.filter((s) => s.method === 'POST');

    it('waits out 429s: 20 creates at once at 2 per second all succeed, once each', async () => {
      const own = await createBusiness(server.db, {
        name: 'Two per second',
        plan: 'enterprise',
        limits: '2/1000/100000',
      });
      let limited = 0;
      const slow = new Mteja({
        secret: own.clientsecret,
        baseUrl: server.url,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (response.status === 429) limited += 1;
          return response;
        },
      });
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) => slow.customers.create(customerBody({ name: `Batch ${i}` }))),
      );
      assert.equal(new Set(made.map((c) => c._id)).size, 20);
      assert.ok(limited >= 10, `the server turned requests away (${limited} 429s)`);
      assert.equal((await slow.customers.list({ search: 'batch' }).page()).total, 20, 'no create ran twice');
    });

    it('fails a call whose Retry-After would pass maxRateLimitWaitMs, with the 429', async () => {
      const own = await createBusiness(server.db, {
        name: 'One per second',
        plan: 'enterprise',
        limits: '1/1000/100000',
      });
      const impatient = new Mteja({ secret: own.clientsecret, baseUrl: server.url, maxRateLimitWaitMs: 0 });
      // Three at once: even across a second's turn, at most two get through.
      const answers = await Promise.allSettled([1, 2, 3].map(() => impatient.customers.list().page()));
      const refused = answers.find((a) => a.status === 'rejected');
      assert.ok(refused, 'a request past the limit is refused');
      const error = refused.reason as MtejaError;
      assert.deepEqual([error.status, error.message], [429, 'Rate limit exceeded. Please try again later.']);
      assert.ok(error.retryAfter! >= 1);
    });

    it('retries a 503 with the same Idempotency-Key', async () => {
      const client = new Mteja({ secret, baseUrl: proxy.url });
      proxy.seen.length = 0;
      proxy.faults.push('503');
      const made = await client.customers.create(customerBody({ name: 'Once Unavailable' }));
      const [first, second] = posts();
      assert.equal(posts().length, 2);
      assert.ok(first.headers['idempotency-key']);
      assert.equal(second.headers['idempotency-key'], first.headers['idempotency-key']);
      assert.deepEqual([second.status, second.replayed], [201, null]);
      assert.equal((await client.customers.details(made._id)).name, 'Once Unavailable');
    });

    it('retries a create whose answer was lost (connection reset, timeout): the server replays it, no duplicate', async () => {
      const client = new Mteja({ secret, baseUrl: proxy.url, timeoutMs: 500 });
      for (const fault of ['reset', 'slow'] as const) {
        proxy.seen.length = 0;
        proxy.faults.push(fault);
        const name = `Lost answer ${fault}`;
        const made = await client.customers.create(customerBody({ name }));
        // A retry may also find the first try still running (409, waited out) on a slow machine: then one more.
        const tries = posts();
        assert.ok(tries.length >= 2, fault);
        assert.ok(
          tries.every((t) => t.headers['idempotency-key'] === tries[0].headers['idempotency-key']),
          fault,
        );
        assert.deepEqual([tries[0].status, tries.at(-1)!.status, tries.at(-1)!.replayed], [201, 201, 'true'], fault);
        assert.equal(await count(server, secret, 'customer', name), 1, fault);
        assert.equal(made.name, name);
      }
    });

    it('reads Retry-After as seconds or an HTTP date, and backs off 0.5 s doubling to 5 s with jitter', () => {
      const now = Date.parse('2026-01-15T10:30:00.000Z');
      assert.equal(retryAfterMs('2', now), 2_000);
      assert.equal(retryAfterMs('Thu, 15 Jan 2026 10:30:03 GMT', now), 3_000);
      assert.equal(retryAfterMs('Thu, 15 Jan 2026 10:29:00 GMT', now), 0);
      assert.equal(retryAfterMs('soon', now), undefined);
      assert.equal(retryAfterMs(null, now), undefined);
      for (const [failures, low, high] of [
        [1, 500, 500],
        [2, 500, 1_000],
        [3, 1_000, 2_000],
        [9, 2_500, 5_000],
      ]) {
        const delays = Array.from({ length: 50 }, () => backoffMs(failures));
        assert.ok(
          delays.every((d) => d >= low && d <= high),
          `${failures}: ${Math.min(...delays)}..${Math.max(...delays)}`,
        );
      }
    });

    it('gives up after maxRetries with the last answer', async () => {
      const client = new Mteja({ secret, baseUrl: proxy.url, maxRetries: 2 });
      proxy.seen.length = 0;
      proxy.faults.push('503', '503', '503');
      const error = await client.customers
        .list()
        .page()
        .catch((e) => e);
      assert.ok(error instanceof MtejaError);
      assert.deepEqual([error.status, error.message, proxy.seen.length], [503, 'Service unavailable', 3]);

      const unreachable = new Mteja({ secret, baseUrl: 'http://127.0.0.1:9', maxRetries: 1 });
      const refused = await unreachable.customers
        .list()
        .page()
        .catch((e) => e);
      assert.deepEqual([refused instanceof MtejaError, refused.status], [true, 0]);
      assert.match(refused.message, /Could not reach http:\/\/127\.0\.0\.1:9/);
    });
  });

  describe('Mteja.verifyWebhook', SEQUENTIAL, () => {
    const secret = `whsec_${Buffer.from('a secret of thirty-two bytes!!!!').toString('base64')}`;
    const body = JSON.stringify({ id: 'e1', type: 'customer.created', data: { name: 'Amina' } });
    const signed = (at = new Date(), payload = body) => ({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', at, payload),
    });
    const rejects = (promise: Promise<unknown>, message: RegExp) =>
      assert.rejects(promise, (e: unknown) => e instanceof WebhookVerificationError && message.test(e.message));

    it("accepts what the standardwebhooks package signs, from a Headers or Node's header object", async () => {
      assert.equal((await Mteja.verifyWebhook(body, signed(), secret)).type, 'customer.created');
      assert.equal((await Mteja.verifyWebhook(Buffer.from(body), new Headers(signed()), secret)).id, 'e1');
      const rotated = { ...signed(), 'webhook-signature': `v1,c29tZXRoaW5nIGVsc2U= ${signed()['webhook-signature']}` };
      assert.equal((await Mteja.verifyWebhook(body, rotated, secret)).id, 'e1', 'any of several signatures');
    });

    it('refuses a changed body, another secret, a stale or future timestamp, and a missing header', async () => {
      await rejects(Mteja.verifyWebhook(`${body} `, signed(), secret), /matches/);
      const other = `whsec_${Buffer.from('another secret, also 32 bytes!!!').toString('base64')}`;
      await rejects(Mteja.verifyWebhook(body, signed(), other), /matches/);
      await rejects(Mteja.verifyWebhook(body, signed(new Date(Date.now() - 6 * 60_000)), secret), /too far/);
      await rejects(Mteja.verifyWebhook(body, signed(new Date(Date.now() + 6 * 60_000)), secret), /too far/);
      const { 'webhook-id': _, ...noId } = signed();
      await rejects(Mteja.verifyWebhook(body, noId, secret), /all needed/);
      await rejects(Mteja.verifyWebhook(body, {}, secret), /No signature header/);
    });

    it('checks x-cashfin-signature, the hex HMAC of the raw body keyed with the secret string', async () => {
      const hex = createHmac('sha256', secret).update(body).digest('hex');
      assert.equal((await Mteja.verifyWebhook(body, { 'X-Cashfin-Signature': hex }, secret)).id, 'e1');
      await rejects(Mteja.verifyWebhook(`${body} `, { 'x-cashfin-signature': hex }, secret), /does not match/);
    });
  });

  describe('the @mteja/client package', SEQUENTIAL, () => {
    it('has the types the OpenAPI document gives now (npm run sdk:types)', async () => {
      const { stdout } = await run(process.execPath, ['bin/mteja.js', 'openapi'], { maxBuffer: 64 * 1024 * 1024 });
      const check = spawnSync(process.execPath, ['sdk/scripts/generate-types.mjs', '--check', '-'], { input: stdout });
      assert.equal(check.status, 0, check.stderr.toString());
    });

    it('packs into a tarball that installs and imports', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mteja-sdk-'));
      try {
        const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: 'sdk' });
        const [pack] = JSON.parse(stdout.slice(stdout.indexOf('[')));
        const files = pack.files.map((f: { path: string }) => f.path);
        for (const file of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/schema.gen.d.ts'])
          assert.ok(files.includes(file), `${file} is in the tarball`);
        assert.ok(!files.some((f: string) => f.startsWith('src/')), 'no sources');
        const app = join(dir, 'app');
        mkdirSync(app);
        writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
        await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, pack.filename)], { cwd: app });
        const installed = JSON.parse(readFileSync(join(app, 'node_modules/@mteja/client/package.json'), 'utf8'));
        assert.equal(installed.name, '@mteja/client');
        const { stdout: kinds } = await run(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            "const m = await import('@mteja/client'); console.log(typeof m.Mteja, typeof m.MtejaError)",
          ],
          { cwd: app },
        );
        assert.equal(kinds.trim(), 'function function');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
