// Hostile input, one focused test per kind (issue 10): each is a 400 (or 415) in the envelope naming the problem,
// identical on every engine, never a 500, an answer outside the envelope, or a value stored other than it was sent.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createQuote } from '../src/modules/quote/quote.store.js';
import { getList, makeCustomer, quoteInput, UNAUTHORIZED } from './helpers/fixtures.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/** Sends `data` on a raw TCP connection and returns all the server writes back until it closes. */
function rawHttp(url: string, data: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(data));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      received += chunk;
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer; got so far: ${received}`)));
  });
}

/** Splits a raw HTTP/1.1 response into its status and its JSON body. */
function parseRaw(response: string) {
  const [head, body] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, body: JSON.parse(body) };
}

for (const engine of engines()) {
  describe(`hostile input [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const create = (options: Parameters<TestServer['request']>[2]) =>
      server.request('POST', '/business/customer/create', options);

    it('refuses U+0000 in a body field, a search term and a path id with a 400 naming the field', async () => {
      const body = await create({ body: customerBody({ name: 'Amina\u0000 Njeri' }) });
      assert.equal(body.status, 400, body.text);
      assert.deepEqual(body.body, {
        success: false,
        error: 'There are problems with your submission',
        errors: { name: 'Name must not contain the NUL character (U+0000)' },
      });
      // Nested fields too (quote items, through the dashboard's schema on the API's shape), and unknown ones.
      const unknown = await create({ body: customerBody({ extra: 'a\u0000b' }) });
      assert.equal(unknown.status, 400, unknown.text);
      for (const term of ['a%00', 'abc%00def', '%00%00%00']) {
        const search = await server.request('GET', `/business/customer/list?search=${term}`);
        assert.equal(search.status, 400, `${term}: ${search.text}`);
        assert.deepEqual(search.body, {
          success: false,
          error: 'Invalid query parameters',
          errors: { search: 'Search must not contain the NUL character (U+0000)' },
        });
      }
      const id = await server.request('GET', '/business/customer/details/507f1f77bcf86cd79943%00011');
      assert.deepEqual([id.status, id.body], [400, { success: false, error: 'Invalid customer ID format' }]);
      const lead = await server.request('POST', '/business/lead/create', {
        body: { name: 'Lead', email: 'lead.nul@example.com', phone: '+254700000000', company: 'A\u0000B' },
      });
      assert.equal(lead.status, 400, lead.text);
      assert.equal(lead.body.errors.company, 'Company must not contain the NUL character (U+0000)');
      assert.equal((await getList(server, '/business/customer/list')).pagination.total, 0, 'nothing was stored');
    });

    it('refuses a body nested deeper than 32 levels with a 400, on the API and the dashboard sign-in', async () => {
      const deep = `{"name":${'['.repeat(3000)}${']'.repeat(3000)}}`;
      const expected = { success: false, error: 'Request body is nested too deeply (more than 32 levels)' };
      const api = await create({ raw: deep, headers: JSON_TYPE });
      assert.deepEqual([api.status, api.body], [400, expected]);
      const session = await server.request('POST', '/dashboard/api/session', {
        raw: deep,
        headers: JSON_TYPE,
        secret: null,
      });
      assert.deepEqual([session.status, session.body], [400, expected]);
      // Within the limit, an unknown nested field is ignored as any unknown field is.
      const shallow = await create({ body: customerBody({ extra: JSON.parse(`${'['.repeat(30)}${']'.repeat(30)}`) }) });
      assert.equal(shallow.status, 201, shallow.text);
    });

    it('answers long ids, bad URLs, oversized headers and bad Content-Length in the envelope', async () => {
      for (const length of [99, 101, 5000]) {
        const path = `/business/customer/details/${'a'.repeat(length)}`;
        const anonymous = await server.request('GET', path, { secret: null });
        assert.deepEqual([anonymous.status, anonymous.body], [401, UNAUTHORIZED], `${length}`);
        const signed = await server.request('GET', path);
        assert.deepEqual(
          [signed.status, signed.body],
          [400, { success: false, error: 'Invalid customer ID format' }],
          `${length}`,
        );
      }
      const badUrl = await server.request('GET', '/business/customer/details/%zz');
      assert.deepEqual(
        [badUrl.status, badUrl.body],
        [400, { success: false, error: 'The URL is not valid percent-encoded UTF-8' }],
      );
      const big = parseRaw(
        await rawHttp(server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`),
      );
      assert.deepEqual([big.status, big.body], [431, { success: false, error: 'Request headers are too large' }]);
      assert.match(big.head, /content-type: application\/json/i);
      const length = parseRaw(
        await rawHttp(server.url, 'POST /business/customer/create HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
      );
      assert.deepEqual([length.status, length.body], [400, { success: false, error: 'Content-Length is not valid' }]);
      const garbage = parseRaw(await rawHttp(server.url, 'NOT HTTP AT ALL\r\n\r\n'));
      assert.deepEqual([garbage.status, garbage.body], [400, { success: false, error: 'Malformed HTTP request' }]);
    });

    it('answers a request that arrives during shutdown with a 503 in the envelope', async () => {
      const closing = await startServer(engine);
      const { hostname, port } = new URL(closing.url);
      const socket = connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      // Half a request keeps the connection busy, so shutdown waits for it instead of closing it as idle.
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk) => {
        received += chunk;
      });
      const ended = new Promise((resolve) => socket.once('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const closed = closing.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.write('\r\n');
      await ended;
      await closed;
      const answer = parseRaw(received);
      assert.equal(answer.status, 503, received);
      assert.equal(answer.body.success, false);
      assert.equal(answer.body.error, 'Service unavailable');
    });

    it('accepts only plain decimal digits for page and limit', async () => {
      const cases: [string, string, string][] = [
        ['page', '0x10', 'Page must be a positive integer'],
        ['page', '%201', 'Page must be a positive integer'],
        ['page', '1.0', 'Page must be a positive integer'],
        ['page', '', 'Page must be a positive integer'],
        ['limit', '1e2', 'Limit must be a positive integer'],
        ['limit', 'Infinity', 'Limit must be a positive integer'],
        ['limit', '+5', 'Limit must be a positive integer'],
      ];
      for (const [name, value, message] of cases) {
        const res = await server.request('GET', `/business/customer/list?${name}=${value}`);
        assert.equal(res.status, 400, `${name}=${value}: ${res.text}`);
        assert.deepEqual(res.body, { success: false, error: 'Invalid query parameters', errors: { [name]: message } });
      }
      const plain = await getList(server, '/business/customer/list?page=2&limit=007');
      assert.deepEqual([plain.pagination.page, plain.pagination.limit], [2, 7]);
    });

    it('refuses invalid UTF-8, lone surrogates and compressed bodies instead of storing something else', async () => {
      const before = (await getList(server, '/business/customer/list')).pagination.total;
      const sent = JSON.stringify(customerBody({ name: 'Zawadi XX' }));
      const bytes = Buffer.from(sent);
      const at = bytes.indexOf('XX');
      bytes[at] = 0xff;
      bytes[at + 1] = 0xfe;
      const utf8 = await create({ raw: bytes, headers: JSON_TYPE });
      assert.deepEqual([utf8.status, utf8.body], [400, { success: false, error: 'Request body is not valid UTF-8' }]);
      const lone = await create({ raw: sent.replace('XX', '\\ud800'), headers: JSON_TYPE });
      assert.equal(lone.status, 400, lone.text);
      assert.deepEqual(lone.body.errors, { name: 'Name must be valid Unicode text (it contains a lone surrogate)' });
      // A query value that is not percent-encoded UTF-8 is read as the literal text sent, never as U+FFFD.
      const search = await getList(server, '/business/customer/list?search=%ED%A0%80abc');
      assert.equal(search.pagination.total, 0);
      const gzip = await create({ raw: sent, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' } });
      assert.deepEqual(
        [gzip.status, gzip.body],
        [415, { success: false, error: 'Content-Encoding is not supported: send the request body uncompressed' }],
      );
      assert.equal((await getList(server, '/business/customer/list')).pagination.total, before, 'nothing was stored');
      // A well-formed pair (an emoji) is stored and read back exactly as sent.
      const emoji = await create({ body: customerBody({ name: 'Zawadi 😀' }) });
      assert.equal(emoji.status, 201, emoji.text);
      const read = await server.request('GET', `/business/customer/details/${emoji.body.data._id}`);
      assert.equal(read.body.data.name, 'Zawadi 😀');
    });

    it('reads an id in either case alike in paths and in filters', async () => {
      const customer = await makeCustomer(server);
      const quote = await createQuote(
        server.db,
        server.businessId,
        quoteInput({ customerid: customer._id }),
        'dashboard',
      );
      const upper = customer._id.toUpperCase();
      const path = await server.request('GET', `/business/customer/details/${upper}`);
      assert.equal(path.status, 200, path.text);
      assert.equal(path.body.data._id, customer._id);
      const filtered = await getList(server, `/business/quote/list?customerid=${upper}`);
      assert.deepEqual(
        filtered.data.map((q) => q._id),
        [quote._id],
      );
      const lower = await getList(server, `/business/quote/list?customerid=${customer._id}`);
      assert.deepEqual(lower.data, filtered.data);
    });

    it('documents what the server does: unknown fields ignored, the id pattern, trimming and its headers', async () => {
      const doc = (await server.request('GET', '/openapi.json', { secret: null })).body;
      const create = doc.paths['/business/customer/create'].post;
      const body = create.requestBody.content['application/json'].schema;
      assert.notEqual(body.additionalProperties, false, 'unknown body fields are ignored, not forbidden');
      const ignored = await server.request('POST', '/business/customer/create', {
        body: customerBody({ name: '  Trimmed  ', unknownfield: 1 }),
      });
      assert.equal(ignored.status, 201);
      assert.equal(ignored.body.data.name, 'Trimmed');
      assert.match(create.requestBody.description, /trimmed/);
      assert.ok(
        create.parameters.some((p: any) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'),
        'Idempotency-Key is a documented header of a create',
      );
      const id = doc.paths['/business/customer/details/{id}'].get.parameters.find((p: any) => p.name === 'id');
      assert.equal(new RegExp(id.schema.pattern).test('507f1f77bcf86cd799439011'), true);
      assert.equal(new RegExp(id.schema.pattern).test('x'.repeat(24)), false);
      const responses = create.responses;
      for (const header of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'])
        assert.ok(responses['201'].headers[header], `${header} on 201`);
      assert.ok(responses['429'].headers['Retry-After'], 'Retry-After on 429');
      for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'])
        assert.ok(ignored.headers.get(header), `${header} is sent`);
    });
  });
}
