// The post thread paces webhook attempts itself (modules/webhook/post-worker.ts): at most `perEndpoint` on the wire
// for an endpoint and `overall` in all, endpoints taking turns as slots free up, each attempt timed from when it went
// on the wire, and nothing started once it is told to stop. Against a real node:http receiver that answers only when
// the test says so.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { PostResult } from '../src/modules/webhook/post.js';
import { PostThread } from '../src/modules/webhook/post-thread.js';

describe('the post thread', () => {
  /** Requests on the wire, by path, each answered when the test calls answer(). */
  const held: { path: string; res: ServerResponse }[] = [];
  let arrived: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived.push(req.url ?? '');
      held.push({ path: req.url ?? '', res });
    });
  });
  let base = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const { res } of held.splice(0)) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const until = async (done: () => boolean) => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(done(), `still waiting; arrived: ${arrived.join(' ')}`);
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
  const answer = (path: string) => {
    const index = held.findIndex((h) => h.path === path);
    held.splice(index, 1)[0].res.end('ok');
  };

  it('keeps to its caps per endpoint and in all, gives endpoints turns, and starts nothing once stopped', async () => {
    const thread = new PostThread({ timeoutMs: 10_000, allowPrivate: true, perEndpoint: 2, overall: 4 });
    arrived = [];
    const results: Promise<PostResult>[] = [];
    const post = (endpoint: string, n: number) => {
      const result = thread.post({
        endpointid: endpoint,
        eventid: `${endpoint}${n}`,
        body: '{}',
        url: `${base}/${endpoint}`,
        secrets: ['whsec_c2VjcmV0'],
      });
      // Those still on the wire or waiting when the thread stops fail: abandoned, as the sender expects.
      result.catch(() => undefined);
      results.push(result);
    };
    for (const endpoint of ['a', 'b', 'c']) for (let n = 0; n < 3; n++) post(endpoint, n);

    // Two of a's and two of b's: a's third waits for a's own slot, c's for a slot in all.
    await until(() => arrived.length === 4);
    await settle();
    assert.deepEqual([...arrived].sort(), ['/a', '/a', '/b', '/b']);

    // A slot frees up: c has waited longest, so c goes before a's third.
    const started = Date.now();
    answer('/a');
    await until(() => arrived.length === 5);
    assert.equal(arrived[4], '/c');
    assert.equal((await results[0]).error, null);

    // Timed from when it went on the wire, not from when it was asked for: c's first waited for a's answer.
    answer('/c');
    const waited = await results[6];
    assert.equal(waited.error, null);
    assert.ok(Date.parse(waited.at) >= started - 1, `${waited.at} is before ${new Date(started).toISOString()}`);

    // Stopped with attempts on the wire and others waiting: none of those waiting is ever sent.
    await until(() => arrived.length === 6);
    await thread.stop();
    await settle();
    assert.equal(arrived.length, 6);
  });

  it('counts the timeout over the whole exchange: an answer that drips in past it fails, a long one is cut and kept', async () => {
    // Answers 200 at once, then a byte every 150 ms until `bytes` are sent; /long answers 10 KB at once.
    const drip = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/long') return res.end('y'.repeat(10_000));
        res.writeHead(200);
        let sent = 0;
        const bytes = Number(req.url?.slice(1));
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          res.write('x');
          if (++sent === bytes) {
            clearInterval(timer);
            res.end();
          }
        }, 150);
      });
    });
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
    const thread = new PostThread({ timeoutMs: 1_000, allowPrivate: true, perEndpoint: 2, overall: 4 });
    try {
      const post = (path: string) =>
        thread.post({ endpointid: path, eventid: path, body: '{}', url: `${url}${path}`, secrets: ['whsec_c2VjcmV0'] });
      const [slow, quick, long] = await Promise.all([post('/12'), post('/3'), post('/long')]);
      // 12 bytes take 1.8 s, never 1 s without a byte: Node's own request timeout would have let it pass as a 200.
      assert.equal(slow.error, 'No answer within 1000 ms');
      assert.equal(slow.status, null);
      // Cut off at the timeout, not after the 1.8 s the drip itself takes.
      assert.ok(slow.latencyms >= 1_000 && slow.latencyms < 1_800, `took ${slow.latencyms} ms`);
      assert.deepEqual([quick.error, quick.status, quick.body], [null, 200, 'xxx']);
      assert.deepEqual([long.error, long.status, long.body?.length], [null, 200, 4096]);
    } finally {
      await thread.stop();
      drip.closeAllConnections();
      await new Promise((resolve) => drip.close(resolve));
    }
  });
});
