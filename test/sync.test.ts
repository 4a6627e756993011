// Sync [ext]: cursor pages at any depth, stable while records change; updatedsince, oldest change first with an id
// tiebreak; unknown query parameters refused by name. Both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLeads } from '../src/modules/lead/lead.store.js';
import { getList, UNKNOWN_ID } from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

const RESOURCES = ['customer', 'lead', 'contact', 'quote', 'contract', 'booking', 'appointment'];

/**
 * Every record of a list, page by page through `meta.nextcursor`, with `during` run alongside each request after the
 * first (the first page is the walk's starting point).
 */
async function walk(server: TestServer, path: string, during: () => Promise<unknown> = async () => {}) {
  const seen: string[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  const join = path.includes('?') ? '&' : '?';
  do {
    const url = cursor === null ? path : `${path}${join}cursor=${encodeURIComponent(cursor)}`;
    const [page] = await Promise.all([getList(server, url), cursor === null ? undefined : during()]);
    seen.push(...page.data.map((r) => r._id as string));
    totals.push(page.meta.total);
    cursor = page.meta.nextcursor as unknown as string | null;
  } while (cursor !== null);
  return { seen, totals };
}

const leadBody = (name: string, status = 'new') => ({ name, email: `${name.replace(/\W/g, '')}@example.com`, status });

for (const engine of engines()) {
  describe(`list sync [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('walks every lead exactly once by cursor while other requests insert, update and convert leads', async () => {
      const biz = await server.newBusiness('Walk');
      const as = { secret: biz.secret };
      const initial: string[] = [];
      for (let i = 0; i < 6; i++) {
        const made = await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            server.request('POST', '/business/lead/create', { ...as, body: leadBody(`Walk ${i * 10 + j}`) }),
          ),
        );
        for (const res of made) {
          assert.equal(res.status, 201, res.text);
          initial.push(res.body.data._id);
        }
      }
      let n = 0;
      const churn = async () => {
        n += 1;
        const target = initial[(n * 7) % initial.length];
        const convertible = initial[n];
        const results = await Promise.all([
          server.request('POST', '/business/lead/create', { ...as, body: leadBody(`New ${n}`) }),
          server.request('POST', '/business/lead/create', { ...as, body: leadBody(`Newer ${n}`) }),
          server.request('PATCH', `/business/lead/update/${target}`, { ...as, body: { name: `Renamed ${n}` } }),
          server.request('POST', `/business/lead/convert/${convertible}`, {
            ...as,
            body: { email: `converted${n}@example.com`, phone: '+254700000000', country: 'Kenya', currency: 'KES' },
          }),
        ]);
        for (const res of results) assert.ok(res.status < 300, res.text);
      };
      const walker = { ...server, request: (m: string, p: string) => server.request(m, p, as) } as TestServer;
      const { seen, totals } = await walk(walker, '/business/lead/list?limit=7', churn);
      assert.ok(n >= 8, 'the churn ran beside every page');
      const counts = new Map<string, number>();
      for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
      assert.deepEqual(
        [...counts].filter(([, c]) => c > 1),
        [],
        'no record twice',
      );
      assert.deepEqual(
        initial.filter((id) => counts.get(id) !== 1),
        [],
        'every record that existed before the walk, once',
      );
      // Records created during the walk are newer than its start, so a newest-first walk has passed them already.
      assert.equal(seen.length, initial.length);
      assert.equal(totals[0], 60);
      assert.ok(totals.at(-1)! > totals[0], 'the exact total moves with the inserts');
    });

    it('agrees with offset pages, keeps filters and search, and refuses a cursor under other ones', async () => {
      const biz = await server.newBusiness('Filters');
      const as = { secret: biz.secret };
      for (let i = 0; i < 9; i++) {
        const status = i % 3 === 0 ? 'contacted' : 'new';
        const res = await server.request('POST', '/business/lead/create', {
          ...as,
          body: leadBody(`${i % 2 ? 'Kamau' : 'Otieno'} ${i}`, status),
        });
        assert.equal(res.status, 201);
      }
      const get = (path: string) => getList(server, path, biz.secret);
      const byOffset = [
        ...(await get('/business/lead/list?limit=4&page=1')).data,
        ...(await get('/business/lead/list?limit=4&page=2')).data,
        ...(await get('/business/lead/list?limit=4&page=3')).data,
      ].map((r) => r._id);
      const first = await get('/business/lead/list?limit=4');
      assert.equal(first.meta.page, 1);
      const second = await get(`/business/lead/list?limit=4&cursor=${first.meta.nextcursor}`);
      assert.deepEqual(
        second.data.map((r) => r._id),
        byOffset.slice(4, 8),
      );
      assert.deepEqual(
        { ...second.meta, nextcursor: null },
        { total: 9, page: 2, limit: 4, pages: 3, nextcursor: null },
      );
      const third = await get(`/business/lead/list?limit=4&cursor=${second.meta.nextcursor}`);
      assert.deepEqual(
        third.data.map((r) => r._id),
        byOffset.slice(8),
      );
      assert.equal(third.meta.nextcursor, null, 'null on the last page');

      const filtered = await get('/business/lead/list?status=new&search=kamau&limit=2');
      const rest = await get(`/business/lead/list?search=KAMAU&status=new&limit=2&cursor=${filtered.meta.nextcursor}`);
      const all = await get('/business/lead/list?status=new&search=kamau&limit=100');
      assert.deepEqual(
        [...filtered.data, ...rest.data].map((r) => r._id).slice(0, all.data.length),
        all.data.map((r) => r._id),
      );
      assert.equal(rest.meta.total, all.meta.total);

      const other = await server.request(
        'GET',
        `/business/lead/list?status=contacted&limit=2&cursor=${filtered.meta.nextcursor}`,
        as,
      );
      assert.equal(other.status, 400);
      assert.match(other.body.error, /cursor belongs to a list with other filters/);
      const withPage = await server.request('GET', `/business/lead/list?page=2&cursor=${first.meta.nextcursor}`, as);
      assert.equal(withPage.status, 400);
      assert.equal(
        withPage.body.errors.page,
        'Page cannot be combined with cursor: a cursor already says where the page starts',
      );
      for (const bad of [
        'nonsense',
        Buffer.from('{"k":[1,2],"n":0,"s":"x"}').toString('base64url'),
        'x'.repeat(1001),
      ]) {
        const res = await server.request('GET', `/business/lead/list?cursor=${bad}`, as);
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.success, false);
        assert.ok(res.body.errors.cursor, res.text);
      }
    });

    it('lists changes since an instant, oldest first, the id breaking ties of one updatedat', async () => {
      const biz = await server.newBusiness('Changes');
      const as = { secret: biz.secret };
      const old = await server.request('POST', '/business/lead/create', { ...as, body: leadBody('Before') });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const since = new Date().toISOString();
      // One bulk insert: five leads with the very same createdat and updatedat.
      await createLeads(
        server.db,
        biz.businessId,
        ['A', 'B', 'C', 'D', 'E'].map((name) => ({ name })),
        'api',
      );
      const tied = (await getList(server, '/business/lead/list?limit=100', biz.secret)).data.filter(
        (r) => r._id !== old.body.data._id,
      );
      assert.equal(new Set(tied.map((r) => r.updatedat)).size, 1, 'one updatedat for all five');
      const ascending = tied.map((r) => r._id as string).sort();

      const walker = { ...server, request: (m: string, p: string) => server.request(m, p, as) } as TestServer;
      const first = await walk(walker, `/business/lead/list?updatedsince=${since}&limit=2`);
      assert.deepEqual(first.seen, ascending, 'ids ascending within one updatedat, across pages');
      assert.deepEqual(first.totals, [5, 5, 5]);

      // A change moves a record to the end; one before the instant comes back once changed.
      await server.request('PATCH', `/business/lead/update/${ascending[0]}`, { ...as, body: { status: 'contacted' } });
      await server.request('PATCH', `/business/lead/update/${old.body.data._id}`, {
        ...as,
        body: { status: 'contacted' },
      });
      const second = await walk(walker, `/business/lead/list?updatedsince=${encodeURIComponent(since)}&limit=4`);
      assert.deepEqual(second.seen.slice(0, 4), ascending.slice(1));
      assert.deepEqual(new Set(second.seen.slice(4)), new Set([ascending[0], old.body.data._id]));
      // Another way to write the same instant (an offset) selects the same records.
      const offset = new Date(since).toISOString().replace('Z', '+00:00');
      assert.equal(
        (await getList(server, `/business/lead/list?updatedsince=${encodeURIComponent(offset)}`, biz.secret)).meta
          .total,
        7 - 1,
      );

      const bad = await server.request('GET', '/business/lead/list?updatedsince=yesterday', as);
      assert.equal(bad.status, 400);
      assert.ok(bad.body.errors.updatedsince, bad.text);
    });

    it('refuses unknown query parameters, naming them, on every list and details route', async () => {
      for (const resource of RESOURCES) {
        const list = await server.request('GET', `/business/${resource}/list?limit=2&foo=1&Page=2`);
        assert.equal(list.status, 400, resource);
        assert.deepEqual(list.body, {
          success: false,
          error: 'Unknown query parameters: foo, Page',
          errors: { foo: 'Unknown query parameter', Page: 'Unknown query parameter' },
        });
        const details = await server.request('GET', `/business/${resource}/details/${UNKNOWN_ID}?expand=customer`);
        assert.equal(details.status, 400, resource);
        assert.equal(details.body.error, 'Unknown query parameter: expand');
        const known = await server.request('GET', `/business/${resource}/list?limit=2&page=1&search=x`);
        assert.equal(known.status, 200, `${resource}: ${known.text}`);
      }
      // Events too (they have no search).
      const events = await server.request('GET', '/business/event/list?limit=2&foo=1');
      assert.equal(events.status, 400);
      assert.equal(events.body.error, 'Unknown query parameter: foo');
      const event = await server.request('GET', `/business/event/details/${UNKNOWN_ID}?expand=data`);
      assert.equal(event.status, 400);
      assert.equal(event.body.error, 'Unknown query parameter: expand');
      assert.equal((await server.request('GET', '/business/event/list?limit=2&type=customer.created')).status, 200);
    });
  });
}
