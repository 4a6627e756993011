// Idempotency-Key on POST: the first response replayed for 24 hours, 409 for another body or a first still running.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { claimKey, deleteExpiredKeys } from '../src/modules/idempotency/idempotency.store.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`Idempotency-Key [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const create = (key: string, body: object, secret = server.secret) =>
      server.request('POST', '/business/customer/create', { body, secret, headers: { 'idempotency-key': key } });
    const total = async (search: string, secret = server.secret) =>
      (await server.request('GET', `/business/customer/list?search=${encodeURIComponent(search)}`, { secret })).body
        .pagination.total;

    it('replays the first response for a repeat with the same body, and creates one record', async () => {
      const body = customerBody();
      const first = await create('order-1001', body);
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const again = await create('order-1001', body);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.text, first.text);
      assert.equal(await total(body.email), 1);
    });

    it('answers the same key with another body with 409', async () => {
      const body = customerBody();
      assert.equal((await create('order-1002', body)).status, 201);
      const other = await create('order-1002', { ...body, name: 'Someone Else' });
      assert.equal(other.status, 409);
      assert.deepEqual(other.body, {
        success: false,
        error: 'Idempotency-Key was already used with a different request',
      });
    });

    it('answers a repeat while the first is still running with 409', async () => {
      const body = customerBody();
      const hash = createHash('sha256')
        .update(`POST /business/customer/create\n${JSON.stringify(body)}`)
        .digest('hex');
      assert.deepEqual(await claimKey(server.db, server.businessId, 'order-1003', hash), { state: 'claimed' });
      const res = await create('order-1003', body);
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'A request with this Idempotency-Key is still in progress');
      assert.equal(await total(body.email), 0);
    });

    it('replays an error response too, so a retry sees what the first request saw', async () => {
      const bad = { name: 'No Email' };
      const first = await create('order-1004', bad);
      assert.equal(first.status, 400);
      const again = await create('order-1004', bad);
      assert.equal(again.status, 400);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
    });

    it('keeps keys per business', async () => {
      const other = await server.newBusiness('Other Keys');
      const body = customerBody();
      assert.equal((await create('shared-key', body)).status, 201);
      const theirs = await create('shared-key', body, other.secret);
      assert.equal(theirs.status, 201);
      assert.equal(theirs.headers.get('idempotent-replayed'), null);
      assert.equal(await total(body.email, other.secret), 1);
    });

    it('forgets keys after 24 hours: expired keys are deleted and the key can be used afresh', async () => {
      const old = new Date(Date.now() - 25 * 3600_000);
      assert.deepEqual(await claimKey(server.db, server.businessId, 'order-old', 'hash-of-another-body', old), {
        state: 'claimed',
      });
      const body = customerBody();
      const res = await create('order-old', body);
      assert.equal(res.status, 201, 'an expired key no longer binds');
      assert.deepEqual(await claimKey(server.db, server.businessId, 'order-older', 'h', old), { state: 'claimed' });
      assert.ok((await deleteExpiredKeys(server.db)) >= 1);
      const left = await server.db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('key', '=', 'order-older')
        .execute();
      assert.deepEqual(left, []);
    });

    it('rejects a malformed key, and ignores the header on other methods', async () => {
      const res = await create('x'.repeat(256), customerBody());
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
      const get = await server.request('GET', '/business/customer/list', { headers: { 'idempotency-key': 'k' } });
      assert.equal(get.status, 200);
    });
  });
}
