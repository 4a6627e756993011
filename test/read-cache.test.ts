// Kept list answers and cached callers are exact: every write that changes what a list shows, or who a secret
// belongs to, shows on the very next request, whichever connection made it; one business never gets another's answer.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { connect, type Db } from '../src/db/connect.js';
import { acceptsGzip, ReadCache } from '../src/http/read-cache.js';
import { createAppointment, updateAppointment } from '../src/modules/appointment/appointment.store.js';
import { createBooking } from '../src/modules/booking/booking.store.js';
import { updateBusiness } from '../src/modules/business/business.store.js';
import { createCustomer, createCustomers } from '../src/modules/customer/customer.store.js';
import { createQuote } from '../src/modules/quote/quote.store.js';
import { appointmentInput, bookingInput, getList, makeCustomer, quoteInput } from './helpers/fixtures.js';
import { customerBody, engines, sqlite, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`kept answers and callers (${engine.name})`, () => {
    let server: TestServer;
    /** A second connection to the same database: another process or node, as far as the server can tell. */
    let other: Db;
    before(async () => {
      // No background search indexing: `other` lives in this process, and on SQLite its writes wait synchronously for
      // the write lock. Were the indexer's group open when `other` writes, the event loop could not commit it, and
      // both would wait out the busy timeout. Search still finds records the indexer has not reached.
      server = await startServer(engine, { SEARCH_INDEX_MS: '0' });
      other = await connect(server.databaseUrl, 2);
    });
    after(async () => {
      await other.close();
      await server.close();
    });

    it('serves a repeated list answer unchanged, then follows creates and updates made through the API', async () => {
      const path = '/business/customer/list?limit=5';
      const first = await getList(server, path);
      assert.deepEqual(await getList(server, path), first);

      const made = await makeCustomer(server, server.secret, { name: 'Wanjiru Kamau' });
      const afterCreate = await getList(server, path);
      assert.equal(afterCreate.pagination.total, first.pagination.total + 1);
      assert.equal(afterCreate.data[0]._id, made._id);

      const renamed = await server.request('PATCH', `/business/customer/update/${made._id}`, {
        body: { name: 'Wanjiru Otieno' },
      });
      assert.equal(renamed.status, 200, renamed.text);
      const afterUpdate = await getList(server, path);
      assert.equal(afterUpdate.data[0].name, 'Wanjiru Otieno');
      assert.equal((await getList(server, '/business/customer/list?search=otieno')).pagination.total, 1);
      assert.equal((await getList(server, '/business/customer/list?search=kamau')).pagination.total, 0);
    });

    it('shows an acknowledged write to the next list, however many of the same list are under way', async () => {
      // Versions asked for in one turn share a query on PostgreSQL (db/same-turn.ts); a list asked for after a write
      // must never join one that began before the write committed.
      const path = '/business/customer/list?limit=1';
      const busy = { on: true };
      const background = Array.from({ length: 8 }, async () => {
        while (busy.on) await server.request('GET', path);
      });
      try {
        for (let i = 0; i < 15; i++) {
          const made = await makeCustomer(server, server.secret, { name: `Under Way ${i}` });
          const seen = await getList(server, path);
          assert.equal(seen.data[0]._id, made._id, `write ${i}`);
        }
      } finally {
        busy.on = false;
        await Promise.all(background);
      }
    });

    it("serves a record's kept details until it changes, and never keeps a 404", async () => {
      const made = await makeCustomer(server, server.secret, { name: 'Details Before' });
      const path = `/business/customer/details/${made._id}`;
      for (let i = 0; i < 2; i++) assert.equal((await server.request('GET', path)).body.data.name, 'Details Before');
      const renamed = await server.request('PATCH', `/business/customer/update/${made._id}`, {
        body: { name: 'Details After' },
      });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal((await server.request('GET', path)).body.data.name, 'Details After');
      const elsewhere = await createCustomer(
        other.db,
        server.businessId,
        customerBody({ name: 'Other Connection' }),
        'api',
      );
      await other.durable();
      assert.equal((await server.request('GET', `/business/customer/details/${elsewhere._id}`)).status, 200);
      const them = await server.newBusiness('Details Neighbour');
      for (let i = 0; i < 2; i++)
        assert.equal(
          (await server.request('GET', path, { secret: them.secret })).status,
          404,
          "another business's record",
        );
    });

    it("keeps a record's details while other records are created, and follows its update and delete", async () => {
      const made = await makeCustomer(server, server.secret, { name: 'Kept Through Creates' });
      const path = `/business/customer/details/${made._id}`;
      assert.equal((await server.request('GET', path)).status, 200);
      for (let i = 0; i < 3; i++) await makeCustomer(server, server.secret, { name: `Newer ${i}` });
      const { hits } = server.app.readCache.counts;
      assert.equal((await server.request('GET', path)).body.data.name, 'Kept Through Creates');
      // SQLite keeps it through creates of other customers; PostgreSQL keeps no details (there the version is a
      // round trip, as reading the record is).
      const kept = engine.name === 'sqlite' ? 1 : 0;
      assert.equal(server.app.readCache.counts.hits, hits + kept, 'creates of other customers leave the kept answer');
      // Changed by another connection (another node), then deleted on the server's own: the next request shows each.
      await other.db.updateTable('customers').set({ name: 'Renamed Elsewhere' }).where('id', '=', made._id).execute();
      await other.durable();
      assert.equal((await server.request('GET', path)).body.data.name, 'Renamed Elsewhere');
      assert.equal((await server.request('GET', path)).body.data.name, 'Renamed Elsewhere');
      await server.db.deleteFrom('customers').where('id', '=', made._id).execute();
      assert.equal((await server.request('GET', path)).status, 404);
    });

    it('follows a filtered list when a record moves between filter values', async () => {
      const lead = await server.request('POST', '/business/lead/create', {
        body: { name: 'Status Mover', email: 'mover@example.com', source: 'website' },
      });
      assert.equal(lead.status, 201, lead.text);
      const before = (await getList(server, '/business/lead/list?status=qualified')).pagination.total;
      assert.equal((await getList(server, '/business/lead/list?status=qualified')).pagination.total, before);
      const moved = await server.request('PATCH', `/business/lead/update/${lead.body.data._id}`, {
        body: { status: 'contacted' },
      });
      assert.equal(moved.status, 200, moved.text);
      await server.request('PATCH', `/business/lead/update/${lead.body.data._id}`, { body: { status: 'qualified' } });
      const after = await getList(server, '/business/lead/list?status=qualified');
      assert.equal(after.pagination.total, before + 1);
      assert.equal(after.data[0]._id, lead.body.data._id);
    });

    it('follows writes made by another connection', async () => {
      const path = '/business/customer/list?limit=3';
      const before = await getList(server, path);
      const outside = await createCustomer(
        other.db,
        server.businessId,
        customerBody({ name: 'Made Elsewhere' }),
        'api',
      );
      await other.durable();
      const after = await getList(server, path);
      assert.equal(after.pagination.total, before.pagination.total + 1);
      assert.equal(after.data[0]._id, outside._id);
    });

    it('follows the nested records a list shows: a quote list after its customer is renamed', async () => {
      const customer = await makeCustomer(server, server.secret, { name: 'Nested Before' });
      await createQuote(other.db, server.businessId, quoteInput({ customerid: customer._id }), 'api');
      await other.durable();
      const path = `/business/quote/list?customerid=${customer._id}`;
      assert.equal((await getList(server, path)).data[0].customer.name, 'Nested Before');
      const renamed = await server.request('PATCH', `/business/customer/update/${customer._id}`, {
        body: { name: 'Nested After' },
      });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal((await getList(server, path)).data[0].customer.name, 'Nested After');
    });

    it('follows a booking list when its appointment type is renamed', async () => {
      const type = await createAppointment(
        other.db,
        server.businessId,
        appointmentInput({ title: 'Site survey' }),
        'dashboard',
      );
      await createBooking(other.db, server.businessId, bookingInput({ appointmentid: type._id }), 'dashboard');
      await other.durable();
      const path = `/business/booking/list?appointmentid=${type._id}`;
      assert.equal((await getList(server, path)).data[0].appointment.title, 'Site survey');
      await updateAppointment(other.db, server.businessId, type._id, { title: 'Site visit' });
      await other.durable();
      assert.equal((await getList(server, path)).data[0].appointment.title, 'Site visit');
    });

    it("never answers one business with another's kept answer, and one business's writes leave another's alone", async () => {
      const path = '/business/customer/list?limit=2';
      const mine = await getList(server, path);
      const them = await server.newBusiness('Other Business');
      const theirs = await getList(server, path, them.secret);
      assert.equal(theirs.pagination.total, 0);
      await makeCustomer(server, them.secret);
      assert.equal((await getList(server, path, them.secret)).pagination.total, 1);
      assert.deepEqual(await getList(server, path), mine);
    });

    // SQLite sees another connection's commit in data_version on the next request. PostgreSQL hears it through
    // LISTEN/NOTIFY, which arrives moments after the commit: under load, after the next request may have started.
    it('applies a plan change made by another connection at once (SQLite: on the next request)', async () => {
      const them = await server.newBusiness('Plan Changer');
      const limit = async () =>
        (await server.request('GET', '/business/customer/list', { secret: them.secret })).headers.get(
          'x-ratelimit-limit',
        );
      assert.equal(await limit(), '1000000');
      await updateBusiness(other.db, them.businessId, { plan: 'starter' });
      await other.durable();
      let seen = await limit();
      const until = Date.now() + (engine.name === 'sqlite' ? 0 : 2000);
      while (seen !== '10' && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = await limit();
      }
      assert.equal(seen, '10', 'the per-second window of the starter plan');
    });
  });
}

const V1 = { scope: 'business\ncustomers\npage', version: 'v1' };

describe('the read cache’s budget', () => {
  it('gzips pages rather than dropping them: 40 pages of ~6 KB in a 160 KB budget all answer again', async () => {
    const cache = new ReadCache(160 * 1024);
    const names = ['Wanjiru Kamau', 'Otieno Achieng', 'Mary Njoroge', 'Peter Mwangi', 'Faith Chebet'];
    const page = (n: number) =>
      JSON.stringify({
        success: true,
        data: Array.from({ length: 20 }, (_, i) => ({
          _id: randomBytes(12).toString('hex'),
          name: `${names[(n + i) % names.length]} ${n * 20 + i}`,
          email: `person.${n * 20 + i}@example.com`,
          phone: `+2547${String(n * 7919 + i * 104729).padStart(8, '0')}`,
          company: i % 3 ? 'Acme Holdings Ltd' : null,
          status: ['new', 'contacted', 'qualified'][i % 3],
          createdat: new Date(1.7e12 + n * 1e7 + i * 1e4).toISOString(),
          updatedat: new Date(1.7e12 + n * 1e7 + i * 1e4).toISOString(),
          notes: `Met at the ${i % 2 ? 'Nairobi' : 'Mombasa'} fair; wants a quote for ${n + i} units.`,
        })),
        pagination: { page: n, limit: 20, total: 800, pages: 40 },
      });
    const pages = Array.from({ length: 40 }, (_, n) => page(n));
    const plainBytes = pages.reduce((sum, p) => sum + Buffer.byteLength(p), 0);
    assert.ok(plainBytes > 200 * 1024, `${plainBytes} bytes of pages: more than the budget`);
    for (const [n, text] of pages.entries()) await cache.answer(`page ${n}`, V1, async () => text);
    for (const [n, text] of pages.entries()) {
      const answer = await cache.answer(`page ${n}`, V1, async () => assert.fail(`page ${n} was read again`));
      assert.equal(answer.body.toString(), text);
    }
    assert.deepEqual(cache.counts, { hits: 40, joined: 0, misses: 40 });
    // The least recently used were gzipped to make room, the most recent stay plain.
    const reread = async () => assert.fail('read again');
    assert.equal((await cache.answer('page 0', V1, reread, true)).gzipped, true);
    assert.equal((await cache.answer('page 39', V1, reread, true)).gzipped, false);
  });
});

describe('answers under a superseded version', () => {
  const hex = (text: string) => createHash('sha256').update(text).digest('hex');
  const page = (n: number) =>
    JSON.stringify({ success: true, data: Array.from({ length: 90 }, (_, i) => ({ n, text: hex(`${n}.${i}`) })) });

  it('all go as soon as a request sees its scope move, none gzipped to make room; other scopes stay', async () => {
    const cache = new ReadCache(160 * 1024);
    const other = { scope: 'business\nleads\npage', version: 'v1' };
    for (let n = 0; n < 30; n++) await cache.answer(`page ${n}`, V1, async () => page(n));
    await cache.answer('lead page', other, async () => page(99));
    const before = cache.held;
    assert.ok(before.gzipped > 0, `${JSON.stringify(before)}: past half the budget, older pages were gzipped`);
    assert.equal(before.plain + before.gzipped, 31);

    await cache.answer('page 0', { ...V1, version: 'v2' }, async () => page(0));
    assert.deepEqual(cache.held, { plain: 2, gzipped: 0, bytes: cache.held.bytes });
    const reread = async () => assert.fail('the other scope’s answer was dropped');
    assert.equal((await cache.answer('lead page', other, reread)).body.toString(), page(99));
  });

  it('a read that a later request overtook with a new version is not kept', async () => {
    const cache = new ReadCache(160 * 1024);
    let finish: (text: string) => void = () => {};
    const slow = cache.answer('page 1', V1, () => new Promise<string>((resolve) => (finish = resolve)));
    await cache.answer('page 2', { ...V1, version: 'v2' }, async () => page(2));
    finish(page(1));
    assert.equal((await slow).body.toString(), page(1), 'its own request still gets it');
    assert.equal(cache.held.plain, 1, 'only the answer read at v2 is kept');
    let read = 0;
    await cache.answer('page 1', V1, async () => {
      read++;
      return page(1);
    });
    assert.equal(read, 1, 'the superseded answer was not served again');
    // A request that read the version just before (PostgreSQL may answer two reads of it out of order) moves
    // nothing back: the answer kept at v2 stays.
    const kept = await cache.answer('page 2', { ...V1, version: 'v2' }, async () => assert.fail('page 2 was dropped'));
    assert.equal(kept.body.toString(), page(2));
  });
});

describe('kept answers past the budget (sqlite, READ_CACHE_MB=1)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(sqlite, { READ_CACHE_MB: '1', SEARCH_INDEX_MS: '0' });
    const inputs = Array.from({ length: 100 }, (_, i) => ({
      name: `Zipped Person ${i}`,
      email: `zipped.${i}@example.com`,
      phone: `+2547${String(i).padStart(8, '0')}`,
      country: 'Kenya',
      currency: 'KES',
    }));
    await createCustomers(server.db, server.businessId, inputs, 'api');
  });
  after(() => server.close());

  /** The raw answer (node:http does not decode), asking with `encoding` as Accept-Encoding, or none. */
  const raw = (path: string, encoding?: string) =>
    new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: server.secret };
      if (encoding !== undefined) headers['accept-encoding'] = encoding;
      httpGet(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });

  it('gzips the least recently used pages rather than dropping them, and sends them gzipped to who accepts gzip', async () => {
    // 41 distinct pages of 20–60 customers, past the 512 KB plain answers may hold: the first ones are gzipped.
    const path = (limit: number) => `/business/customer/list?limit=${limit}`;
    const plain = new Map<number, Buffer>();
    for (let limit = 20; limit <= 60; limit++) {
      const first = await raw(path(limit), 'gzip');
      assert.equal(first.headers['content-encoding'], undefined, 'a miss is sent as it was read');
      assert.equal(first.headers.vary, 'accept-encoding');
      plain.set(limit, first.body);
    }
    const total = [...plain.values()].reduce((sum, body) => sum + body.byteLength, 0);
    assert.ok(total > 2 ** 19 && total < 2 ** 20, `${total} bytes of pages`);

    // The oldest: gzipped, so served to a gzip client as they are and to any other as the same JSON.
    for (const encoding of ['gzip', 'br, gzip;q=0.5', '*', 'X-GZIP', 'identity, *;q=0.1']) {
      const hit = await raw(path(20), encoding);
      assert.equal(hit.headers['content-encoding'], 'gzip', encoding);
      assert.equal(hit.headers.vary, 'accept-encoding');
      assert.ok(hit.body.byteLength < plain.get(20)!.byteLength / 2, `${hit.body.byteLength} bytes gzipped`);
      assert.deepEqual(gunzipSync(hit.body), plain.get(20), encoding);
    }
    for (const encoding of [undefined, 'identity', 'gzip;q=0', 'gzip;q=0, *', 'br', 'deflate']) {
      const hit = await raw(path(21), encoding);
      assert.equal(hit.headers['content-encoding'], undefined, String(encoding));
      assert.deepEqual(hit.body, plain.get(21), String(encoding));
    }
    // The newest: still plain, whatever the client accepts.
    const recent = await raw(path(60), 'gzip');
    assert.equal(recent.headers['content-encoding'], undefined);
    assert.deepEqual(recent.body, plain.get(60));
    // Every one was kept, gzipped or not: none was read again.
    const before = { ...server.app.readCache.counts };
    for (let limit = 22; limit <= 59; limit++)
      assert.deepEqual(gunzipIf(await raw(path(limit), 'gzip')), plain.get(limit));
    assert.equal(server.app.readCache.counts.misses, before.misses, 'no page was read again');

    // A write moves the version: the next answer is read again, plain.
    await makeCustomer(server, server.secret, { name: 'Zipped Person 100' });
    const after = await raw(path(20), 'gzip');
    assert.equal(after.headers['content-encoding'], undefined);
    assert.equal(JSON.parse(after.body.toString()).pagination.total, 101);
  });
});

/** A raw answer's body, gunzipped if it came gzipped. */
const gunzipIf = ({ headers, body }: { headers: IncomingHttpHeaders; body: Buffer }) =>
  headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;

describe('Accept-Encoding', () => {
  it('allows gzip only where the header does: listed above q=0, or * above q=0 with gzip not listed', () => {
    const cases: [string | undefined, boolean][] = [
      [undefined, false],
      ['', false],
      ['gzip', true],
      ['GZip ; q=0.001', true],
      ['x-gzip', true],
      ['deflate, br', false],
      ['gzip;q=0', false],
      ['gzip;q=0.0, *', false],
      ['*;q=0, gzip', true],
      ['*', true],
      ['*;q=0', false],
      ['identity;q=1, *;q=0.5', true],
      ['gzip;q=nonsense', false],
    ];
    for (const [header, allowed] of cases) assert.equal(acceptsGzip(header), allowed, String(header));
  });
});
