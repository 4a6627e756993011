// Contract suite: /business/contact/* (create, list, details; update as an extension), over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withoutCursor } from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

const PROBLEMS = 'There are problems with your submission';

let sequence = 0;
function contactBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return { name: `Contact ${sequence}`, email: `contact${sequence}.${process.pid}@contacts.example`, ...overrides };
}

for (const engine of engines()) {
  describe(`contacts [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const create = async (body: Record<string, unknown>, secret?: string) => {
      const res = await server.request('POST', '/business/contact/create', { body, secret });
      assert.equal(res.status, 201, res.text);
      return res.body.data;
    };
    const details = async (id: string) => (await server.request('GET', `/business/contact/details/${id}`)).body.data;

    describe('POST /business/contact/create', () => {
      it('creates a contact with 201 and returns the whole record', async () => {
        const body = {
          name: 'Jane Wanjiku',
          email: 'jane@acme.example',
          phone: '+254712345678',
          position: 'Procurement Manager',
          companyname: 'Acme Corp',
        };
        const res = await server.request('POST', '/business/contact/create', { body });
        assert.equal(res.status, 201);
        assert.equal(res.body.success, true);
        assert.equal(res.body.message, 'Contact created successfully');
        const { _id, createdat, updatedat, ...rest } = res.body.data;
        assert.match(_id, /^[0-9a-f]{24}$/);
        assert.match(createdat, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.equal(updatedat, createdat);
        assert.deepEqual(rest, { ...body, active: true, sourceorigin: 'api' });
      });

      it('needs only a name; unset or blank optional fields are null, strings are trimmed, unknown fields ignored', async () => {
        const bare = await create({ name: 'Just A Name' });
        assert.deepEqual(
          { email: bare.email, phone: bare.phone, position: bare.position, companyname: bare.companyname },
          { email: null, phone: null, position: null, companyname: null },
        );
        const padded = await create(
          contactBody({ name: '  Padded  ', position: '  ', companyname: ' Trim Co ', nickname: 'x' }),
        );
        assert.equal(padded.name, 'Padded');
        assert.equal(padded.position, null);
        assert.equal(padded.companyname, 'Trim Co');
        assert.equal('nickname' in padded, false);
      });

      it('answers a missing or blank name in the customer envelope', async () => {
        for (const body of [{}, { email: 'a@contacts.example' }, { name: '   ' }, { name: null }]) {
          const res = await server.request('POST', '/business/contact/create', { body });
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.deepEqual(res.body, { success: false, error: PROBLEMS, errors: { name: 'Name is required' } });
        }
      });

      it('rejects a bad email and a wrong-typed field, naming each field', async () => {
        const res = await server.request('POST', '/business/contact/create', {
          body: { name: '', email: 'not-an-email', phone: 254712345678 },
        });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          success: false,
          error: PROBLEMS,
          errors: {
            name: 'Name is required',
            email: 'Email is not a valid email address',
            phone: 'Phone must be a string',
          },
        });
      });
    });

    describe('GET /business/contact/details/:id', () => {
      it('returns the record', async () => {
        const made = await create(
          contactBody({ phone: '+254700000100', position: 'Buyer', companyname: 'Details Ltd' }),
        );
        const res = await server.request('GET', `/business/contact/details/${made._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: made });
      });

      it("answers 400 for a malformed id and 404 for an unknown one or another business's", async () => {
        const bad = await server.request('GET', '/business/contact/details/not-an-id');
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body, { success: false, error: 'Invalid contact ID format' });
        const short = await server.request('GET', '/business/contact/details/507f1f77bcf86cd79943901');
        assert.deepEqual([short.status, short.body.error], [400, 'Invalid contact ID format']);
        const missing = await server.request('GET', '/business/contact/details/507f1f77bcf86cd799439011');
        assert.equal(missing.status, 404);
        assert.deepEqual(missing.body, { success: false, error: 'Contact not found' });
        const other = await server.newBusiness();
        const theirs = await create(contactBody(), other.secret);
        const res = await server.request('GET', `/business/contact/details/${theirs._id}`);
        assert.deepEqual([res.status, res.body], [404, { success: false, error: 'Contact not found' }]);
      });
    });

    describe('PATCH /business/contact/update/:id (extension)', () => {
      it('changes only the fields sent and reports modified: 1', async () => {
        const made = await create(
          contactBody({ phone: '+254700000200', position: 'Buyer', companyname: 'Old Name Ltd' }),
        );
        const res = await server.request('PATCH', `/business/contact/update/${made._id}`, {
          body: { position: 'Head of Buying', companyname: 'Renamed Holdings' },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {
          success: true,
          message: 'Contact updated successfully',
          data: { _id: made._id, modified: 1 },
        });
        const now = await details(made._id);
        assert.deepEqual(
          { ...now, updatedat: made.updatedat },
          { ...made, position: 'Head of Buying', companyname: 'Renamed Holdings' },
        );
        assert.ok(now.updatedat >= made.updatedat);
        const search = async (term: string) =>
          (await server.request('GET', `/business/contact/list?search=${encodeURIComponent(term)}`)).body.data.map(
            (c: { _id: string }) => c._id,
          );
        assert.deepEqual(await search('renamed holdings'), [made._id], 'search follows the new company name');
        assert.deepEqual(await search('old name ltd'), []);
      });

      it('reports modified: 0 when every sent value equals the stored one, leaving updatedat alone', async () => {
        const made = await create(contactBody({ position: 'Buyer' }));
        const res = await server.request('PATCH', `/business/contact/update/${made._id}`, {
          body: { position: 'Buyer', name: made.name },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.data, { _id: made._id, modified: 0 });
        assert.deepEqual(await details(made._id), made);
      });

      it('clears an optional field with null and deactivates with active: false', async () => {
        const made = await create(contactBody({ position: 'Buyer', phone: '+254700000300' }));
        const res = await server.request('PATCH', `/business/contact/update/${made._id}`, {
          body: { position: null, email: null, active: false },
        });
        assert.equal(res.body.data.modified, 1);
        const now = await details(made._id);
        assert.equal(now.position, null);
        assert.equal(now.email, null);
        assert.equal(now.active, false);
        assert.equal(now.phone, '+254700000300');
      });

      it('rejects a blanked name and a bad email in the customer envelope, changing nothing', async () => {
        const made = await create(contactBody());
        const res = await server.request('PATCH', `/business/contact/update/${made._id}`, {
          body: { name: '', email: 'nope' },
        });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          success: false,
          error: PROBLEMS,
          errors: { name: 'Name is required', email: 'Email is not a valid email address' },
        });
        assert.deepEqual(await details(made._id), made);
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        const bad = await server.request('PATCH', '/business/contact/update/xyz', { body: { position: 'A' } });
        assert.deepEqual([bad.status, bad.body], [400, { success: false, error: 'Invalid contact ID format' }]);
        const missing = await server.request('PATCH', '/business/contact/update/507f1f77bcf86cd799439011', {
          body: { position: 'A' },
        });
        assert.deepEqual([missing.status, missing.body], [404, { success: false, error: 'Contact not found' }]);
      });
    });

    describe('GET /business/contact/list', () => {
      let secret: string;
      const contacts = [
        { name: 'Amina Wanjiru', companyname: 'Acme Corp', position: 'needle-in-position' },
        { name: 'Émile Zoé', companyname: 'Zoé et Fils' },
        { name: '100% Pure Ltd' },
        { name: 'under_score Co' },
        { name: "O'Brien Kamau" },
        { name: 'Москва Trading' },
      ];
      const newestFirst = contacts.map((c) => c.name).reverse();
      const list = async (query: string) =>
        (await server.request('GET', `/business/contact/list?${query}`, { secret })).body;
      const search = async (term: string) =>
        (await list(`search=${encodeURIComponent(term)}`)).data.map((c: { name: string }) => c.name);
      before(async () => {
        secret = (await server.newBusiness('Contact List Business')).secret;
        for (const [i, c] of contacts.entries())
          await create({ ...c, email: `c${i}@contacts.example`, phone: `+25472200000${i}` }, secret);
      });

      it('pages newest first with pagination under both pagination and meta', async () => {
        const first = await list('page=1&limit=4');
        assert.equal(first.success, true);
        assert.deepEqual(first.pagination, { total: 6, page: 1, limit: 4, pages: 2 });
        assert.deepEqual(withoutCursor(first.meta), first.pagination);
        assert.deepEqual(
          first.data.map((c: { name: string }) => c.name),
          newestFirst.slice(0, 4),
        );
        assert.deepEqual(
          (await list('page=2&limit=4')).data.map((c: { name: string }) => c.name),
          newestFirst.slice(4),
        );
        assert.deepEqual(Object.keys(first.data[0]).sort(), [
          '_id',
          'active',
          'companyname',
          'createdat',
          'email',
          'name',
          'phone',
          'position',
          'sourceorigin',
          'updatedat',
        ]);
      });

      it('defaults to page 1, limit 10; clamps limit to 100; handles limit 1 and a page past the end', async () => {
        assert.deepEqual((await list('')).pagination, { total: 6, page: 1, limit: 10, pages: 1 });
        assert.deepEqual((await list('limit=101')).pagination, { total: 6, page: 1, limit: 100, pages: 1 });
        const one = await list('limit=1&page=6');
        assert.deepEqual(
          one.data.map((c: { name: string }) => c.name),
          ['Amina Wanjiru'],
        );
        assert.deepEqual(one.pagination, { total: 6, page: 6, limit: 1, pages: 6 });
        const past = await list('page=7&limit=1');
        assert.deepEqual(past.data, []);
        assert.deepEqual(past.pagination, { total: 6, page: 7, limit: 1, pages: 6 });
      });

      it('rejects a page or limit that is not a positive integer', async () => {
        for (const query of ['page=0', 'limit=-5', 'limit=ten']) {
          const res = await server.request('GET', `/business/contact/list?${query}`, { secret });
          assert.equal(res.status, 400, query);
          const field = query.split('=')[0];
          assert.deepEqual(
            res.body.errors,
            { [field]: `${field[0].toUpperCase()}${field.slice(1)} must be a positive integer` },
            query,
          );
        }
      });

      it('searches name, email, phone and companyname, and not position', async () => {
        assert.deepEqual(await search('AMINA'), ['Amina Wanjiru']);
        assert.deepEqual(await search('acme corp'), ['Amina Wanjiru'], 'companyname');
        assert.deepEqual(await search('c4@contacts'), ["O'Brien Kamau"], 'email');
        assert.deepEqual(await search('+254722000003'), ['under_score Co'], 'phone');
        assert.equal((await list('search=contacts.example')).pagination.total, 6);
        assert.deepEqual(await search('needle-in-position'), []);
      });

      it('matches %, _ and quote literally and non-ASCII text case-insensitively', async () => {
        assert.deepEqual(await search('%'), ['100% Pure Ltd']);
        assert.deepEqual(await search('_'), ['under_score Co']);
        assert.deepEqual(await search("o'b"), ["O'Brien Kamau"]);
        assert.deepEqual(await search('ZOÉ'), ['Émile Zoé']);
        assert.deepEqual(await search('москва'), ['Москва Trading']);
        const none = await list('search=nothing-like-this');
        assert.deepEqual(none.data, []);
        assert.deepEqual(none.pagination, { total: 0, page: 1, limit: 10, pages: 0 });
      });
    });
  });
}
