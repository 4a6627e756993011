// Contract suite: /business/customer/*, over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withoutCursor } from './helpers/fixtures.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`customers [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    describe('POST /business/customer/create', () => {
      it('creates a customer and returns the whole record with 201', async () => {
        const body = customerBody({ company: 'Doe Enterprises', type: 'business', city: 'Nairobi', currency: 'kes' });
        const res = await server.request('POST', '/business/customer/create', { body });
        assert.equal(res.status, 201);
        assert.equal(res.body.success, true);
        assert.equal(res.body.message, 'Customer created successfully');
        const c = res.body.data;
        assert.match(c._id, /^[0-9a-f]{24}$/);
        assert.equal(c.name, body.name);
        assert.equal(c.email, body.email);
        assert.equal(c.currency, 'KES', 'currency is stored upper-case');
        assert.equal(c.type, 'business');
        assert.equal(c.address, null, 'unset optional fields are null');
        assert.equal(c.active, true);
        assert.equal(c.sourceorigin, 'api');
        assert.match(c.createdat, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.equal(c.updatedat, c.createdat);
      });

      it('defaults type to individual, trims strings and ignores unknown fields', async () => {
        const body = customerBody({ name: '  Padded Name  ', unknownfield: 'x' });
        const res = await server.request('POST', '/business/customer/create', { body });
        assert.equal(res.status, 201);
        assert.equal(res.body.data.type, 'individual');
        assert.equal(res.body.data.name, 'Padded Name');
        assert.equal('unknownfield' in res.body.data, false);
      });

      it('lists every missing required field in the seed envelope', async () => {
        const res = await server.request('POST', '/business/customer/create', {
          body: { name: 'Only Name', email: '   ' },
        });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          success: false,
          error: 'There are problems with your submission',
          errors: {
            email: 'Email is required',
            phone: 'Phone is required',
            country: 'Country is required',
            currency: 'Currency is required',
          },
        });
      });

      it('rejects a bad email, an unknown type and a wrong-typed field', async () => {
        const res = await server.request('POST', '/business/customer/create', {
          body: customerBody({ email: 'not-an-email', type: 'company', phone: 254712345678 }),
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.errors.email, 'Email is not a valid email address');
        assert.equal(res.body.errors.type, 'Type must be one of: individual, business');
        assert.equal(res.body.errors.phone, 'Phone must be a string');
      });

      it('rejects a currency that is not ISO 4217', async () => {
        const res = await server.request('POST', '/business/customer/create', {
          body: customerBody({ currency: 'ABC' }),
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.errors.currency, 'Currency must be an ISO 4217 currency code, e.g. KES');
      });

      it('rejects a duplicate email within one business, case-insensitively, with 409', async () => {
        const body = customerBody();
        assert.equal((await server.request('POST', '/business/customer/create', { body })).status, 201);
        const again = await server.request('POST', '/business/customer/create', {
          body: customerBody({ email: body.email.toUpperCase() }),
        });
        assert.equal(again.status, 409);
        assert.deepEqual(again.body, { success: false, error: 'Customer with this email already exists' });
      });

      it('allows the same email in another business', async () => {
        const body = customerBody();
        assert.equal((await server.request('POST', '/business/customer/create', { body })).status, 201);
        const other = await server.newBusiness();
        const res = await server.request('POST', '/business/customer/create', { body, secret: other.secret });
        assert.equal(res.status, 201);
      });
    });

    describe('GET /business/customer/details/:id', () => {
      it('returns the record', async () => {
        const made = await server.request('POST', '/business/customer/create', {
          body: customerBody({ state: 'Nairobi County', website: 'https://doe.example.com' }),
        });
        const res = await server.request('GET', `/business/customer/details/${made.body.data._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: made.body.data });
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        const bad = await server.request('GET', '/business/customer/details/not-an-id');
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body, { success: false, error: 'Invalid customer ID format' });
        const missing = await server.request('GET', '/business/customer/details/507f1f77bcf86cd799439011');
        assert.equal(missing.status, 404);
        assert.deepEqual(missing.body, { success: false, error: 'Customer not found' });
      });
    });

    describe('PATCH /business/customer/update/:id', () => {
      it('changes only the fields sent and reports modified: 1', async () => {
        const made = (
          await server.request('POST', '/business/customer/create', { body: customerBody({ city: 'Nairobi' }) })
        ).body.data;
        const res = await server.request('PATCH', `/business/customer/update/${made._id}`, {
          body: { phone: '+254799000001', city: 'Mombasa' },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {
          success: true,
          message: 'Customer updated successfully',
          data: { _id: made._id, modified: 1 },
        });
        const after = (await server.request('GET', `/business/customer/details/${made._id}`)).body.data;
        assert.equal(after.phone, '+254799000001');
        assert.equal(after.city, 'Mombasa');
        assert.equal(after.name, made.name);
        assert.ok(after.updatedat >= made.updatedat);
      });

      it('reports modified: 0 when every sent value equals the stored one', async () => {
        const made = (
          await server.request('POST', '/business/customer/create', { body: customerBody({ city: 'Nairobi' }) })
        ).body.data;
        const res = await server.request('PATCH', `/business/customer/update/${made._id}`, {
          body: { city: 'Nairobi', name: made.name },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.data.modified, 0);
        const after = (await server.request('GET', `/business/customer/details/${made._id}`)).body.data;
        assert.equal(after.updatedat, made.updatedat);
      });

      it('clears an optional field with null and deactivates with active: false', async () => {
        const made = (
          await server.request('POST', '/business/customer/create', { body: customerBody({ city: 'Nairobi' }) })
        ).body.data;
        await server.request('PATCH', `/business/customer/update/${made._id}`, { body: { city: null, active: false } });
        const after = (await server.request('GET', `/business/customer/details/${made._id}`)).body.data;
        assert.equal(after.city, null);
        assert.equal(after.active, false);
      });

      it('rejects an email taken by another customer with 409, and an invalid one with 400', async () => {
        const a = (await server.request('POST', '/business/customer/create', { body: customerBody() })).body.data;
        const b = (await server.request('POST', '/business/customer/create', { body: customerBody() })).body.data;
        const taken = await server.request('PATCH', `/business/customer/update/${b._id}`, {
          body: { email: a.email.toUpperCase() },
        });
        assert.equal(taken.status, 409);
        assert.equal(taken.body.error, 'Customer with this email already exists');
        const bad = await server.request('PATCH', `/business/customer/update/${b._id}`, {
          body: { email: 'nope', name: '' },
        });
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.errors, { name: 'Name is required', email: 'Email is not a valid email address' });
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        assert.equal(
          (await server.request('PATCH', '/business/customer/update/xyz', { body: { city: 'A' } })).body.error,
          'Invalid customer ID format',
        );
        const missing = await server.request('PATCH', '/business/customer/update/507f1f77bcf86cd799439011', {
          body: { city: 'A' },
        });
        assert.equal(missing.status, 404);
        assert.equal(missing.body.error, 'Customer not found');
      });
    });

    describe('GET /business/customer/list', () => {
      let own: TestServer['businessId'];
      let secret: string;
      const names = ['Amina Wanjiru', 'Émile Zoé', '100% Pure Ltd', 'under_score Co', "O'Brien Kamau", 'Back\\slash'];
      before(async () => {
        const b = await server.newBusiness('List Business');
        own = b.businessId;
        secret = b.secret;
        for (const [i, name] of names.entries()) {
          const res = await server.request('POST', '/business/customer/create', {
            secret,
            body: customerBody({ name, type: i % 2 ? 'business' : 'individual', phone: `+25470000000${i}` }),
          });
          assert.equal(res.status, 201);
        }
        void own;
      });

      it('pages newest first, with pagination under both pagination and meta', async () => {
        const res = await server.request('GET', '/business/customer/list?page=1&limit=4', { secret });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.pagination, { total: 6, page: 1, limit: 4, pages: 2 });
        assert.deepEqual(withoutCursor(res.body.meta), res.body.pagination);
        assert.deepEqual(
          res.body.data.map((c: { name: string }) => c.name),
          [...names].reverse().slice(0, 4),
        );
        const second = await server.request('GET', '/business/customer/list?page=2&limit=4', { secret });
        assert.deepEqual(
          second.body.data.map((c: { name: string }) => c.name),
          [...names].reverse().slice(4),
        );
      });

      it('defaults to page 1, limit 10; clamps a limit over 100; handles limit 1 and a page past the end', async () => {
        assert.deepEqual((await server.request('GET', '/business/customer/list', { secret })).body.pagination, {
          total: 6,
          page: 1,
          limit: 10,
          pages: 1,
        });
        assert.deepEqual(
          (await server.request('GET', '/business/customer/list?limit=500', { secret })).body.pagination,
          { total: 6, page: 1, limit: 100, pages: 1 },
        );
        const one = await server.request('GET', '/business/customer/list?limit=1&page=6', { secret });
        assert.equal(one.body.data.length, 1);
        assert.equal(one.body.data[0].name, names[0]);
        assert.deepEqual(one.body.pagination, { total: 6, page: 6, limit: 1, pages: 6 });
        const past = await server.request('GET', '/business/customer/list?page=99', { secret });
        assert.equal(past.status, 200);
        assert.deepEqual(past.body.data, []);
        assert.equal(past.body.pagination.total, 6);
      });

      it('rejects a page or limit that is not a positive integer', async () => {
        for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1.5', 'limit=0', 'limit=x', 'page=1&page=2']) {
          const res = await server.request('GET', `/business/customer/list?${query}`, { secret });
          assert.equal(res.status, 400, query);
          assert.equal(res.body.success, false);
          const field = query.startsWith('page') ? 'page' : 'limit';
          assert.equal(
            res.body.errors[field],
            `${field[0].toUpperCase()}${field.slice(1)} must be a positive integer`,
            query,
          );
        }
      });

      it('searches name, email and phone case-insensitively, Unicode-aware', async () => {
        const search = async (term: string) =>
          (await server.request('GET', `/business/customer/list?search=${encodeURIComponent(term)}`, { secret })).body;
        assert.deepEqual(
          (await search('amina')).data.map((c: { name: string }) => c.name),
          ['Amina Wanjiru'],
        );
        assert.deepEqual(
          (await search('ÉMILE')).data.map((c: { name: string }) => c.name),
          ['Émile Zoé'],
        );
        assert.equal((await search('zoé')).pagination.total, 1);
        assert.equal((await search('+254700000003')).data[0].name, 'under_score Co');
        assert.equal((await search('example.com')).pagination.total, 6);
        assert.equal((await search('nothing-like-this')).pagination.total, 0);
        assert.equal((await search('nothing-like-this')).pagination.pages, 0);
      });

      it('matches %, _, quote and backslash literally', async () => {
        const names = async (term: string) =>
          (
            await server.request('GET', `/business/customer/list?search=${encodeURIComponent(term)}`, { secret })
          ).body.data.map((c: { name: string }) => c.name);
        assert.deepEqual(await names('100%'), ['100% Pure Ltd']);
        assert.deepEqual(await names('%'), ['100% Pure Ltd']);
        assert.deepEqual(await names('r_s'), ['under_score Co']);
        assert.deepEqual(await names('_'), ['under_score Co']);
        assert.deepEqual(await names("o'brien"), ["O'Brien Kamau"]);
        assert.deepEqual(await names('k\\s'), ['Back\\slash']);
      });

      it('filters by type and active, combined with AND, and rejects an unknown type', async () => {
        const business = await server.request('GET', '/business/customer/list?type=business', { secret });
        assert.equal(business.body.pagination.total, 3);
        assert.ok(business.body.data.every((c: { type: string }) => c.type === 'business'));
        const inactive = await server.request('GET', '/business/customer/list?active=false', { secret });
        assert.equal(inactive.body.pagination.total, 0);
        const both = await server.request('GET', '/business/customer/list?type=individual&active=true&search=amina', {
          secret,
        });
        assert.equal(both.body.pagination.total, 1);
        const bad = await server.request('GET', '/business/customer/list?type=company', { secret });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.errors.type, 'Type must be one of: individual, business');
      });
    });
  });
}
