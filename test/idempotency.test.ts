// Idempotency-Key on POST: the first response replayed for 24 hours, 409 for another body or a first still running;
// concurrent requests with one key execute it once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ABANDONED_MS, claimKey, deleteExpiredKeys } from '../src/modules/idempotency/idempotency.store.js';
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

    const hashOf = (body: object) =>
      createHash('sha256')
        .update(`POST /business/customer/create\n${JSON.stringify(body)}`)
        .digest('hex');
    /** Claims a key in a transaction of its own, committed: what a version that claimed before the request left. */
    const plantClaim = (key: string, hash: string, at?: Date) =>
      server.db.transaction().execute((trx) => claimKey(trx, server.businessId, key, hash, at));

    it('gives concurrent requests with one key one execution: the others get its response, or 409 while it runs', async () => {
      const body = customerBody();
      const answers = await Promise.all(Array.from({ length: 12 }, () => create('order-together', body)));
      const first = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
      assert.equal(first.length, 1, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
      for (const answer of answers) {
        if (answer.status === 201) assert.equal(answer.text, first[0].text);
        else {
          assert.equal(answer.status, 409, answer.text);
          assert.equal(answer.body.error, 'A request with this Idempotency-Key is still in progress');
        }
      }
      if (engine.name === 'sqlite')
        assert.ok(
          answers.every((a) => a.status === 201),
          'one connection runs one keyed request at a time: the others find it finished',
        );
      const again = await create('order-together', body);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.text, first[0].text);
      assert.equal(await total(body.email), 1);
    });

    it('answers 409 while a claim left by an older version is recent, and takes the key over once abandoned', async () => {
      const body = customerBody();
      assert.deepEqual(await plantClaim('order-1003', hashOf(body)), { state: 'claimed' });
      const res = await create('order-1003', body);
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'A request with this Idempotency-Key is still in progress');
      assert.equal(await total(body.email), 0);
      const later = customerBody();
      assert.deepEqual(await plantClaim('order-1005', hashOf(later), new Date(Date.now() - ABANDONED_MS - 1000)), {
        state: 'claimed',
      });
      const taken = await create('order-1005', later);
      assert.equal(taken.status, 201, taken.text);
      assert.equal(taken.headers.get('idempotent-replayed'), null);
      assert.equal(await total(later.email), 1);
    });

    it('answers 409 only while the transaction holding the key is open; once it ends unfinished the key is free', {
      skip: engine.name === 'sqlite' && 'SQLite runs one transaction at a time: a second request waits for the first',
    }, async () => {
      const body = customerBody();
      // What a request in flight holds: its claim, uncommitted, in an open transaction of its own connection.
      const trx = await server.db.startTransaction().execute();
      try {
        assert.deepEqual(await claimKey(trx, server.businessId, 'order-1006', hashOf(body)), { state: 'claimed' });
        const res = await create('order-1006', body);
        assert.equal(res.status, 409);
        assert.equal(res.body.error, 'A request with this Idempotency-Key is still in progress');
      } finally {
        // Its process died: the transaction never commits.
        await trx.rollback().execute();
      }
      const retry = await create('order-1006', body);
      assert.equal(retry.status, 201, retry.text);
      assert.equal(retry.headers.get('idempotent-replayed'), null);
      assert.equal(await total(body.email), 1);
    });

    it('stores a 409 from the handler without its writes, and replays it', async () => {
      const body = customerBody();
      assert.equal((await create('order-1007', body)).status, 201);
      const duplicate = await create('order-1008', { ...body, name: 'Same Email' });
      assert.equal(duplicate.status, 409, duplicate.text);
      const again = await create('order-1008', { ...body, name: 'Same Email' });
      assert.equal(again.status, 409);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.text, duplicate.text);
      assert.equal(await total(body.email), 1);
    });

    it("leaves the key free after a server error, with none of the request's writes kept", async () => {
      // A real fault inside the handler's transaction: a trigger that fails the insert of one contact.
      const fault =
        engine.name === 'sqlite'
          ? [
              sql`create trigger explode before insert on contacts when new.name = 'Explode' begin select raise(abort, 'boom'); end`,
            ]
          : [
              sql`create function explode() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`,
              sql`create trigger explode before insert on contacts for each row when (new.name = 'Explode') execute function explode()`,
            ];
      const contact = (key: string) =>
        server.request('POST', '/business/contact/create', {
          body: { name: 'Explode' },
          headers: { 'idempotency-key': key },
        });
      const contacts = async () =>
        Number(
          (
            await server.db
              .selectFrom('contacts')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('name', '=', 'Explode')
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const statement of fault) await statement.execute(server.db);
      try {
        const failed = await contact('order-1009');
        assert.equal(failed.status, 500, failed.text);
        const stored = await server.db
          .selectFrom('idempotency_keys')
          .select('key')
          .where('key', '=', 'order-1009')
          .execute();
        assert.deepEqual(stored, [], 'the claim was rolled back with the request');
      } finally {
        await sql`drop trigger explode${engine.name === 'sqlite' ? sql`` : sql` on contacts`}`.execute(server.db);
        if (engine.name === 'postgres') await sql`drop function explode()`.execute(server.db);
      }
      assert.equal(await contacts(), 0);
      const retry = await contact('order-1009');
      assert.equal(retry.status, 201, retry.text);
      assert.equal(retry.headers.get('idempotent-replayed'), null, 'a first execution');
      assert.equal(await contacts(), 1);
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
      assert.deepEqual(await plantClaim('order-old', 'hash-of-another-body', old), { state: 'claimed' });
      const body = customerBody();
      const res = await create('order-old', body);
      assert.equal(res.status, 201, 'an expired key no longer binds');
      assert.deepEqual(await plantClaim('order-older', 'h', old), { state: 'claimed' });
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
