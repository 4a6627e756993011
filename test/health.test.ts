// /healthz and /readyz: outside authentication, in the envelope; readiness checks the database and Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { engines, startServer, type TestServer, testConfig } from './helpers/server.js';

for (const engine of engines()) {
  describe(`health [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('answers /healthz and /readyz without a secret', async () => {
      const live = await server.request('GET', '/healthz', { secret: null });
      assert.equal(live.status, 200);
      assert.deepEqual(live.body, { success: true, data: { status: 'ok' } });
      const ready = await server.request('GET', '/readyz', { secret: null });
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { success: true, data: { status: 'ready', database: 'ok' } });
      assert.equal(ready.headers.get('x-ratelimit-limit'), null);
    });
  });
}

describe('readiness with Redis unreachable', () => {
  let app: App;
  before(async () => {
    // Nothing listens on port 1: Redis is configured but down.
    const config = testConfig({ DATABASE_URL: 'sqlite::memory:', REDIS_URL: 'redis://127.0.0.1:1' });
    app = await createApp(config, createLogger(config));
  });
  after(() => app.close());

  it('is ready but degraded (200, naming Redis) while it serves with per-node limits', async () => {
    const url = await app.listen();
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200, 'a load balancer must not drain every node because Redis is down');
    const body = (await ready.json()) as { success: boolean; data: Record<string, string> };
    assert.equal(body.data.status, 'degraded');
    assert.equal(body.data.database, 'ok');
    assert.match(body.data.redis, /^unreachable: /);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });
});
