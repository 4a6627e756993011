// The operator's command line: businesses and keys made here work over HTTP; a revoked key stops at once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { type App, createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { testConfig } from './helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/mteja.js', import.meta.url));
const run = promisify(execFile);

describe('mteja CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let app: App;
  let url: string;

  const mteja = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const get = (path: string, secret: string) => fetch(`${url}${path}`, { headers: { authorization: secret } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mteja-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
    const config = testConfig({ DATABASE_URL: env.DATABASE_URL! });
    app = await createApp(config, createLogger(config));
    url = await app.listen();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a business whose secret works over HTTP, then revokes it and sees 401 on the running server', async () => {
    const made = await mteja('business', 'create', '--name', 'Acme Ltd', '--plan', 'starter', '--json');
    assert.equal(made.code, 0, made.stderr);
    const out = JSON.parse(made.stdout);
    assert.deepEqual(Object.keys(out).sort(), ['business', 'credential']);
    assert.deepEqual(Object.keys(out.business).sort(), ['_id', 'name', 'plan']);
    assert.deepEqual(Object.keys(out.credential).sort(), ['clientid', 'clientsecret', 'name']);
    assert.equal(out.business.name, 'Acme Ltd');
    assert.equal(out.business.plan, 'starter');
    assert.match(out.credential.clientsecret, /^cs_[0-9A-Za-z]{43}$/);

    const ok = await get('/business/customer/list', out.credential.clientsecret);
    assert.equal(ok.status, 200);

    const revoked = await mteja('keys', 'revoke', out.credential.clientid);
    assert.equal(revoked.code, 0, revoked.stderr);
    const denied = await get('/business/customer/list', out.credential.clientsecret);
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), {
      success: false,
      error: 'Unauthorized access!',
      message: 'Unauthorized access!',
    });

    const again = await mteja('keys', 'revoke', out.credential.clientid);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /No active credential/);
  });

  it('prints the secret once in text mode, with a curl command to this installation', async () => {
    const made = await mteja('business', 'create', '--name', 'Text Mode');
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /Client secret: cs_[0-9A-Za-z]{43}/);
    assert.match(made.stdout, /curl -H "Authorization: cs_\S+" "http:\/\/127\.0\.0\.1:3000\/business\/customer\/list/);
    // The printed request goes where this server listens: its PORT and HOST, not a fixed address.
    env = { ...env, PORT: '8181', HOST: '0.0.0.0' };
    try {
      const business = JSON.parse((await mteja('business', 'create', '--name', 'Port Co', '--json')).stdout).business;
      for (const printed of [
        await mteja('business', 'create', '--name', 'Elsewhere'),
        await mteja('keys', 'create', '--business', business._id, '--name', 'Second'),
      ]) {
        assert.equal(printed.code, 0, printed.stderr);
        assert.match(printed.stdout, /"http:\/\/127\.0\.0\.1:8181\/business\/customer\/list\?page=1&limit=10"/);
      }
    } finally {
      delete env.PORT;
      delete env.HOST;
    }
  });

  it('puts a business created without --plan on DEFAULT_PLAN: enterprise unless configured', async () => {
    const plain = JSON.parse((await mteja('business', 'create', '--name', 'No Plan', '--json')).stdout);
    assert.equal(plain.business.plan, 'enterprise');
    env = { ...env, DEFAULT_PLAN: 'starter' };
    try {
      const configured = JSON.parse((await mteja('business', 'create', '--name', 'Starter Default', '--json')).stdout);
      assert.equal(configured.business.plan, 'starter');
      env.DEFAULT_PLAN = 'gold';
      const refused = await mteja('business', 'create', '--name', 'Gold');
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /DEFAULT_PLAN/);
    } finally {
      delete env.DEFAULT_PLAN;
    }
  });

  it('creates extra keys, lists them without secrets, and keeps them to their business', async () => {
    const business = JSON.parse(
      (await mteja('business', 'create', '--name', 'Keys Co', '--plan', 'enterprise', '--json')).stdout,
    );
    const key = await mteja(
      'keys',
      'create',
      '--business',
      business.business._id,
      '--name',
      'Shop',
      '--type',
      'ecommerce',
      '--webhook-url',
      'https://shop.example.com/hooks',
      '--json',
    );
    assert.equal(key.code, 0, key.stderr);
    const { credential } = JSON.parse(key.stdout);
    assert.equal(credential.name, 'Shop');
    assert.equal((await get('/business/customer/list', credential.clientsecret)).status, 200);

    const listed = await mteja('keys', 'list', '--business', business.business._id, '--json');
    const keys = JSON.parse(listed.stdout);
    assert.equal(keys.length, 2);
    assert.equal(listed.stdout.includes(credential.clientsecret), false, 'a listing never shows a secret');
    const shop = keys.find((k: { clientid: string }) => k.clientid === credential.clientid);
    assert.equal(shop.secret, `${credential.clientsecret.slice(0, 7)}…${credential.clientsecret.slice(-4)}`);
    assert.equal(shop.type, 'ecommerce');
    assert.equal(shop.webhookurl, 'https://shop.example.com/hooks');

    const text = await mteja('keys', 'list', '--business', business.business._id);
    assert.match(text.stdout, /CLIENTID/);
  });

  it('sets custom enterprise limits with business update, and only on enterprise', async () => {
    const { business } = JSON.parse(
      (await mteja('business', 'create', '--name', 'Grows', '--plan', 'free', '--json')).stdout,
    );
    const refused = await mteja('business', 'update', business._id, '--limits', '100/5000/1000000');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /enterprise plan only/);
    const malformed = await mteja('business', 'update', business._id, '--plan', 'enterprise', '--limits', '100/5000');
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /--limits: Limits must be three positive whole numbers/);
    const updated = await mteja(
      'business',
      'update',
      business._id,
      '--plan',
      'enterprise',
      '--limits',
      '100/5000/1000000',
      '--json',
    );
    assert.equal(updated.code, 0, updated.stderr);
    assert.deepEqual(
      { ...JSON.parse(updated.stdout), createdat: undefined },
      {
        _id: business._id,
        name: 'Grows',
        plan: 'enterprise',
        limits: '100/5000/1000000',
        slug: 'grows',
        createdat: undefined,
      },
    );
  });

  it("changes a business's booking-page slug with business update --slug, refusing a taken or malformed one", async () => {
    const { business } = JSON.parse((await mteja('business', 'create', '--name', 'Slugged', '--json')).stdout);
    const moved = await mteja('business', 'update', business._id, '--slug', 'acme-dental', '--json');
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(JSON.parse(moved.stdout).slug, 'acme-dental');
    const other = JSON.parse((await mteja('business', 'create', '--name', 'Other', '--json')).stdout).business;
    const taken = await mteja('business', 'update', other._id, '--slug', 'acme-dental');
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /slug acme-dental/);
    const bad = await mteja('business', 'update', other._id, '--slug', 'Not A Slug');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Slug must be/);
  });

  it('lists businesses', async () => {
    const list = JSON.parse((await mteja('business', 'list', '--json')).stdout);
    assert.ok(list.some((b: { name: string }) => b.name === 'Acme Ltd'));
  });

  it('seeds realistic records that the API then lists', async () => {
    const { business, credential } = JSON.parse(
      (await mteja('business', 'create', '--name', 'Seeded', '--plan', 'enterprise', '--json')).stdout,
    );
    const seeded = await mteja(
      'seed',
      '--business',
      business._id,
      '--customers',
      '120',
      '--leads',
      '30',
      '--contacts',
      '10',
      '--quotes',
      '5',
      '--contracts',
      '3',
      '--appointments',
      '2',
      '--bookings',
      '6',
    );
    assert.equal(seeded.code, 0, seeded.stderr);
    const total = async (resource: string) =>
      ((await (await get(`/business/${resource}/list`, credential.clientsecret)).json()) as any).pagination.total;
    assert.equal(await total('customer'), 120);
    assert.equal(await total('lead'), 30);
    assert.equal(await total('contact'), 10);
    assert.equal(await total('quote'), 5);
    assert.equal(await total('contract'), 3);
    assert.equal(await total('appointment'), 2);
    assert.equal(await total('booking'), 6);
    const customer = ((await (await get('/business/customer/list?limit=1', credential.clientsecret)).json()) as any)
      .data[0];
    assert.match(customer.email, /^[a-z0-9.]+@[a-z0-9.]+$/);
    assert.match(customer.phone, /^\+2\d{9,11}$/);
  });

  it('refuses bad input with a clear message and exit code 2', async () => {
    const noName = await mteja('business', 'create');
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /--name: Name is required/);
    const badPlan = await mteja('business', 'create', '--name', 'X', '--plan', 'gold');
    assert.equal(badPlan.code, 2);
    assert.match(badPlan.stderr, /--plan: Plan must be one of: free, starter, professional, enterprise/);
    const badUrl = await mteja(
      'keys',
      'create',
      '--business',
      '000000000000000000000000',
      '--webhook-url',
      'not a url',
    );
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--webhook-url: Webhook URL must be a valid URL/);
    const unknownBusiness = await mteja('keys', 'list', '--business', '000000000000000000000000');
    assert.equal(unknownBusiness.code, 1);
    assert.match(unknownBusiness.stderr, /No business with id/);
    const unknownFlag = await mteja('business', 'list', '--bogus');
    assert.equal(unknownFlag.code, 2);
    const unknownCommand = await mteja('frobnicate');
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /unknown command/);
  });

  it('migrates an up-to-date database without error', async () => {
    const res = await mteja('migrate');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /up to date/);
  });

  it('refuses a bad configuration listing every problem', async () => {
    const bad = await run(process.execPath, [BIN, 'migrate'], {
      env: { ...env, DATABASE_URL: 'mysql://x', PORT: 'abc' },
    }).catch((e) => e);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /PORT/);
    assert.match(bad.stderr, /DATABASE_URL/);
  });
  it('says the database is busy, without a stack trace, when another process holds its write lock', async () => {
    const path = join(dir, 'held.db');
    const held = { ...env, DATABASE_URL: `sqlite:${path}` };
    const migrated = await run(process.execPath, [BIN, 'migrate'], { env: held });
    assert.match(migrated.stdout, /^Applied: 0001_init/);
    // Another process's long write (a seed of a million records holds the lock for minutes): here, this one's.
    const writer = new BetterSqlite3(path);
    writer.exec('begin immediate');
    try {
      const made = await run(process.execPath, [BIN, 'business', 'create', '--name', 'Held Ltd'], { env: held }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(made.code, 1);
      assert.match(made.stderr, /^mteja: the database did not answer in time \(database is locked\); another process/);
      assert.doesNotMatch(made.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      writer.exec('rollback');
      writer.close();
    }
  });
});
