// The README's static contact form, as written there, in a real browser on another origin: with a publishable key it
// makes a lead (preflight, CORS); from an origin the key does not list, or with a secret key, the page gets nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCredential } from '../src/modules/business/business.store.js';
import { type Browser, e2eUnavailable, openBrowser } from './e2e/browser.js';
import { countSkipped, startServer, type TestServer } from './helpers/server.js';

const unavailable = e2eUnavailable();
countSkipped('publishable key browser tests', unavailable);

/** The README's form example: the html block after "A static contact form". */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const FORM = /A\s+static contact form[\s\S]*?```html\n([\s\S]*?)```/.exec(README)?.[1] ?? '';

/** A web site on its own origin serving the form with this API address and the key `key()` names when asked. */
async function site(api: string, key: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => {
    const page = FORM.replace('https://crm.example.com', api).replace("'pk_…'", `'${key()}'`);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>${page}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the README contact form in a browser', { skip: unavailable }, () => {
  let api: TestServer;
  let browser: Browser;
  const sites: Server[] = [];
  const leads = async (name: string) =>
    (await api.request('GET', `/business/lead/list?search=${encodeURIComponent(name)}`)).body.data;

  before(async () => {
    api = await startServer();
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    for (const server of sites) server.close();
    await api?.close();
  });

  /** Opens the form on `origin`'s site, fills it as a visitor would and sends it. */
  const send = async (origin: string, name: string) => {
    const { page } = browser;
    await page.goto(`${origin}/`);
    await page.getByPlaceholder('Your name').fill(name);
    await page.getByPlaceholder('Email').fill('visitor@example.com');
    await page.getByPlaceholder('How can we help?').fill('A quote for 20 chairs');
    await page.getByRole('button', { name: 'Send' }).click();
  };

  it('makes a lead from the listed origin, and nothing from another origin or with a secret key', async () => {
    assert.match(FORM, /<form id="contact">/, 'the README has the form');
    let key = '';
    const listed = await site(api.url, () => key);
    sites.push(listed.server);
    key = (await createCredential(api.db, api.businessId, { type: 'publishable', origins: [listed.origin] }))
      .clientsecret;

    await send(listed.origin, 'Browser Visitor');
    await browser.page.getByText('Thank you, we will be in touch.').waitFor();
    const [lead] = await leads('Browser Visitor');
    assert.equal(lead?.request, 'A quote for 20 chairs');
    assert.equal(lead?.source, 'website');

    // The same form on a site the key does not list: the preflight is refused, the browser never sends the lead.
    const elsewhere = await site(api.url, () => key);
    sites.push(elsewhere.server);
    const failed = new Promise((resolve) => browser.page.once('pageerror', resolve));
    await send(elsewhere.origin, 'Other Site Visitor');
    await failed;
    assert.deepEqual(await leads('Other Site Visitor'), []);

    // A secret key in a page on the listed site (whose preflight passes): refused, and no CORS headers to read it.
    const secret = await site(api.url, () => api.secret);
    sites.push(secret.server);
    await createCredential(api.db, api.businessId, { type: 'publishable', origins: [secret.origin] });
    const blocked = new Promise((resolve) => browser.page.once('pageerror', resolve));
    await send(secret.origin, 'Secret Key Visitor');
    assert.match(String(await blocked), /Failed to fetch/);
    assert.equal(await browser.page.locator('#result').textContent(), '');
    assert.deepEqual(await leads('Secret Key Visitor'), []);
  });
});
