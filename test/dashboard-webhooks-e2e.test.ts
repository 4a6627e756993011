// Settings → Webhooks in a real browser, beyond adding an endpoint (dashboard-e2e.test.ts): editing, disabling and
// enabling, revealing and rotating the secret, the recent success rate, and an endpoint the failures disabled. Each
// change is read back from the server and from what a real receiver on 127.0.0.1 was sent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import { createUser } from '../src/dashboard/users.store.js';
import { createEndpoint, getEndpointRow } from '../src/modules/webhook/webhook.store.js';
import { type Browser, e2eUnavailable, openBrowser, signInThroughForm } from './e2e/browser.js';
import { makeCustomer } from './helpers/fixtures.js';
import { type Receiver, standardVerified, startReceiver } from './helpers/receiver.js';
import { countSkipped, startServer, type TestServer } from './helpers/server.js';

const unavailable = e2eUnavailable();
countSkipped('dashboard webhooks end-to-end tests', unavailable);

const EMAIL = 'esther@amani.example.com';
const PASSWORD = 'a long and correct password';

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
/** A cell's lines as the eye reads them: the text of each element in it (the URL, then its description, ...). */
const lines = (locator: Locator) => locator.locator(':scope > *').allTextContents();

/** What a receiver verifies with the Standard Webhooks library, not with mteja's own signing code. */

describe('Settings → Webhooks in a browser', { skip: unavailable }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let receiver: Receiver;
  let base: string;

  /** A URL on the receiver; each test uses its own paths, none a prefix of another's row text. */
  const at = (path: string) => `${receiver.url}/${path}`;
  const pathOf = (path: string) => new URL(at(path)).pathname;
  /** The endpoint's row, found by its URL exactly. */
  const row = (url: string) =>
    page.locator('table.data tbody tr').filter({ has: page.getByText(url, { exact: true }) });
  /** A row's cell under the column headed `label`. */
  const cell = async (of: Locator, label: string) => {
    const labels = (await page.locator('table.data thead th').allTextContents()).map((l) => l.trim());
    assert.ok(labels.includes(label), `a column headed ${label} among ${labels}`);
    return of.locator('td').nth(labels.indexOf(label));
  };
  const toast = (pattern: string | RegExp) => page.locator('.toast', { hasText: pattern }).first().waitFor();
  const open = async () => {
    await page.goto(`${base}/webhooks`);
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.locator('table.data tbody tr .mono').first().waitFor();
  };
  /**
   * Reloads the page and returns the endpoint list the new document fetched for it: what the page then shows came
   * from the server. A list fetch of the old document may still be answered during the reload, so only one requested
   * after the navigation counts.
   */
  const reloadList = async () => {
    let navigated = false;
    const onNavigated = (frame: Frame) => {
      if (frame === page.mainFrame()) navigated = true;
    };
    page.on('framenavigated', onNavigated);
    try {
      const requested = page.waitForRequest(
        (r) => navigated && new URL(r.url()).pathname === '/dashboard/api/webhook/list',
      );
      await page.reload();
      const body = await (await (await requested).response())!.json();
      await page.locator('table.data tbody tr .mono').first().waitFor();
      return body.data as { _id: string; [field: string]: unknown }[];
    } finally {
      page.off('framenavigated', onNavigated);
    }
  };
  const deliveries = (endpointId: string) =>
    server.db
      .selectFrom('webhook_deliveries')
      .select(['eventtype', 'status', 'attempts'])
      .where('endpointid', '=', endpointId)
      .orderBy('createdat')
      .execute();
  /** Reads until `done` holds for what `read` gives (every 20 ms, for 5 s at most); `what` names it on failure. */
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
    for (let i = 0; ; i++) {
      const value = await read();
      if (done(value)) return value;
      assert.ok(i < 250, `${what} still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** Waits until `done` holds for the endpoint's stored row. */
  const endpointUntil = (id: string, done: (row: { status: string }) => boolean) =>
    until(
      () => getEndpointRow(server.db, server.businessId, id),
      (stored) => stored !== undefined && done(stored),
      `endpoint ${id}`,
    );

  before(async () => {
    // Retries 200 ms apart, so that a delivery refused three times has failed within a second.
    server = await startServer(undefined, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: '0,200ms,200ms',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    await createUser(server.db, server.businessId, { email: EMAIL, name: 'Esther Wanjiru', password: PASSWORD });
    receiver = await startReceiver();
    browser = await openBrowser();
    page = browser.page;
    base = `${server.url}/dashboard`;
    await signInThroughForm(page, base, EMAIL, PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('edits an endpoint’s URL, description and events, and a reload reads the change back from the server', async () => {
    const { endpoint } = await createEndpoint(server.db, server.businessId, {
      url: at('before-edit'),
      description: 'Shop orders',
      events: ['customer.created'],
    });
    await open();
    await row(at('before-edit')).getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit endpoint' });
    assert.equal(await dialog.getByLabel('Endpoint URL').inputValue(), at('before-edit'), 'the form opens filled');
    await dialog.getByLabel('Endpoint URL').fill(at('edited'));
    await dialog.getByLabel('Description').fill('Leads for the sales desk');
    await dialog.getByLabel('customer.created', { exact: true }).uncheck();
    await dialog.getByLabel('lead.created', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await toast('Endpoint saved');
    await dialog.waitFor({ state: 'detached' });

    const listed = (await reloadList()).find((e) => e._id === endpoint._id);
    assert.deepEqual(
      { url: listed?.url, description: listed?.description, events: listed?.events },
      { url: at('edited'), description: 'Leads for the sales desk', events: ['lead.created'] },
      'the server lists the endpoint as edited',
    );
    const edited = row(at('edited'));
    assert.deepEqual(await lines(await cell(edited, 'URL')), [at('edited'), 'Leads for the sales desk']);
    assert.equal(await text(await cell(edited, 'Events')), 'lead.created');
    assert.equal(await row(at('before-edit')).count(), 0, 'the old URL is gone');

    await edited.getByRole('button', { name: 'Edit', exact: true }).click();
    assert.equal(await dialog.getByLabel('Endpoint URL').inputValue(), at('edited'));
    assert.equal(await dialog.getByLabel('Description').inputValue(), 'Leads for the sales desk');
    assert.equal(await dialog.getByLabel('Every event').isChecked(), false);
    assert.equal(await dialog.getByLabel('lead.created', { exact: true }).isChecked(), true);
    assert.equal(await dialog.getByLabel('customer.created', { exact: true }).isChecked(), false);
    await browser.shot('webhooks-edit-endpoint');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // What it now sends: a lead, to the new URL; a customer is no longer its business.
    await makeCustomer(server);
    const lead = await server.request('POST', '/business/lead/create', {
      body: { name: 'Neema Achieng', email: 'neema@achieng.example.com', phone: '+254700000001', country: 'Kenya' },
    });
    assert.equal(lead.status, 201, lead.text);
    assert.deepEqual(
      (await deliveries(endpoint._id)).map((d) => d.eventtype),
      ['lead.created'],
    );
    await receiver.until((got) =>
      got.some((r) => r.path === pathOf('edited') && r.json.data._id === lead.body.data._id),
    );
    assert.ok(!receiver.received.some((r) => r.path === pathOf('before-edit')), 'nothing went to the old URL');
  });

  it('disables an endpoint so a new customer sends it nothing, and enabling it sends the next one', async () => {
    const { endpoint } = await createEndpoint(server.db, server.businessId, {
      url: at('toggled'),
      events: ['customer.created'],
    });
    // Subscribed to the same event: once it has the customer, the sender has had its turn at the disabled one too.
    await createEndpoint(server.db, server.businessId, { url: at('witness'), events: ['customer.created'] });
    await open();
    const toggled = row(at('toggled'));
    await toggled.getByRole('button', { name: 'Disable', exact: true }).click();
    await toast('Disabled');
    const status = await cell(toggled, 'Status');
    await status.getByText('disabled', { exact: true }).waitFor();
    assert.deepEqual(await lines(status), ['disabled', 'Disabled from the dashboard']);
    await reloadList();
    assert.deepEqual(
      await lines(await cell(toggled, 'Status')),
      ['disabled', 'Disabled from the dashboard'],
      'reloaded',
    );
    assert.equal((await getEndpointRow(server.db, server.businessId, endpoint._id))?.status, 'disabled');
    await browser.shot('webhooks-disabled-endpoint');

    const unsent = await makeCustomer(server);
    assert.deepEqual(await deliveries(endpoint._id), [], 'no delivery is queued for a disabled endpoint');
    await receiver.until((got) => got.some((r) => r.path === pathOf('witness') && r.json.data._id === unsent._id));
    assert.ok(!receiver.received.some((r) => r.path === pathOf('toggled')), 'the disabled endpoint was sent nothing');

    await toggled.getByRole('button', { name: 'Enable', exact: true }).click();
    await toast('Enabled');
    await status.getByText('enabled', { exact: true }).waitFor();
    assert.deepEqual(await lines(status), ['enabled'], 'the reason goes with the disabling');
    const sent = await makeCustomer(server);
    await receiver.until((got) => got.some((r) => r.path === pathOf('toggled')));
    assert.deepEqual(
      receiver.received.filter((r) => r.path === pathOf('toggled')).map((r) => r.json.data._id),
      [sent._id],
      'only the customer made after enabling',
    );
  });

  it('reveals the secret and rotates it: the new one is revealed, and the old one verifies deliveries only during the overlap', async () => {
    const { endpoint, secret: original } = await createEndpoint(server.db, server.businessId, {
      url: at('rotated'),
      events: ['customer.created'],
    });
    await open();
    const rotated = row(at('rotated'));
    const reveal = async () => {
      await rotated.getByRole('button', { name: 'Secret', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Signing secret', exact: true });
      const secret = await text(dialog.locator('[data-secret]'));
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'detached' });
      return secret;
    };
    assert.equal(await reveal(), original);

    await rotated.getByRole('button', { name: 'Rotate', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'New signing secret (the old one signs beside it for 24 hours)' });
    const fresh = await text(shown.locator('[data-secret]'));
    assert.match(fresh, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(fresh, original);
    await browser.shot('webhooks-rotated-secret');
    await shown.getByRole('button', { name: 'Done' }).click();
    await reloadList();
    assert.equal(await reveal(), fresh, 'the secret revealed after a reload is the new one');

    const during = await makeCustomer(server);
    await receiver.until((got) => got.some((r) => r.path === pathOf('rotated') && r.json.data._id === during._id));
    const signedDuring = receiver.received.find((r) => r.json.data._id === during._id && r.path === pathOf('rotated'))!;
    assert.deepEqual(standardVerified(signedDuring, fresh), signedDuring.json);
    assert.deepEqual(standardVerified(signedDuring, original), signedDuring.json, 'the old secret still verifies');
    assert.throws(() => standardVerified(signedDuring, `whsec_${randomBytes(32).toString('base64')}`), /signature/i);

    // Once the overlap is over, the old secret verifies nothing.
    await server.db
      .updateTable('webhook_endpoints')
      .set({ previousuntil: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', endpoint._id)
      .execute();
    const later = await makeCustomer(server);
    await receiver.until((got) => got.some((r) => r.path === pathOf('rotated') && r.json.data._id === later._id));
    const signedLater = receiver.received.find((r) => r.json.data._id === later._id && r.path === pathOf('rotated'))!;
    assert.deepEqual(standardVerified(signedLater, fresh), signedLater.json);
    assert.throws(() => standardVerified(signedLater, original), /signature/i);
  });

  it('shows an endpoint’s success rate over the last 24 hours once its deliveries are done', async () => {
    const { endpoint } = await createEndpoint(server.db, server.businessId, {
      url: at('rated'),
      events: ['customer.created'],
    });
    receiver.answer = (got) => (got.path === pathOf('rated') && got.json.data.name === 'Refused Customer' ? 500 : 200);
    try {
      await open();
      const rated = row(at('rated'));
      assert.equal(await text(await cell(rated, 'Last 24 h')), '—', 'no deliveries yet');

      for (const name of ['Amina Odhiambo', 'Refused Customer', 'Juma Mwangi', 'Halima Njeri'])
        await makeCustomer(server, server.secret, { name });
      const done = await until(
        () => deliveries(endpoint._id),
        (made) => made.length === 4 && made.every((d) => d.status !== 'pending'),
        'deliveries',
      );
      assert.deepEqual(done.map((d) => d.status).sort(), ['failed', 'succeeded', 'succeeded', 'succeeded']);
      const listed = (await reloadList()).find((e) => e._id === endpoint._id);
      assert.deepEqual(listed?.recent, { total: 4, succeeded: 3 });
      assert.equal(await text(await cell(rated, 'Last 24 h')), '75% of 4');
      await browser.shot('webhooks-success-rate');
    } finally {
      receiver.answer = () => 200;
    }
  });

  it('shows why an endpoint that failed every delivery for 5 days was disabled; enabling it clears that and sends what waited', async () => {
    const { endpoint } = await createEndpoint(server.db, server.businessId, {
      url: at('failing'),
      events: ['customer.created'],
    });
    receiver.answer = (got) => (got.path === pathOf('failing') ? 503 : 200);
    try {
      // Its run of failures is dated six days back instead of waited for: the next failed attempt ends it.
      const since = new Date(Date.now() - 6 * 86_400_000).toISOString();
      await server.db
        .updateTable('webhook_endpoints')
        .set({ failingsince: since })
        .where('id', '=', endpoint._id)
        .execute();
      await open();
      const failing = row(at('failing'));
      await failing.getByRole('button', { name: 'Send test', exact: true }).click();
      await toast('Test event sent');
      await receiver.until((got) => got.some((r) => r.path === pathOf('failing')));
      await endpointUntil(endpoint._id, (stored) => stored.status === 'disabled');

      await reloadList();
      const status = await cell(failing, 'Status');
      // The instant as the page shows every other (dateTime in dashboard/src/format.ts), not as the server stores it.
      const shown = await page.evaluate(
        (at) =>
          new Intl.DateTimeFormat((globalThis as unknown as { navigator: { language: string } }).navigator.language, {
            weekday: 'short',
            day: 'numeric',
            month: 'short',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).format(new Date(at)),
        since,
      );
      assert.deepEqual(await lines(status), ['disabled', `Every delivery failed for 5 days, since ${shown}`]);
      await browser.shot('webhooks-disabled-by-failures');

      // The receiver is mended and the endpoint enabled: the ping's retry, held while it was disabled, goes out.
      receiver.answer = () => 200;
      await failing.getByRole('button', { name: 'Enable', exact: true }).click();
      await toast('Enabled');
      await status.getByText('enabled', { exact: true }).waitFor();
      assert.deepEqual(await lines(status), ['enabled']);
      assert.equal((await getEndpointRow(server.db, server.businessId, endpoint._id))?.disabledreason, null);
      await until(
        () => deliveries(endpoint._id),
        ([ping]) => ping?.status === 'succeeded',
        'the held ping',
      );
    } finally {
      receiver.answer = () => 200;
    }
  });

  it('deletes an endpoint after a confirmation: gone from the page and from the API', async () => {
    const { endpoint } = await createEndpoint(server.db, server.businessId, {
      url: at('deleted'),
      events: ['customer.created'],
    });
    await open();
    const deleted = row(at('deleted'));
    const button = deleted.getByRole('button', { name: /^Delete/ });
    assert.equal(await button.count(), 1, 'each endpoint has a Delete button');
    // Cancelled, nothing happens; confirmed, it goes.
    await button.click();
    const confirm = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.ok(
      (await reloadList()).some((e) => e._id === endpoint._id),
      'still listed after Cancel',
    );
    await button.click();
    await confirm.getByRole('button', { name: 'Delete endpoint', exact: true }).click();
    await deleted.waitFor({ state: 'detached' });
    const listed = await reloadList();
    assert.ok(!listed.some((e) => e._id === endpoint._id), 'the API no longer lists it');
    assert.equal(await getEndpointRow(server.db, server.businessId, endpoint._id), undefined);
  });

  it('logged no console errors, page errors or CSP violations', () => {
    assert.deepEqual(browser.problems, []);
  });
});
