// Contract suite: /business/lead/* (create, list; details, update, convert as extensions), over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withoutCursor } from './helpers/fixtures.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

const STATUSES = 'Status must be one of: new, contacted, qualified, converted, lost';
const goLine = (field: string, tag: string) =>
  `Key: 'ApiLeadRequest.${field}' Error:Field validation for '${field}' failed on the '${tag}' tag`;

let sequence = 0;
function leadBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return { name: `Lead ${sequence}`, email: `lead${sequence}.${process.pid}@leads.example`, ...overrides };
}

for (const engine of engines()) {
  describe(`leads [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const create = async (body: Record<string, unknown>, secret?: string) => {
      const res = await server.request('POST', '/business/lead/create', { body, secret });
      assert.equal(res.status, 201, res.text);
      return res.body.data;
    };
    const details = async (id: string) => (await server.request('GET', `/business/lead/details/${id}`)).body.data;
    const customerTotal = async () => (await server.request('GET', '/business/customer/list')).body.pagination.total;

    describe('POST /business/lead/create', () => {
      it('creates a lead with 201 and returns the whole record, unset optional fields null', async () => {
        const body = {
          name: 'Jane Smith',
          email: 'jane.smith@acme.example',
          phone: '+254722000001',
          company: 'Acme Corp',
          jobtitle: 'CTO',
          source: 'website',
          request: 'Interested in enterprise billing solution',
          budget: 50000,
        };
        const res = await server.request('POST', '/business/lead/create', { body });
        assert.equal(res.status, 201);
        assert.equal(res.body.success, true);
        assert.equal(res.body.message, 'Lead created successfully');
        const { _id, createdat, updatedat, ...rest } = res.body.data;
        assert.match(_id, /^[0-9a-f]{24}$/);
        assert.match(createdat, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.equal(updatedat, createdat);
        assert.deepEqual(rest, {
          ...body,
          industry: null,
          website: null,
          country: null,
          state: null,
          address: null,
          status: 'new',
          customerid: null,
          active: true,
          sourceorigin: 'api',
        });
      });

      it('needs only a name; trims strings, treats blanks as unset, rounds budget to 2 places, ignores unknown fields', async () => {
        const bare = await create({ name: 'Only Name' });
        assert.equal(bare.email, null);
        assert.equal(bare.budget, null);
        assert.equal(bare.status, 'new');
        const lead = await create(
          leadBody({ name: '  Padded  ', company: '   ', budget: 1234.567, status: 'qualified' }),
        );
        assert.equal(lead.name, 'Padded');
        assert.equal(lead.company, null);
        assert.equal(lead.budget, 1234.57);
        assert.equal(lead.status, 'qualified', 'an initial status may be given');
        assert.equal((await create(leadBody({ budget: 0 }))).budget, 0);
        assert.equal((await create(leadBody({ budget: 99.994 }))).budget, 99.99);
        const sneaky = await create(
          leadBody({ customerid: '507f1f77bcf86cd799439011', sourceorigin: 'dashboard', colour: 'red' }),
        );
        assert.deepEqual(
          [sneaky.customerid, sneaky.sourceorigin, 'colour' in sneaky],
          [null, 'api', false],
          'unknown fields are ignored',
        );
      });

      it("answers a missing or blank name with the seed's Go validator error", async () => {
        for (const body of [{ email: 'x@leads.example' }, { name: '   ' }, { name: null }]) {
          const res = await server.request('POST', '/business/lead/create', { body });
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.deepEqual(res.body, {
            success: false,
            error: "Key: 'ApiLeadRequest.Name' Error:Field validation for 'Name' failed on the 'required' tag",
            errors: { name: 'Name is required' },
          });
        }
      });

      it('reports a bad email, negative budget and unknown status as validator lines joined by newlines', async () => {
        const res = await server.request('POST', '/business/lead/create', {
          body: leadBody({ email: 'not-an-email', budget: -1, status: 'won' }),
        });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          success: false,
          error: [goLine('Email', 'email'), goLine('Budget', 'gte'), goLine('Status', 'oneof')].join('\n'),
          errors: { email: 'Email is not a valid email address', budget: 'Budget must be 0 or more', status: STATUSES },
        });
      });

      it('answers a wrong-typed field as a Go JSON decoding error', async () => {
        const name = await server.request('POST', '/business/lead/create', { body: { name: 5 } });
        assert.equal(name.status, 400);
        assert.deepEqual(name.body, {
          success: false,
          error: 'json: cannot unmarshal number into Go struct field ApiLeadRequest.name of type string',
          errors: { name: 'Name must be a string' },
        });
        const budget = await server.request('POST', '/business/lead/create', { body: leadBody({ budget: '1000' }) });
        assert.equal(budget.status, 400);
        assert.equal(
          budget.body.error,
          'json: cannot unmarshal string into Go struct field ApiLeadRequest.budget of type float64',
        );
        assert.equal(budget.body.errors.budget, 'Budget must be a number');
      });
    });

    describe('GET /business/lead/list', () => {
      let secret: string;
      const leads = [
        { name: 'Amina Wanjiru', company: 'Acme Corp', source: 'website', status: 'new' },
        { name: 'Émile Zoé', company: 'Zoé et Fils', source: 'referral', status: 'contacted' },
        { name: '100% Pure Ltd', source: 'website', status: 'qualified' },
        { name: 'under_score Co', source: 'ad', status: 'new', request: 'needle-in-request' },
        { name: "O'Brien Kamau", source: 'website', status: 'lost' },
        { name: 'Москва Trading', source: 'referral', status: 'new' },
      ];
      const newestFirst = leads.map((l) => l.name).reverse();
      const list = async (query: string) =>
        (await server.request('GET', `/business/lead/list?${query}`, { secret })).body;
      const names = async (query: string) => (await list(query)).data.map((l: { name: string }) => l.name);
      const search = (term: string) => names(`search=${encodeURIComponent(term)}`);
      before(async () => {
        secret = (await server.newBusiness('Lead List Business')).secret;
        for (const [i, lead] of leads.entries())
          await create({ ...lead, email: `l${i}@leads.example`, phone: `+25471100000${i}` }, secret);
      });

      it('pages newest first with pagination under both pagination and meta', async () => {
        const first = await list('page=1&limit=4');
        assert.equal(first.success, true);
        assert.deepEqual(first.pagination, { total: 6, page: 1, limit: 4, pages: 2 });
        assert.deepEqual(withoutCursor(first.meta), first.pagination);
        assert.deepEqual(
          first.data.map((l: { name: string }) => l.name),
          newestFirst.slice(0, 4),
        );
        assert.deepEqual(await names('page=2&limit=4'), newestFirst.slice(4));
        assert.equal(first.data[0].customerid, null, 'list items are whole records');
        assert.equal(first.data[0].industry, null);
      });

      it('returns [] with the true total past the end, clamps limit to 100, and handles limit 1', async () => {
        const past = await list('page=99');
        assert.deepEqual(past.data, []);
        assert.deepEqual(past.pagination, { total: 6, page: 99, limit: 10, pages: 1 });
        assert.deepEqual((await list('limit=500')).pagination, { total: 6, page: 1, limit: 100, pages: 1 });
        const one = await list('limit=1&page=6');
        assert.deepEqual(
          one.data.map((l: { name: string }) => l.name),
          ['Amina Wanjiru'],
        );
        assert.deepEqual(one.pagination, { total: 6, page: 6, limit: 1, pages: 6 });
      });

      it('filters by status and source exactly, combined with each other and with search by AND, and pages the result', async () => {
        assert.deepEqual(await names('status=new'), ['Москва Trading', 'under_score Co', 'Amina Wanjiru']);
        assert.deepEqual(await names('source=website'), ["O'Brien Kamau", '100% Pure Ltd', 'Amina Wanjiru']);
        assert.deepEqual(await names('status=new&source=website'), ['Amina Wanjiru']);
        assert.deepEqual(await names('status=converted'), []);
        assert.deepEqual(await names('source=web'), [], 'source is an exact match, not a substring');
        const paged = await list('status=new&limit=2&page=2');
        assert.deepEqual(
          paged.data.map((l: { name: string }) => l.name),
          ['Amina Wanjiru'],
        );
        assert.deepEqual(paged.pagination, { total: 3, page: 2, limit: 2, pages: 2 });
        assert.deepEqual(await names(`status=new&search=${encodeURIComponent('москва')}`), ['Москва Trading']);
        assert.deepEqual(await names('source=referral&search=zo%C3%A9'), ['Émile Zoé']);
        assert.deepEqual(await names('status=lost&search=amina'), []);
      });

      it('rejects an unknown status filter with 400 listing the allowed values', async () => {
        const res = await server.request('GET', '/business/lead/list?status=won', { secret });
        assert.deepEqual([res.status, res.body.success, res.body.errors], [400, false, { status: STATUSES }]);
      });

      it('searches name, email, phone and company, and no other field', async () => {
        assert.deepEqual(await search('amina'), ['Amina Wanjiru']);
        assert.deepEqual(await search('ACME'), ['Amina Wanjiru'], 'company');
        assert.deepEqual(await search('l2@leads'), ['100% Pure Ltd'], 'email');
        assert.deepEqual(await search('+254711000003'), ['under_score Co'], 'phone');
        assert.equal((await list('search=leads.example')).pagination.total, 6);
        assert.deepEqual(await search('needle-in-request'), [], 'request is not a search field');
        assert.deepEqual(await search('referral'), [], 'source is not a search field');
      });

      it('matches %, _ and quote literally and non-ASCII text case-insensitively', async () => {
        assert.deepEqual(await search('%'), ['100% Pure Ltd']);
        assert.deepEqual(await search('0% p'), ['100% Pure Ltd']);
        assert.deepEqual(await search('_'), ['under_score Co']);
        assert.deepEqual(await search('r_s'), ['under_score Co']);
        assert.deepEqual(await search("o'brien"), ["O'Brien Kamau"]);
        assert.deepEqual(await search('ÉMILE'), ['Émile Zoé']);
        assert.deepEqual(await search('E\u0301mile'), ['Émile Zoé'], 'a decomposed accent matches the composed one');
        assert.deepEqual(await search('МОСКВА'), ['Москва Trading']);
        const none = await list('search=nothing-like-this');
        assert.deepEqual(none.data, []);
        assert.deepEqual(none.pagination, { total: 0, page: 1, limit: 10, pages: 0 });
      });
    });

    describe('GET /business/lead/details/:id (extension)', () => {
      it('returns the whole record', async () => {
        const made = await create(leadBody({ country: 'Kenya', budget: 10 }));
        const res = await server.request('GET', `/business/lead/details/${made._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: made });
      });

      it("answers 400 for a malformed id and 404 for an unknown one or another business's", async () => {
        const bad = await server.request('GET', '/business/lead/details/not-an-id');
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body, { success: false, error: 'Invalid lead ID format' });
        const missing = await server.request('GET', '/business/lead/details/507f1f77bcf86cd799439011');
        assert.equal(missing.status, 404);
        assert.deepEqual(missing.body, { success: false, error: 'Lead not found' });
        const other = await server.newBusiness();
        const theirs = await create(leadBody(), other.secret);
        assert.deepEqual((await server.request('GET', `/business/lead/details/${theirs._id}`)).body, {
          success: false,
          error: 'Lead not found',
        });
      });
    });

    describe('PATCH /business/lead/update/:id (extension)', () => {
      it('moves a lead through the pipeline, changing only the fields sent, with modified: 1', async () => {
        const made = await create(leadBody({ company: 'Old Co', source: 'ad' }));
        const res = await server.request('PATCH', `/business/lead/update/${made._id}`, {
          body: { status: 'contacted', company: 'New Co', budget: 10.129 },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {
          success: true,
          message: 'Lead updated successfully',
          data: { _id: made._id, modified: 1 },
        });
        const now = await details(made._id);
        assert.deepEqual(
          { ...now, updatedat: made.updatedat },
          { ...made, status: 'contacted', company: 'New Co', budget: 10.13 },
        );
        assert.ok(now.updatedat >= made.updatedat);
        const found = (await server.request('GET', '/business/lead/list?search=new%20co')).body.data.map(
          (l: { _id: string }) => l._id,
        );
        assert.deepEqual(found, [made._id], 'search follows the new company');
      });

      it('reports modified: 0 when every sent value equals the stored one, and clears with null', async () => {
        const made = await create(leadBody({ status: 'qualified', country: 'Kenya' }));
        const same = await server.request('PATCH', `/business/lead/update/${made._id}`, {
          body: { status: 'qualified', name: made.name },
        });
        assert.equal(same.status, 200);
        assert.equal(same.body.data.modified, 0);
        assert.equal((await details(made._id)).updatedat, made.updatedat);
        await server.request('PATCH', `/business/lead/update/${made._id}`, { body: { country: null, active: false } });
        const now = await details(made._id);
        assert.equal(now.country, null);
        assert.equal(now.active, false);
      });

      it('answers a bad status or a blanked name in the Go validator style', async () => {
        const made = await create(leadBody());
        const status = await server.request('PATCH', `/business/lead/update/${made._id}`, { body: { status: 'won' } });
        assert.equal(status.status, 400);
        assert.deepEqual(status.body, {
          success: false,
          error: goLine('Status', 'oneof'),
          errors: { status: STATUSES },
        });
        const name = await server.request('PATCH', `/business/lead/update/${made._id}`, { body: { name: '' } });
        assert.equal(name.status, 400);
        assert.deepEqual(name.body, {
          success: false,
          error: goLine('Name', 'required'),
          errors: { name: 'Name is required' },
        });
        assert.deepEqual(await details(made._id), made);
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        const bad = await server.request('PATCH', '/business/lead/update/xyz', { body: { status: 'lost' } });
        assert.deepEqual([bad.status, bad.body.error], [400, 'Invalid lead ID format']);
        const missing = await server.request('PATCH', '/business/lead/update/507f1f77bcf86cd799439011', {
          body: { status: 'lost' },
        });
        assert.deepEqual([missing.status, missing.body], [404, { success: false, error: 'Lead not found' }]);
      });
    });

    describe('POST /business/lead/convert/:id (extension)', () => {
      it("creates a customer from the lead's fields, the body winning, and marks the lead converted", async () => {
        const lead = await create(
          leadBody({
            phone: '+254733000001',
            company: 'Convert Co',
            country: 'Tanzania',
            state: 'Arusha',
            address: '1 Main St',
            website: 'https://convert.example',
            jobtitle: 'CEO',
          }),
        );
        const res = await server.request('POST', `/business/lead/convert/${lead._id}`, {
          body: { currency: 'kes', country: 'Kenya', city: 'Nairobi' },
        });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.success, true);
        assert.equal(res.body.message, 'Lead converted successfully');
        const c = res.body.data;
        assert.match(c._id, /^[0-9a-f]{24}$/);
        for (const field of ['name', 'email', 'phone', 'company', 'state', 'address', 'website'])
          assert.equal(c[field], lead[field], field);
        assert.deepEqual([c.country, c.currency, c.city], ['Kenya', 'KES', 'Nairobi'], 'the body wins over the lead');
        assert.deepEqual([c.sourceorigin, c.active], ['api', true]);
        const now = await details(lead._id);
        assert.equal(now.status, 'converted');
        assert.equal(now.customerid, c._id);
        assert.ok(now.updatedat >= lead.updatedat);
        const stored = await server.request('GET', `/business/customer/details/${c._id}`);
        assert.deepEqual(stored.body, { success: true, data: c });
      });

      it('takes required customer fields the lead lacks from the body', async () => {
        const lead = await create({ name: 'Name Only Lead' });
        const res = await server.request('POST', `/business/lead/convert/${lead._id}`, {
          body: {
            email: `nameonly.${process.pid}@leads.example`,
            phone: '+254700111222',
            country: 'Uganda',
            currency: 'UGX',
          },
        });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.data.name, 'Name Only Lead');
        assert.equal(res.body.data.email, `nameonly.${process.pid}@leads.example`);
        assert.equal(res.body.data.currency, 'UGX');
      });

      it('refuses to convert a lead twice with 409 and makes no second customer', async () => {
        const lead = await create(leadBody({ phone: '+254700000009', country: 'Kenya' }));
        assert.equal(
          (await server.request('POST', `/business/lead/convert/${lead._id}`, { body: { currency: 'KES' } })).status,
          201,
        );
        const converted = await details(lead._id);
        const before = await customerTotal();
        const again = await server.request('POST', `/business/lead/convert/${lead._id}`, {
          body: { currency: 'KES', email: `other.${process.pid}@leads.example` },
        });
        assert.equal(again.status, 409);
        assert.equal(again.body.success, false);
        assert.equal(typeof again.body.error, 'string');
        assert.equal(await customerTotal(), before);
        assert.deepEqual(await details(lead._id), converted);
      });

      it("answers 400 in the customer style when the customer's required fields are missing, changing nothing", async () => {
        const lead = await create(leadBody({ phone: '+254700000010', country: 'Kenya' }));
        const before = await customerTotal();
        const res = await server.request('POST', `/business/lead/convert/${lead._id}`, { body: {} });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          success: false,
          error: 'There are problems with your submission',
          errors: { currency: 'Currency is required' },
        });
        const bare = await create({ name: 'Bare Lead' });
        const noBody = await server.request('POST', `/business/lead/convert/${bare._id}`);
        assert.equal(noBody.status, 400, 'a conversion with no body at all still needs a currency');
        assert.deepEqual(noBody.body.errors, {
          email: 'Email is required',
          phone: 'Phone is required',
          country: 'Country is required',
          currency: 'Currency is required',
        });
        const badCurrency = await server.request('POST', `/business/lead/convert/${lead._id}`, {
          body: { currency: 'ABC' },
        });
        assert.equal(badCurrency.status, 400);
        assert.equal(badCurrency.body.errors.currency, 'Currency must be an ISO 4217 currency code, e.g. KES');
        assert.equal(await customerTotal(), before, 'no customer was created');
        assert.deepEqual(await details(lead._id), lead, 'the lead is unchanged');
        assert.deepEqual(await details(bare._id), bare);
      });

      it('answers 409 when a customer already has the email, leaving the lead unchanged', async () => {
        const existing = (await server.request('POST', '/business/customer/create', { body: customerBody() })).body
          .data;
        const lead = await create(
          leadBody({ email: existing.email.toUpperCase(), phone: '+254700000011', country: 'Kenya' }),
        );
        const before = await customerTotal();
        const res = await server.request('POST', `/business/lead/convert/${lead._id}`, { body: { currency: 'KES' } });
        assert.equal(res.status, 409);
        assert.deepEqual(res.body, { success: false, error: 'Customer with this email already exists' });
        assert.equal(await customerTotal(), before);
        assert.deepEqual(await details(lead._id), lead);
      });

      it("answers 400 for a malformed id and 404 for an unknown lead or another business's", async () => {
        const bad = await server.request('POST', '/business/lead/convert/nope', { body: { currency: 'KES' } });
        assert.deepEqual([bad.status, bad.body], [400, { success: false, error: 'Invalid lead ID format' }]);
        const missing = await server.request('POST', '/business/lead/convert/507f1f77bcf86cd799439011', {
          body: { currency: 'KES' },
        });
        assert.deepEqual([missing.status, missing.body], [404, { success: false, error: 'Lead not found' }]);
        const other = await server.newBusiness();
        const theirs = await create(leadBody({ phone: '+254700000012', country: 'Kenya' }), other.secret);
        const res = await server.request('POST', `/business/lead/convert/${theirs._id}`, { body: { currency: 'KES' } });
        assert.deepEqual([res.status, res.body.error], [404, 'Lead not found']);
      });
    });
  });
}
