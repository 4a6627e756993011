// Rate limits on one node: plan numbers, headers that count down, a truthful 429, windows that turn.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBusiness, updateBusiness } from '../src/modules/business/business.store.js';
import { startServer, type TestServer } from './helpers/server.js';

const RATE_LIMITED = 'Rate limit exceeded. Please try again later.';
const nextUtcMidnight = () => Math.ceil((Math.floor(Date.now() / 86_400_000) + 1) * 86_400);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for the start of a second, so a short burst stays inside one per-second window. */
async function atSecondStart() {
  while (Date.now() % 1000 > 20) await sleep(1000 - (Date.now() % 1000) + 1);
}

describe('rate limits (one node, in memory)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const business = async (plan: 'free' | 'starter' | 'professional' | 'enterprise', limits?: string) =>
    (await createBusiness(server.db, { name: `Plan ${plan}`, plan, limits })).clientsecret;
  const list = (secret: string) => server.request('GET', '/business/customer/list', { secret });
  const headers = (res: { headers: Headers }) =>
    ['limit', 'remaining', 'reset'].map((h) => res.headers.get(`x-ratelimit-${h}`));

  it("reports the plan's window closest to running out on every authenticated response", async () => {
    await atSecondStart();
    const secret = await business('free');
    const first = await list(secret);
    assert.equal(first.status, 200);
    assert.deepEqual(headers(first).slice(0, 2), ['5', '4'], 'free: 5 per second is the closest to running out');
    assert.equal(Number(headers(first)[2]), Math.ceil(Date.now() / 1000));
    const notFound = await server.request('GET', '/business/customer/details/507f1f77bcf86cd799439011', { secret });
    assert.equal(notFound.status, 404);
    assert.deepEqual(
      headers(notFound).slice(0, 2),
      ['5', '3'],
      'errors after authentication count and carry the headers',
    );
    const unauthenticated = await list('cs_unknownunknownunknownunknown');
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(headers(unauthenticated), [null, null, null]);
  });

  it('uses the numbers of each plan', async () => {
    await atSecondStart();
    for (const [plan, perSecond] of [
      ['starter', '10'],
      ['professional', '25'],
      ['enterprise', '100'],
    ] as const) {
      assert.equal(headers(await list(await business(plan)))[0], perSecond, plan);
    }
  });

  it('counts down, then answers 429 with the contract body and a Retry-After that tells the truth', async () => {
    const secret = await business('enterprise', '1000/1000/5');
    const remaining = [];
    for (let i = 0; i < 5; i++) {
      const res = await list(secret);
      assert.equal(res.status, 200);
      remaining.push(res.headers.get('x-ratelimit-remaining'));
      assert.equal(res.headers.get('x-ratelimit-limit'), '5');
      assert.equal(Number(res.headers.get('x-ratelimit-reset')), nextUtcMidnight());
    }
    assert.deepEqual(remaining, ['4', '3', '2', '1', '0']);
    const denied = await list(secret);
    assert.equal(denied.status, 429);
    const wait = Math.ceil(nextUtcMidnight() - Date.now() / 1000);
    assert.ok(
      Math.abs(denied.body.retry_after - wait) <= 1,
      `retry_after ${denied.body.retry_after} ≈ ${wait} s to midnight UTC`,
    );
    assert.deepEqual(denied.body, { success: false, error: RATE_LIMITED, retry_after: denied.body.retry_after });
    assert.equal(denied.headers.get('retry-after'), String(denied.body.retry_after));
    assert.equal(denied.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(denied.headers.get('x-request-id'));
  });

  it('starts afresh when the window turns, and a refused request spends nothing', async () => {
    // 6 a minute: had the refused request counted, the minute window (6 − 5 = 1 left) would show in the headers.
    const secret = await business('enterprise', '3/6/100000');
    await atSecondStart();
    for (let i = 0; i < 3; i++) assert.equal((await list(secret)).status, 200);
    const denied = await list(secret);
    assert.equal(denied.status, 429);
    assert.equal(denied.body.retry_after, 1);
    assert.equal(denied.headers.get('retry-after'), '1');
    await sleep(1000 - (Date.now() % 1000) + 5);
    const again = await list(secret);
    assert.equal(again.status, 200);
    assert.deepEqual(headers(again).slice(0, 2), ['3', '2']);
  });

  it('applies a plan change from the next request', async () => {
    await atSecondStart();
    const made = await createBusiness(server.db, { name: 'Upgrader', plan: 'free' });
    assert.equal(headers(await list(made.clientsecret))[0], '5');
    await updateBusiness(server.db, made.business._id, { plan: 'enterprise', limits: '50/5000/1000000' });
    assert.equal(headers(await list(made.clientsecret))[0], '50');
  });

  it('keeps each business to its own budget', async () => {
    const a = await business('enterprise', '1000/1000/2');
    const b = await business('enterprise', '1000/1000/2');
    for (let i = 0; i < 2; i++) assert.equal((await list(a)).status, 200);
    assert.equal((await list(a)).status, 429);
    assert.equal((await list(b)).status, 200);
  });
});
