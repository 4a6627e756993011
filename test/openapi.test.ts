// The OpenAPI document: generated from the route schemas, committed as openapi.json, served at /openapi.json and /docs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openapiDocument } from '../src/cli/openapi.js';
import { startServer, type TestServer } from './helpers/server.js';

const COMMITTED = new URL('../../openapi.json', import.meta.url);

describe('OpenAPI', () => {
  let server: TestServer;
  let doc: any;
  before(async () => {
    server = await startServer();
    doc = await openapiDocument();
  });
  after(() => server.close());

  it('matches the committed openapi.json (run `npm run openapi` after changing a route)', () => {
    assert.deepEqual(JSON.parse(readFileSync(COMMITTED, 'utf8')), doc);
  });

  it('is OpenAPI 3.1 with every contract endpoint, each with an operation id, tags and error responses', () => {
    assert.equal(doc.openapi, '3.1.0');
    const expected = [
      'post /business/customer/create',
      'get /business/customer/list',
      'get /business/customer/details/{id}',
      'patch /business/customer/update/{id}',
      'post /business/lead/create',
      'get /business/lead/list',
      'get /business/lead/details/{id}',
      'patch /business/lead/update/{id}',
      'post /business/lead/convert/{id}',
      'post /business/contact/create',
      'get /business/contact/list',
      'get /business/contact/details/{id}',
      'patch /business/contact/update/{id}',
      'get /business/quote/list',
      'get /business/quote/details/{id}',
      'get /business/contract/list',
      'get /business/contract/details/{id}',
      'get /business/booking/list',
      'get /business/booking/details/{id}',
      'get /business/appointment/list',
      'get /business/appointment/details/{id}',
      'get /business/event/list',
      'get /business/event/details/{id}',
      'get /healthz',
      'get /readyz',
      'get /book/{business}/{type}/slots',
      'post /book/{business}/{type}',
      'get /book/_/manage/{token}/booking',
      'get /book/_/manage/{token}/slots',
      'post /book/_/manage/{token}/cancel',
      'post /book/_/manage/{token}/move',
    ];
    const actual = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((m) => `${m} ${path}`),
    );
    assert.deepEqual(actual.sort(), expected.sort());
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, any>)) {
        assert.ok(op.operationId, `${method} ${path} has an operationId`);
        assert.ok(op.tags?.length, `${method} ${path} has tags`);
        if (!path.startsWith('/business/')) {
          assert.deepEqual(op.security, [], `${method} ${path} needs no secret`);
          continue;
        }
        assert.ok(op.responses['401'] && op.responses['429'], `${method} ${path} documents 401 and 429`);
        if (path.includes('{id}'))
          assert.ok(op.responses['404'] && op.responses['400'], `${method} ${path} documents 400 and 404`);
      }
    }
  });

  it('tags the extensions, and only them, as extension', () => {
    const tagged = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, any>)
        .filter(([, op]) => op.tags.includes('extension'))
        .map(([m]) => `${m} ${path}`),
    );
    assert.deepEqual(
      tagged.sort(),
      [
        'get /business/event/list',
        'get /business/event/details/{id}',
        'get /business/lead/details/{id}',
        'patch /business/contact/update/{id}',
        'patch /business/lead/update/{id}',
        'post /business/lead/convert/{id}',
      ].sort(),
    );
  });

  it('documents fields and enums from the schemas', () => {
    const lead =
      doc.paths['/business/lead/list'].get.responses['200'].content['application/json'].schema.properties.data.items;
    assert.deepEqual(lead.properties.status.enum, ['new', 'contacted', 'qualified', 'converted', 'lost']);
    const create = doc.paths['/business/customer/create'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(create.required, ['name', 'email', 'phone', 'country', 'currency']);
    assert.equal(doc.components.securitySchemes.clientSecret.name, 'Authorization');
  });

  it('is served at /openapi.json and browsable at /docs with bundled assets', async () => {
    const served = await server.request('GET', '/openapi.json', { secret: null });
    assert.equal(served.status, 200);
    assert.deepEqual(served.body, doc);
    const page = await server.request('GET', '/docs/', { secret: null });
    assert.equal(page.status, 200);
    assert.match(page.text, /<html/i);
    const external = [...page.text.matchAll(/(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(external, [], 'no asset comes from another host');
    for (const asset of [...page.text.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1])) {
      const res = await fetch(`${server.url}/docs/${asset}`);
      assert.equal(res.status, 200, asset);
    }
  });
});
