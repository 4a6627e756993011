// The seeds' own examples, replayed: every curl, JavaScript fetch and Python requests example in the Cashfin pages,
// changed only in host and secret (and ids and scrubbed emails, which the pages cannot know), gets the documented shape.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CASHFIN, type Example, examples, PLACEHOLDER_SECRET, SCRUBBED_EMAIL } from './helpers/seed-examples.js';
import { startServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const EXAMPLE_IDS: Record<string, string> = {
  customer: '507f1f77bcf86cd799439011',
  contact: '507f1f77bcf86cd799439045',
};

/** Every key the page documents is present with a value of the same JSON type (a documented null allows any). */
function assertShape(actual: unknown, documented: unknown, path = 'body') {
  if (documented === null) return;
  if (Array.isArray(documented)) {
    assert.ok(Array.isArray(actual), `${path} should be an array`);
    if (documented.length && (actual as unknown[]).length)
      assertShape((actual as unknown[])[0], documented[0], `${path}[0]`);
    return;
  }
  if (typeof documented === 'object') {
    assert.equal(typeof actual, 'object', `${path} should be an object`);
    for (const [key, value] of Object.entries(documented as object)) {
      assert.ok(actual !== null && key in (actual as object), `${path}.${key} is documented but missing`);
      assertShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  const nullable =
    actual === null && ['country', 'company', 'address', 'city', 'state', 'website'].includes(path.split('.').pop()!);
  if (!nullable) assert.equal(typeof actual, typeof documented, `${path} should be a ${typeof documented}`);
}

describe('the seed pages, replayed', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const patched = new Set<string>();
  let n = 0;
  const all = examples();

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('finds every example on the pages', () => {
    const count = (kind: Example['kind']) => all.filter((e) => e.kind === kind).length;
    assert.equal(count('curl'), 10);
    assert.equal(count('javascript'), 9);
    assert.equal(count('python'), 9);
  });

  /** The example's code with only what a user must change: host, secret, and what the page could not know. */
  function adapt(example: Example) {
    n += 1;
    const resource = example.path.split('/')[2];
    let code = example.code.replaceAll(CASHFIN, server.url).replaceAll(PLACEHOLDER_SECRET, server.secret);
    code = code.replace(SCRUBBED_EMAIL, `seed.example${n}@example.com`);
    if (EXAMPLE_IDS[resource] && ids[resource]) code = code.replaceAll(EXAMPLE_IDS[resource], ids[resource]);
    return { code, resource };
  }

  async function call(example: Example): Promise<{ status: number; body: any }> {
    const { code } = adapt(example);
    if (example.kind === 'curl') {
      const { stdout } = await run('bash', ['-c', `${code} -s -w '\\n%{http_code}'`]);
      const cut = stdout.lastIndexOf('\n');
      return { status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) };
    }
    if (example.kind === 'python') {
      const script = `${code}\nprint(response.status_code)\nprint(response.text)`;
      const { stdout } = await run('python3', ['-c', script]);
      const [status, ...rest] = stdout.split('\n');
      return { status: Number(status), body: JSON.parse(rest.join('\n')) };
    }
    const seen: { status: number; body: any }[] = [];
    const recordingFetch = async (url: string, init?: RequestInit) => {
      const response = await fetch(url, init);
      seen.push({ status: response.status, body: await response.clone().json() });
      return response;
    };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    await new AsyncFunction('fetch', 'console', code)(recordingFetch, { log() {} });
    assert.equal(seen.length, 1, 'the example makes one request');
    return seen[0];
  }

  const pythonRequests = (async () => {
    try {
      await run('python3', ['-c', 'import requests']);
      return true;
    } catch {
      return false;
    }
  })();

  for (const example of all) {
    it(`${example.seed.slice(0, 3)} ${example.kind}: ${example.method} ${example.path}`, async (t) => {
      if (example.kind === 'python' && !(await pythonRequests)) {
        t.skip('python3 with the requests package is not installed here');
        return;
      }
      const { resource } = adapt(example);
      const { status, body } = await call(example);
      assert.equal(status, example.method === 'POST' ? 201 : 200, JSON.stringify(body));
      assert.equal(body.success, true);
      if (example.path.endsWith('/create')) ids[resource] = body.data._id;
      const documented = example.documented!;
      assert.ok(documented, 'the page documents a response');
      if (documented.message) assert.equal(body.message, documented.message);
      if (example.method === 'PATCH') {
        // The first replay changes the record; the same change again modifies nothing.
        assert.deepEqual(body.data, { _id: ids[resource], modified: patched.has(ids[resource]) ? 0 : 1 });
        patched.add(ids[resource]);
        return;
      }
      assertShape(body, {
        ...documented,
        data:
          example.path.includes('/details/') || example.method === 'POST'
            ? { ...(documented.data as object), _id: '' }
            : documented.data,
      });
      if (documented.pagination)
        assert.deepEqual(Object.keys(body.pagination).sort(), Object.keys(documented.pagination).sort());
    });
  }
});
