// Keys that can do less [ext]: scopes per resource (read, write which includes read), publishable keys that only
// create leads from their origins with CORS, limited per client address too; last use; the CLI. Both engines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { OPERATION_SCOPES, PUBLISHABLE_OPERATIONS } from '../src/http/authorize.js';
import { createCredential, listCredentials } from '../src/modules/business/business.store.js';
import { staffOf } from './e2e/session.js';
import { UNKNOWN_ID } from './helpers/fixtures.js';
import { customerBody, engines, sqlite, startServer, type TestServer } from './helpers/server.js';
import { mteja } from './helpers/spawn.js';

const SHOP = 'https://shop.example.com';
const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

describe('the scope table', () => {
  it('names every /business operation with the resource of its URL, reading on GET and writing otherwise', () => {
    for (const [path, operations] of Object.entries<Record<string, { operationId: string }>>(doc.paths)) {
      const match = /^\/business\/([a-z]+)\//.exec(path);
      if (!match) continue;
      for (const [method, { operationId }] of Object.entries(operations)) {
        const scope = OPERATION_SCOPES[operationId];
        assert.ok(scope, `${operationId} (${method} ${path}) has no scope in src/http/authorize.ts`);
        assert.deepEqual(scope, [`${match[1]}s`, method === 'get' ? 'read' : 'write'], operationId);
      }
    }
    for (const [operationId, { method, url }] of Object.entries(PUBLISHABLE_OPERATIONS)) {
      assert.equal(doc.paths[url]?.[method.toLowerCase()]?.operationId, operationId, `${method} ${url}`);
    }
  });
});

for (const engine of engines()) {
  describe(`keys that can do less [${engine.name}]`, () => {
    let server: TestServer;
    let customerId: string;
    before(async () => {
      server = await startServer(engine, { PUBLISHABLE_RATE_LIMIT: '4/1000/10000' });
      const res = await server.request('POST', '/business/customer/create', { body: customerBody() });
      customerId = res.body.data._id;
    });
    after(() => server.close());

    const key = async (input: Parameters<typeof createCredential>[2]) =>
      (await createCredential(server.db, server.businessId, input)).clientsecret;

    it('lets a scoped key read and write only what its scopes name, write including read', async () => {
      const secret = await key({ scopes: ['customers:read', 'leads:write'] });
      const as = (method: string, path: string, body?: unknown) => server.request(method, path, { secret, body });
      assert.equal((await as('GET', '/business/customer/list')).status, 200);
      assert.equal((await as('GET', `/business/customer/details/${customerId}`)).status, 200);
      for (const [method, path] of [
        ['POST', '/business/customer/create'],
        ['PATCH', `/business/customer/update/${customerId}`],
      ]) {
        const res = await as(method, path, { name: 'Changed' });
        assert.equal(res.status, 403, path);
        assert.deepEqual(res.body, { success: false, error: 'This key may not write customers' });
      }
      const lead = await as('POST', '/business/lead/create', { name: 'Scoped Lead', email: 'scoped@example.com' });
      assert.equal(lead.status, 201, lead.text);
      assert.equal((await as('GET', '/business/lead/list')).status, 200, 'write includes read');
      assert.equal((await as('GET', `/business/lead/details/${lead.body.data._id}`)).status, 200);
      assert.equal(
        (await as('PATCH', `/business/lead/update/${lead.body.data._id}`, { status: 'contacted' })).status,
        200,
      );
      for (const resource of ['contact', 'quote', 'contract', 'booking', 'appointment']) {
        const res = await as('GET', `/business/${resource}/list`);
        assert.equal(res.status, 403, resource);
        assert.deepEqual(res.body, { success: false, error: `This key may not read ${resource}s` });
        const details = await as('GET', `/business/${resource}/details/${UNKNOWN_ID}`);
        assert.equal(details.status, 403, `no 404 tells a ${resource} exists`);
      }
      const contact = await as('POST', '/business/contact/create', { name: 'C', email: 'c@example.com' });
      assert.deepEqual(contact.body, { success: false, error: 'This key may not write contacts' });

      const reader = await key({ scopes: ['leads:read'] });
      const write = await server.request('POST', '/business/lead/create', { secret: reader, body: { name: 'No' } });
      assert.deepEqual([write.status, write.body.error], [403, 'This key may not write leads']);
      const full = await key({ scopes: ['*'] });
      assert.equal((await server.request('GET', '/business/contact/list', { secret: full })).status, 200);
    });

    it('lets a publishable key create leads from its origins only, with CORS, and never read', async () => {
      const pk = await key({ type: 'publishable', origins: [SHOP, 'https://other.example.com'] });
      assert.match(pk, /^pk_/);
      const post = (origin: string | undefined, body: unknown = { name: 'Web Lead', email: 'web@example.com' }) =>
        server.request('POST', '/business/lead/create', {
          secret: pk,
          body,
          headers: origin ? { origin } : {},
        });

      const preflight = await server.request('OPTIONS', '/business/lead/create', {
        secret: null,
        headers: {
          origin: SHOP,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      assert.equal(preflight.status, 204, preflight.text);
      assert.equal(preflight.headers.get('access-control-allow-origin'), SHOP);
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST');
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
      for (const [origin, method, path] of [
        ['https://evil.example', 'POST', '/business/lead/create'],
        [SHOP, 'GET', '/business/lead/list'],
        [SHOP, 'POST', '/business/customer/create'],
      ]) {
        const refused = await server.request('OPTIONS', path, {
          secret: null,
          headers: { origin, 'access-control-request-method': method },
        });
        assert.equal(refused.status, 403, `${origin} ${method} ${path}`);
        assert.equal(refused.headers.get('access-control-allow-origin'), null);
        assert.equal(refused.body.success, false);
      }

      const made = await post(SHOP);
      assert.equal(made.status, 201, made.text);
      assert.equal(made.body.data.name, 'Web Lead');
      assert.equal(made.headers.get('access-control-allow-origin'), SHOP);
      assert.match(made.headers.get('vary') ?? '', /Origin/);
      assert.match(made.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);
      const invalid = await post(SHOP, { email: 'no-name@example.com' });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.headers.get('access-control-allow-origin'), SHOP, 'the page can read why');

      const elsewhere = await post('https://evil.example');
      assert.deepEqual(
        [elsewhere.status, elsewhere.body.error],
        [403, 'This key may not be used from https://evil.example'],
      );
      assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
      const noOrigin = await post(undefined);
      assert.equal(noOrigin.status, 403);
      assert.match(noOrigin.body.error, /only from a browser page on one of its origins/);

      const headers = { origin: SHOP };
      const list = await server.request('GET', '/business/lead/list', { secret: pk, headers });
      assert.deepEqual([list.status, list.body], [403, { success: false, error: 'This key may not read leads' }]);
      const details = await server.request('GET', `/business/lead/details/${made.body.data._id}`, {
        secret: pk,
        headers,
      });
      assert.equal(details.status, 403);
      const update = await server.request('PATCH', `/business/lead/update/${made.body.data._id}`, {
        secret: pk,
        headers,
        body: { status: 'contacted' },
      });
      assert.deepEqual([update.status, update.body.error], [403, 'This key may not write leads']);
      const customers = await server.request('GET', '/business/customer/list', { secret: pk, headers });
      assert.deepEqual([customers.status, customers.body.error], [403, 'This key may not read customers']);

      // A secret key from a page on another site is refused before anything is written, and never gets CORS.
      const leadsBefore = (await server.request('GET', '/business/lead/list')).body.meta.total;
      for (const [method, path, body] of [
        ['GET', '/business/lead/list', undefined],
        ['POST', '/business/lead/create', { name: 'From a page' }],
      ] as const) {
        const secretKey = await server.request(method, path, { headers, body });
        assert.deepEqual(
          [secretKey.status, secretKey.body.error],
          [403, 'A secret key may not be used from a web page on another site: use a publishable key'],
        );
        assert.equal(secretKey.headers.get('access-control-allow-origin'), null, 'a secret key never gets CORS');
      }
      assert.equal((await server.request('GET', '/business/lead/list')).body.meta.total, leadsBefore);
      const sameSite = await server.request('GET', '/business/lead/list', { headers: { origin: server.url } });
      assert.equal(sameSite.status, 200, 'pages of this server (/docs) may use it');
    });

    it('limits a publishable key per client address as well as per business', async () => {
      const pk = await key({ type: 'publishable', origins: [SHOP] });
      // Start at a new second: earlier tests' creates from this address counted in the one before, and the burst falls
      // in one one-second window.
      await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
      const burst = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          server.request('POST', '/business/lead/create', {
            secret: pk,
            headers: { origin: SHOP },
            body: { name: `Burst ${i}` },
          }),
        ),
      );
      const statuses = burst.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429, 429]);
      const limited = burst.find((r) => r.status === 429)!;
      assert.equal(limited.body.error, 'Rate limit exceeded. Please try again later.');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal(limited.headers.get('access-control-allow-origin'), SHOP, 'the page can read the 429');
      // The business's secret keys are not held back by its visitors.
      assert.equal((await server.request('GET', '/business/lead/list')).status, 200);
    });

    it('makes scoped and publishable keys from the dashboard, refusing what cannot be, and lists them', async () => {
      const staff = await staffOf(server, server.businessId, `Keys ${engine.name}`);
      const scoped = await staff.request('POST', '/credential/create', { name: 'Reader', scopes: ['customers:read'] });
      assert.equal(scoped.status, 201, scoped.text);
      assert.deepEqual(scoped.body.data.scopes, ['customers:read']);
      const secret = scoped.body.data.clientsecret;
      assert.equal((await server.request('GET', '/business/customer/list', { secret })).status, 200);
      assert.equal((await server.request('GET', '/business/lead/list', { secret })).status, 403);
      const pk = await staff.request('POST', '/credential/create', {
        name: 'Site form',
        type: 'publishable',
        origins: ['https://Form.Example.com:443'],
      });
      assert.equal(pk.status, 201, pk.text);
      assert.match(pk.body.data.clientsecret, /^pk_/);
      assert.deepEqual(pk.body.data.origins, ['https://form.example.com']);
      for (const [body, field] of [
        [{ type: 'publishable' }, 'origins'],
        [{ type: 'publishable', origins: [SHOP], scopes: ['leads:write'] }, 'scopes'],
        [{ origins: [SHOP] }, 'origins'],
        [{ scopes: ['customers:delete'] }, 'scopes.0'],
        [{ type: 'publishable', origins: ['https://shop.example.com/form'] }, 'origins.0'],
      ] as const) {
        const refused = await staff.request('POST', '/credential/create', body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.ok(refused.body.errors[field], `${JSON.stringify(body)}: ${refused.text}`);
      }
      const listed = (await staff.request('GET', '/credential/list')).body.data;
      const site = listed.find((c: { clientid: string }) => c.clientid === pk.body.data.clientid);
      assert.deepEqual(
        [site.type, site.scopes, site.origins],
        ['publishable', ['leads:create'], ['https://form.example.com']],
      );

      // Revoked, its origin is no longer answered a preflight.
      const preflight = () =>
        server.request('OPTIONS', '/business/lead/create', {
          secret: null,
          headers: { origin: 'https://form.example.com', 'access-control-request-method': 'POST' },
        });
      assert.equal((await preflight()).status, 204);
      await staff.request('POST', `/credential/revoke/${site.clientid}`, {});
      assert.equal((await preflight()).status, 403);
    });

    it('notes when each key was last used', async () => {
      const used = await createCredential(server.db, server.businessId, { name: 'Used' });
      const unused = await createCredential(server.db, server.businessId, { name: 'Unused' });
      const before = new Date().toISOString();
      await server.request('GET', '/business/lead/list', { secret: used.clientsecret });
      await server.request('GET', '/business/lead/list', { secret: used.clientsecret });
      let listed = await listCredentials(server.db, server.businessId);
      for (let i = 0; i < 50 && !listed.find((c) => c.clientid === used.credential.clientid)?.lastusedat; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        listed = await listCredentials(server.db, server.businessId);
      }
      const seen = listed.find((c) => c.clientid === used.credential.clientid)!;
      assert.ok(seen.lastusedat && seen.lastusedat >= before, JSON.stringify(seen));
      assert.equal(listed.find((c) => c.clientid === unused.credential.clientid)?.lastusedat, null);
    });
  });
}

describe('mteja keys [sqlite]', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(sqlite);
  });
  after(() => server.close());

  it('creates scoped and publishable keys and lists their scopes, type, origins and last use', async () => {
    const env = { ...process.env, DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent', MTEJA_DEMO: 'false' };
    const business = ['--business', server.businessId];
    const [scoped, publishable, refused] = await Promise.all([
      mteja(['keys', 'create', ...business, '--scopes', 'customers:read,leads:write', '--json'], env),
      mteja(
        ['keys', 'create', ...business, '--type', 'publishable', '--origins', 'https://Shop.Example.com:443', '--json'],
        env,
      ),
      mteja(['keys', 'create', ...business, '--type', 'publishable'], env).catch((error) => error),
    ]);
    const made = JSON.parse(scoped.stdout).credential;
    assert.deepEqual(made.scopes, ['customers:read', 'leads:write']);
    assert.match(made.clientsecret, /^cs_/);
    const pk = JSON.parse(publishable.stdout).credential;
    assert.match(pk.clientsecret, /^pk_/);
    assert.deepEqual([pk.type, pk.origins], ['publishable', [SHOP]]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--origins: A publishable key needs at least one origin/);

    await server.request('GET', '/business/customer/list', { secret: made.clientsecret });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const listed = JSON.parse((await mteja(['keys', 'list', ...business, '--json'], env)).stdout);
    const row = listed.find((c: { clientid: string }) => c.clientid === made.clientid);
    assert.deepEqual(row.scopes, ['customers:read', 'leads:write']);
    assert.equal(typeof row.lastusedat, 'string');
    const pkRow = listed.find((c: { clientid: string }) => c.clientid === pk.clientid);
    assert.deepEqual(
      [pkRow.type, pkRow.origins, pkRow.scopes, pkRow.lastusedat],
      ['publishable', [SHOP], ['leads:create'], null],
    );
    const table = (await mteja(['keys', 'list', ...business], env)).stdout;
    assert.match(table, /SCOPES.*ORIGINS.*LASTUSED/);
    assert.match(table, /customers:read,leads:write/);
  });
});
