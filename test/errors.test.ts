// Cross-cutting behaviour: bad bodies, unknown routes, request ids, logs, and 500s that never leak internals.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { type App, createApp } from '../src/app.js';
import { createBusiness } from '../src/modules/business/business.store.js';
import { customerBody, engines, startServer, type TestServer, testConfig } from './helpers/server.js';

for (const engine of engines()) {
  describe(`request errors [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const post = (options: Parameters<TestServer['request']>[2]) =>
      server.request('POST', '/business/customer/create', options);

    it('answers malformed JSON with 400 and names the problem', async () => {
      const res = await post({ raw: '{"name": "x",', headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
      assert.equal(res.body.error, 'Malformed JSON in request body');
    });

    it('answers a JSON body that is not an object with 400', async () => {
      for (const raw of ['[1, 2]', '"text"', '42', 'null', 'true']) {
        const res = await post({ raw, headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 400, raw);
        assert.deepEqual(res.body, { success: false, error: 'Request body must be a JSON object' }, raw);
      }
    });

    it('answers an empty or missing body with 400', async () => {
      const empty = await post({ raw: '', headers: { 'content-type': 'application/json' } });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error, 'Request body must be a JSON object');
      const none = await post({});
      assert.equal(none.status, 400);
      assert.equal(none.body.error, 'Request body must be a JSON object');
    });

    it('answers a body over 1 MiB with 400', async () => {
      const res = await post({ body: customerBody({ address: 'x'.repeat(1024 * 1024) }) });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { success: false, error: 'Request body is larger than 1 MiB' });
    });

    it('answers a body that is not JSON with 400', async () => {
      const res = await post({ raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { success: false, error: 'Content-Type must be application/json' });
    });

    it('answers a too-long field with 400 and its limit', async () => {
      const res = await post({ body: customerBody({ name: 'n'.repeat(201) }) });
      assert.equal(res.status, 400);
      assert.equal(res.body.errors.name, 'Name must be at most 200 characters');
    });

    it('rejects prototype-polluting keys instead of merging them', async () => {
      const res = await post({
        raw: '{"__proto__": {"admin": true}, "name": "x"}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.success, false);
    });

    it('answers an unknown route or method with 404 in the envelope, without asking for a secret', async () => {
      for (const [method, path] of [
        ['GET', '/nope'],
        ['GET', '/business/customer'],
        ['DELETE', '/business/customer/list'],
        // The writes and views the API leaves to the dashboard live beside the API's routes, but are never served here.
        ['POST', '/business/quote/create'],
        ['PATCH', '/business/quote/update/507f1f77bcf86cd799439011'],
        ['POST', '/business/quote/price'],
        ['POST', '/business/contract/create'],
        ['PATCH', '/business/contract/update/507f1f77bcf86cd799439011'],
        ['POST', '/business/appointment/create'],
        ['PATCH', '/business/appointment/update/507f1f77bcf86cd799439011'],
        ['POST', '/business/booking/create'],
        ['PATCH', '/business/booking/update/507f1f77bcf86cd799439011'],
        ['GET', '/business/booking/agenda'],
        ['GET', '/business/booking/slots'],
      ]) {
        const res = await server.request(method, path, { secret: null });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.success, false);
        assert.equal(res.body.error, 'Route not found');
      }
    });

    it('puts an X-Request-Id on every response, echoing a sane one and replacing anything else', async () => {
      const generated = await server.request('GET', '/business/customer/list');
      assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      const echoed = await server.request('GET', '/business/customer/list', {
        headers: { 'x-request-id': 'client-req.42' },
      });
      assert.equal(echoed.headers.get('x-request-id'), 'client-req.42');
      const insane = await server.request('GET', '/business/customer/list', {
        headers: { 'x-request-id': 'x'.repeat(300) },
      });
      assert.notEqual(insane.headers.get('x-request-id'), 'x'.repeat(300));
      for (const res of [
        await server.request('GET', '/nope'),
        await server.request('GET', '/business/customer/list', { secret: null }),
        await post({ raw: '{', headers: { 'content-type': 'application/json' } }),
      ]) {
        assert.ok(res.headers.get('x-request-id'), `status ${res.status} carries a request id`);
      }
    });
  });

  describe(`server failures [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('answers a failure inside the server with 500, the request id, and no SQL or stack', async () => {
      await sql`drop table contacts`.execute(server.db);
      const res = await server.request('GET', '/business/contact/details/507f1f77bcf86cd799439011', {
        headers: { 'x-request-id': 'trace-500' },
      });
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, {
        success: false,
        error: 'Internal server error',
        message: 'Something went wrong on our side; request id trace-500',
      });
      assert.doesNotMatch(res.text, /sqlite|contacts|select|at \w+ \(/i);
    });
  });
}

describe('logs', () => {
  let app: App;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = testConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'info' });
    app = await createApp(config, pino({ level: 'info' }, sink));
  });
  after(() => app.close());

  it('carry the request id and never the secret', async () => {
    const url = await app.listen();
    const { clientsecret } = await createBusiness(app.database.db, { name: 'Logged' });
    await fetch(`${url}/business/customer/list`, {
      headers: { authorization: clientsecret, 'x-request-id': 'log-check-1' },
    });
    await fetch(`${url}/business/customer/list`, {
      headers: { authorization: `Bearer ${clientsecret}x`, 'x-request-id': 'log-check-2' },
    });
    const mine = lines.filter((l) => l.reqId === 'log-check-1');
    assert.ok(mine.length >= 2, 'the request is logged in and out under its id');
    assert.ok(
      lines.some(
        (l) => l.reqId === 'log-check-2' && (l.res as { statusCode?: number } | undefined)?.statusCode === 401,
      ),
    );
    assert.equal(JSON.stringify(lines).includes(clientsecret.slice(3)), false);
  });
});
