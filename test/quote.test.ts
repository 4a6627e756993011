// Contract suite: /business/quote/* (read-only; quotes are written by the dashboard), over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createQuote } from '../src/modules/quote/quote.store.js';
import {
  type CustomerRecord,
  checkDetailsErrors,
  checkNoWriteRoutes,
  checkPaging,
  checkQueryRejected,
  getList,
  listIds,
  makeCustomer,
  quoteInput,
  UNKNOWN_ID,
} from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`quotes [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    describe('quotes written by the dashboard (createQuote)', () => {
      it('computes amount, line discount, tax, subtotal and total from the items, rounded to cents', async () => {
        const quote = await createQuote(
          server.db,
          server.businessId,
          quoteInput({
            items: [
              { title: 'Design', description: 'Three concepts', quantity: 3, rate: 1500.5, discount: 100, taxrate: 16 },
              { title: 'Hosting', quantity: 3, rate: 33.33, taxrate: 16 },
              { title: 'Domain', quantity: 2, rate: 10 },
            ],
          }),
          'dashboard',
        );
        const res = await server.request('GET', `/business/quote/details/${quote._id}`);
        assert.equal(res.status, 200);
        const q = res.body.data;
        assert.deepEqual(q.items, [
          {
            itemid: null,
            title: 'Design',
            description: 'Three concepts',
            quantity: 3,
            rate: 1500.5,
            discount: 100,
            taxrate: 16,
            amount: 4501.5,
          },
          {
            itemid: null,
            title: 'Hosting',
            description: null,
            quantity: 3,
            rate: 33.33,
            discount: 0,
            taxrate: 16,
            amount: 99.99,
          },
          {
            itemid: null,
            title: 'Domain',
            description: null,
            quantity: 2,
            rate: 10,
            discount: 0,
            taxrate: 0,
            amount: 20,
          },
        ]);
        // tax: (4501.50 − 100) × 16% = 704.24; 99.99 × 16% = 15.9984 → 16.00; 0.
        assert.equal(q.subtotal, 4621.49);
        assert.equal(q.discount, 100);
        assert.equal(q.tax, 720.24);
        assert.equal(q.total, 5241.73);
      });

      it('never trusts totals sent with the input', async () => {
        const input = {
          ...quoteInput({ items: [{ title: 'Work', quantity: 2, rate: 50 }] }),
          subtotal: 1,
          tax: 999,
          total: 5,
        };
        const quote = await createQuote(server.db, server.businessId, input, 'dashboard');
        const q = (await server.request('GET', `/business/quote/details/${quote._id}`)).body.data;
        assert.deepEqual([q.subtotal, q.discount, q.tax, q.total], [100, 0, 0, 100]);
      });

      it('numbers quotes QUO-<year>-001, -002, … per business', async () => {
        const own = await server.newBusiness('Numbering Business');
        const made = [];
        for (let i = 0; i < 3; i++) made.push(await createQuote(server.db, own.businessId, quoteInput(), 'dashboard'));
        const year = made[0].createdat.slice(0, 4);
        assert.deepEqual(
          made.map((q) => q.quoteno),
          [`QUO-${year}-001`, `QUO-${year}-002`, `QUO-${year}-003`],
        );
        const listed = await getList(server, '/business/quote/list', own.secret);
        assert.deepEqual(
          listed.data.map((q) => q.quoteno),
          [`QUO-${year}-003`, `QUO-${year}-002`, `QUO-${year}-001`],
        );
        const other = await server.newBusiness('Other Numbering Business');
        const first = await createQuote(server.db, other.businessId, quoteInput(), 'dashboard');
        assert.equal(first.quoteno, `QUO-${year}-001`, 'each business counts from 001');
      });
    });

    describe('GET /business/quote/details/:id', () => {
      it('returns the whole record with the customer nested', async () => {
        const customer = await makeCustomer(server);
        const quote = await createQuote(
          server.db,
          server.businessId,
          quoteInput({
            title: 'Annual support',
            description: 'Support for one year',
            customerid: customer._id,
            currency: 'usd',
            issuedate: '2025-03-01',
            expirydate: '2025-03-31T12:00:00Z',
            notes: 'Net 30',
            status: 'sent',
          }),
          'dashboard',
        );
        const res = await server.request('GET', `/business/quote/details/${quote._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: quote });
        const q = res.body.data;
        assert.match(q._id, /^[0-9a-f]{24}$/);
        assert.deepEqual(q.customer, { _id: customer._id, name: customer.name, email: customer.email });
        assert.equal(q.customerid, customer._id);
        assert.equal(q.currency, 'USD');
        assert.equal(q.issuedate, '2025-03-01T00:00:00.000Z');
        assert.equal(q.expirydate, '2025-03-31T12:00:00.000Z');
        assert.equal(q.status, 'sent');
        assert.equal(q.notes, 'Net 30');
        assert.equal(q.active, true);
        assert.equal(q.sourceorigin, 'dashboard');
        assert.match(q.createdat, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.equal(q.updatedat, q.createdat);
      });

      it('defaults status to draft and shows unset optional fields as null', async () => {
        const quote = await createQuote(server.db, server.businessId, quoteInput(), 'dashboard');
        const q = (await server.request('GET', `/business/quote/details/${quote._id}`)).body.data;
        assert.equal(q.status, 'draft');
        for (const field of ['description', 'customerid', 'customer', 'issuedate', 'expirydate', 'notes'])
          assert.equal(q[field], null, field);
      });

      it("nests the customer's current name after the customer is updated", async () => {
        const customer = await makeCustomer(server);
        const quote = await createQuote(
          server.db,
          server.businessId,
          quoteInput({ customerid: customer._id }),
          'dashboard',
        );
        const patched = await server.request('PATCH', `/business/customer/update/${customer._id}`, {
          body: { name: 'Renamed Customer Ltd' },
        });
        assert.equal(patched.status, 200);
        const q = (await server.request('GET', `/business/quote/details/${quote._id}`)).body.data;
        assert.deepEqual(q.customer, { _id: customer._id, name: 'Renamed Customer Ltd', email: customer.email });
        const listed = await getList(server, `/business/quote/list?customerid=${customer._id}`);
        assert.equal(listed.data[0].customer.name, 'Renamed Customer Ltd');
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        await checkDetailsErrors(server, 'quote', 'Quote');
      });
    });

    describe('GET /business/quote/list', () => {
      let secret: string;
      let c1: CustomerRecord;
      let c2: CustomerRecord;
      const ids: string[] = [];
      const quotenos: string[] = [];
      before(async () => {
        const own = await server.newBusiness('Quote List Business');
        secret = own.secret;
        c1 = await makeCustomer(server, secret);
        c2 = await makeCustomer(server, secret);
        const inputs = [
          quoteInput({
            title: 'Website Redesign',
            description: 'Full rebuild of the Ünïcode site',
            status: 'draft',
            customerid: c1._id,
          }),
          quoteInput({ title: '100% Uptime Plan', status: 'sent', customerid: c1._id }),
          quoteInput({ title: 'under_score Hosting', description: 'Monthly', status: 'sent', customerid: c2._id }),
          quoteInput({
            title: 'Ζήτα Consulting',
            description: 'Strategy',
            status: 'accepted',
            notes: 'hiddennoteword',
          }),
          quoteInput({ title: 'Annual Support', description: 'Support renewal', status: 'sent', customerid: c2._id }),
        ];
        for (const input of inputs) {
          const q = await createQuote(server.db, own.businessId, input, 'dashboard');
          ids.push(q._id);
          quotenos.push(q.quoteno);
        }
      });
      const search = (term: string) => listIds(server, 'quote', `search=${encodeURIComponent(term)}`, secret);

      it('pages newest first, with pagination under both pagination and meta, and handles the paging edges', async () => {
        await checkPaging(server, 'quote', secret, [...ids].reverse());
      });

      it('searches title, quoteno and description case-insensitively, Unicode-aware', async () => {
        assert.deepEqual(await search('redesign'), [ids[0]]);
        assert.deepEqual(await search('WEBSITE'), [ids[0]]);
        assert.deepEqual(await search('ÜNÏCODE'), [ids[0]], 'description, non-ASCII upper case');
        assert.deepEqual(await search('ζήτα'), [ids[3]]);
        assert.deepEqual(await search('ΖΉΤΑ'), [ids[3]]);
        assert.deepEqual(await search('renewal'), [ids[4]]);
        assert.deepEqual(await search(quotenos[2].toLowerCase()), [ids[2]], 'quoteno');
        assert.equal((await getList(server, '/business/quote/list?search=quo-', secret)).pagination.total, 5);
        const none = await getList(server, '/business/quote/list?search=nothing-like-this', secret);
        assert.deepEqual(none.pagination, { total: 0, page: 1, limit: 10, pages: 0 });
        assert.deepEqual(none.data, []);
      });

      it('does not search fields outside title, quoteno and description', async () => {
        assert.deepEqual(await search('hiddennoteword'), [], 'notes');
        assert.deepEqual(await search(c1.name), [], 'customer name');
      });

      it('matches % and _ literally', async () => {
        assert.deepEqual(await search('100%'), [ids[1]]);
        assert.deepEqual(await search('%'), [ids[1]]);
        assert.deepEqual(await search('r_s'), [ids[2]]);
        assert.deepEqual(await search('_'), [ids[2]]);
      });

      it('filters by status and customerid, combined with AND and with search', async () => {
        assert.deepEqual(await listIds(server, 'quote', 'status=sent', secret), [ids[4], ids[2], ids[1]]);
        assert.deepEqual(await listIds(server, 'quote', `customerid=${c1._id}`, secret), [ids[1], ids[0]]);
        assert.deepEqual(await listIds(server, 'quote', `status=sent&customerid=${c2._id}`, secret), [ids[4], ids[2]]);
        assert.deepEqual(await listIds(server, 'quote', `status=sent&customerid=${c2._id}&search=hosting`, secret), [
          ids[2],
        ]);
        assert.deepEqual(await listIds(server, 'quote', `status=draft&customerid=${c2._id}`, secret), []);
        const sent = await getList(server, '/business/quote/list?status=sent&limit=2', secret);
        assert.deepEqual(sent.pagination, { total: 3, page: 1, limit: 2, pages: 2 });
        assert.deepEqual(await listIds(server, 'quote', 'status=invoiced', secret), []);
        assert.deepEqual(await listIds(server, 'quote', `customerid=${UNKNOWN_ID}`, secret), []);
      });

      it('rejects an unknown status with the allowed values, and a malformed customerid', async () => {
        await checkQueryRejected(
          server,
          '/business/quote/list?status=paid',
          {
            status: 'Status must be one of: draft, sent, accepted, rejected, expired, invoiced',
          },
          secret,
        );
        await checkQueryRejected(
          server,
          '/business/quote/list?customerid=not-an-id',
          { customerid: 'Customer ID must be a 24-character hex ID' },
          secret,
        );
      });
    });

    describe('no write routes', () => {
      it('has no create or update route: 404 in the error envelope', async () => {
        const quote = await createQuote(server.db, server.businessId, quoteInput(), 'dashboard');
        await checkNoWriteRoutes(server, 'quote', quote._id);
      });
    });
  });
}
