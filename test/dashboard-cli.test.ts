// `mteja users`: a business's dashboard staff from the command line; a generated password signs in at once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type App, createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createBusiness } from '../src/modules/business/business.store.js';
import { testConfig } from './helpers/server.js';

/** The CLI compiled beside this test (dist/ under npm test). */
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const run = promisify(execFile);

describe('mteja users', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let app: App;
  let url: string;
  let businessId: string;

  const mteja = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const signIn = (email: string, password: string) =>
    fetch(`${url}/dashboard/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mteja-users-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'users.db')}`, LOG_LEVEL: 'silent' };
    const config = testConfig({ DATABASE_URL: env.DATABASE_URL! });
    app = await createApp(config, createLogger(config));
    url = await app.listen();
    businessId = (await createBusiness(app.database.db, { name: 'Staffed Business' })).business._id;
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a user with a generated password, printed once, that signs in', async () => {
    const res = await mteja(
      'users',
      'create',
      '--business',
      businessId,
      '--email',
      'Amina@Example.com',
      '--name',
      'Amina Hassan',
    );
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Created user Amina@Example\.com for "Staffed Business"/);
    const password = /Password: (\S+)/.exec(res.stdout)![1];
    assert.match(password, /^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
    const signedIn = await signIn('amina@example.com', password);
    assert.equal(signedIn.status, 200);
    assert.equal(((await signedIn.json()) as { data: { user: { name: string } } }).data.user.name, 'Amina Hassan');
  });

  it('prints JSON for scripts, refuses a taken email, a bad email and an unknown business', async () => {
    const json = await mteja('users', 'create', '--business', businessId, '--email', 'ops@example.com', '--json');
    assert.equal(json.code, 0, json.stderr);
    const made = JSON.parse(json.stdout);
    assert.equal(made.user.email, 'ops@example.com');
    assert.equal((await signIn('ops@example.com', made.password)).status, 200);
    assert.ok(!('passwordhash' in made.user));

    const taken = await mteja('users', 'create', '--business', businessId, '--email', 'OPS@example.com');
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /A user with this email already exists/);
    assert.doesNotMatch(taken.stderr, /\n\s+at /, 'a message, not a stack trace');
    const bad = await mteja('users', 'create', '--business', businessId, '--email', 'not-an-email');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--email: Email is not a valid email address/);
    const nobody = await mteja('users', 'create', '--business', '000000000000000000000000', '--email', 'x@example.com');
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /No business with id 000000000000000000000000/);
    assert.equal((await mteja('users', 'create', '--email', 'x@example.com')).code, 2);
  });

  it('lists a business’s users without their password hashes', async () => {
    const res = await mteja('users', 'list', '--business', businessId, '--json');
    assert.equal(res.code, 0, res.stderr);
    const users = JSON.parse(res.stdout);
    assert.deepEqual(users.map((u: { email: string }) => u.email).sort(), ['Amina@Example.com', 'ops@example.com']);
    assert.ok(!res.stdout.includes('scrypt'));
    assert.match((await mteja('users', 'list', '--business', businessId)).stdout, /EMAIL/);
  });

  it('sets a new password and ends the user’s sessions', async () => {
    const first = await mteja('users', 'create', '--business', businessId, '--email', 'rotate@example.com', '--json');
    const { password } = JSON.parse(first.stdout);
    const session = await signIn('rotate@example.com', password);
    const cookie = session.headers.get('set-cookie')!.split(';')[0];
    const res = await mteja('users', 'password', '--email', 'rotate@example.com', '--generate');
    assert.equal(res.code, 0, res.stderr);
    const fresh = /Password: (\S+)/.exec(res.stdout)![1];
    assert.equal(
      (await fetch(`${url}/dashboard/api/session`, { headers: { cookie } })).status,
      401,
      'the old session ended',
    );
    assert.equal((await signIn('rotate@example.com', password)).status, 401);
    assert.equal((await signIn('rotate@example.com', fresh)).status, 200);
    assert.equal((await mteja('users', 'password', '--email', 'ghost@example.com', '--generate')).code, 1);
  });

  it('disables a user, ending their sessions, and enables them again', async () => {
    const made = JSON.parse(
      (await mteja('users', 'create', '--business', businessId, '--email', 'leaver@example.com', '--json')).stdout,
    );
    const cookie = (await signIn('leaver@example.com', made.password)).headers.get('set-cookie')!.split(';')[0];
    const off = await mteja('users', 'disable', '--email', 'leaver@example.com');
    assert.equal(off.code, 0, off.stderr);
    assert.equal((await fetch(`${url}/dashboard/api/session`, { headers: { cookie } })).status, 401);
    assert.equal((await signIn('leaver@example.com', made.password)).status, 401);
    const statusOf = async (email: string) => {
      const table = (await mteja('users', 'list', '--business', businessId)).stdout.split('\n');
      const [head, row] = [table[0], table.find((line) => line.includes(email))!];
      return row.slice(head.indexOf('STATUS')).split(/\s+/)[0];
    };
    assert.equal(await statusOf('leaver@example.com'), 'disabled');
    assert.equal((await mteja('users', 'enable', '--email', 'leaver@example.com')).code, 0);
    assert.equal(await statusOf('leaver@example.com'), 'active');
    assert.equal((await signIn('leaver@example.com', made.password)).status, 200);
  });

  it('is in the help', async () => {
    const res = await mteja('help');
    assert.match(res.stdout, /users create --business ID --email EMAIL/);
  });
});
