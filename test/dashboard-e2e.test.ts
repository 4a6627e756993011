// The dashboard end to end, in a real browser: a staff member signs in and runs the CRM, and everything they make
// reads back through the public API with sourceorigin "dashboard". Screenshots of each page: test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { createUser } from '../src/dashboard/users.store.js';
import { listCredentials } from '../src/modules/business/business.store.js';
import { FakeData } from '../src/seed/fake.js';
import { seedBusiness } from '../src/seed/seed.js';
import { type Browser, e2eUnavailable, openBrowser } from './e2e/browser.js';
import { standardVerified, startReceiver } from './helpers/receiver.js';
import { countSkipped, startServer, type TestServer } from './helpers/server.js';

const unavailable = e2eUnavailable();
countSkipped('dashboard end-to-end tests', unavailable);

const EMAIL = 'esther@amani.example.com';
const PASSWORD = 'a long and correct password';

/** A Monday at least a week ahead, YYYY-MM-DD (UTC): bookable whatever today is. */
function mondayAhead(): string {
  const d = new Date(Date.now() + 7 * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}

/** Text as the eye reads it: Intl puts no-break spaces between a currency code and its amount. */
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ').trim();

const idFrom = (page: Page, pattern: RegExp) => {
  const match = pattern.exec(new URL(page.url()).pathname);
  assert.ok(match, `${page.url()} should match ${pattern}`);
  return match[1];
};

describe('the dashboard in a browser', { skip: unavailable }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let shop: { businessId: string; secret: string };
  const made: Record<string, string> = {};
  const monday = mondayAhead();

  /** GET on the public API as the business, the way an integration would read what the dashboard made. */
  const publicApi = async (path: string, secret = shop.secret) => server.request('GET', path, { secret });
  const expectFromDashboard = async (resource: string, id: string) => {
    const res = await publicApi(`/business/${resource}/details/${id}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.data.sourceorigin, 'dashboard', `${resource} ${id} was made in the dashboard`);
    return res.body.data;
  };
  const toast = (pattern: string | RegExp) => page.locator('.toast', { hasText: pattern }).first().waitFor();
  const nav = async (name: string, heading = name) => {
    await page.locator('aside.sidebar').getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  before(async () => {
    server = await startServer(undefined, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    shop = await server.newBusiness('Amani Traders');
    await createUser(server.db, shop.businessId, { email: EMAIL, name: 'Esther Wanjiru', password: PASSWORD });
    await seedBusiness(
      server.db,
      shop.businessId,
      { customers: 24, leads: 18, contacts: 12, quotes: 10, contracts: 6, appointments: 3, bookings: 24 },
      { fake: FakeData.seeded(7, 'e2e') },
    );
    browser = await openBrowser();
    page = browser.page;
    base = `${server.url}/dashboard`;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, after refusing a wrong password', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await browser.shot('01-sign-in');
    await page.getByLabel('Email').fill(EMAIL);
    await page.locator('#password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' }).waitFor();
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await page.locator('.kpi .value .skeleton').first().waitFor({ state: 'detached' });
    await browser.shot('02-overview', { fullPage: true });
  });

  it('creates a customer, with the API’s messages beside the fields', async () => {
    await nav('Customers');
    await page.locator('table.data tbody tr.clickable').first().waitFor();
    await browser.shot('03-customers');
    await page.getByRole('button', { name: 'New customer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('not an email');
    await dialog.getByRole('button', { name: 'Create customer' }).click();
    await dialog.getByText('Name is required').waitFor();
    await dialog.getByText('Email is not a valid email address').waitFor();
    await dialog.getByText('Phone is required').waitFor();
    assert.equal(await dialog.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    // Focus moves to the first field in error on the next animation frame, which a busy machine may not have drawn
    // when the messages show (a CI run read it a moment too early).
    await page
      .waitForFunction(() => (globalThis as any).document.activeElement?.getAttribute('aria-invalid') === 'true')
      .catch(() => assert.fail('focus moves to the first field in error'));
    await browser.shot('04-customer-form-errors');
    await dialog.getByLabel('Name', { exact: true }).fill('Wanjiru Kamau');
    await dialog.getByLabel('Email').fill('wanjiru.kamau@amani.example.com');
    await dialog.getByLabel('Phone').fill('+254712000111');
    await dialog.getByLabel('Country').fill('Kenya');
    await dialog.getByLabel('Company').fill('Kamau Fresh Produce');
    await dialog.getByRole('button', { name: 'Business' }).click();
    await dialog.getByRole('button', { name: 'Create customer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Wanjiru Kamau' }).waitFor();
    made.customer = idFrom(page, /\/customers\/([0-9a-f]{24})$/);
    const customer = await expectFromDashboard('customer', made.customer);
    assert.equal(customer.email, 'wanjiru.kamau@amani.example.com');
    assert.equal(customer.type, 'business');
    await browser.shot('05-customer');

    // The same email again is the API's 409, shown on the email field.
    await nav('Customers');
    await page.getByRole('button', { name: 'New customer' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Someone Else');
    await dialog.getByLabel('Email').fill('WANJIRU.KAMAU@amani.example.com');
    await dialog.getByLabel('Phone').fill('+254712000222');
    await dialog.getByLabel('Country').fill('Kenya');
    await dialog.getByRole('button', { name: 'Create customer' }).click();
    await dialog.getByText('Customer with this email already exists').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a quote with line items and shows the totals the server computed', async () => {
    await page.goto(`${base}/customers/${made.customer}`);
    await page.getByRole('link', { name: 'New quote' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New quote' }).waitFor();
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('input[role=combobox]')?.value === 'Wanjiru Kamau',
    );
    await page.getByLabel('Title', { exact: true }).fill('Cold-room installation');
    const line = async (n: number, values: [string, string, string, string?, string?]) => {
      await page.getByLabel(`Item ${n} title`).fill(values[0]);
      await page.getByLabel(`Item ${n} quantity`).fill(values[1]);
      await page.getByLabel(`Item ${n} rate`).fill(values[2]);
      if (values[3]) await page.getByLabel(`Item ${n} discount`).fill(values[3]);
      if (values[4]) await page.getByLabel(`Item ${n} tax rate`).fill(values[4]);
    };
    await line(1, ['Design', '3', '1500.50', '100', '16']);
    await page.getByRole('button', { name: 'Add line' }).click();
    await line(2, ['Hosting', '3', '33.33', '', '16']);
    await page.getByRole('button', { name: 'Add line' }).click();
    await line(3, ['Domain', '2', '10']);
    // (4501.50 − 100) × 16% + 99.99 × 16% = 720.24 tax; 4621.49 − 100 + 720.24 = 5241.73.
    await page.waitForFunction(
      () =>
        (globalThis as any).document.querySelector('[data-total=total]')?.textContent.replace(/\u00a0/g, ' ') ===
        'KES 5,241.73',
    );
    assert.equal(await text(page.locator('[data-total=subtotal]')), 'KES 4,621.49');
    assert.equal(await text(page.locator('[data-total=discount]')), '− KES 100.00');
    assert.equal(await text(page.locator('[data-total=tax]')), 'KES 720.24');
    await browser.shot('06-quote-editor', { fullPage: true });
    await page.getByRole('button', { name: 'Create quote' }).click();
    await page.getByRole('button', { name: 'Mark as sent' }).waitFor();
    made.quote = idFrom(page, /\/quotes\/([0-9a-f]{24})$/);
    const quote = await expectFromDashboard('quote', made.quote);
    assert.deepEqual([quote.subtotal, quote.discount, quote.tax, quote.total], [4621.49, 100, 720.24, 5241.73]);
    assert.equal(quote.customerid, made.customer);
    assert.equal(quote.items.length, 3);
    assert.equal(quote.status, 'draft');

    await page.getByRole('button', { name: 'Mark as sent' }).click();
    await page.getByRole('button', { name: 'Mark accepted' }).waitFor();
    assert.equal((await publicApi(`/business/quote/details/${made.quote}`)).body.data.status, 'sent');
    await browser.shot('07-quote-sent');
    await page.getByRole('link', { name: 'Print' }).click();
    await page.locator('.print-page').getByText('Cold-room installation').waitFor();
    await browser.shot('08-quote-print', { fullPage: true });
    await page.getByRole('link', { name: 'Back to the quote' }).click();
    await page.getByRole('button', { name: 'Mark accepted' }).waitFor();
  });

  it('moves a lead through the pipeline and converts it with the API’s conversion', async () => {
    await nav('Leads');
    await page.locator('.lead-card').first().waitFor();
    await browser.shot('09-leads');
    await page.getByRole('button', { name: 'New lead' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Baraka Otieno');
    await dialog.getByLabel('Email').fill('baraka@otieno-logistics.example.com');
    await dialog.getByLabel('Phone').fill('+254711223344');
    await dialog.getByLabel('Company').fill('Otieno Logistics');
    await dialog.getByLabel('Country').fill('Kenya');
    await dialog.getByLabel('Source').fill('referral');
    await dialog.getByRole('button', { name: 'Add lead' }).click();
    const card = page.locator('.lead-card', { hasText: 'Baraka Otieno' });
    const column = (stage: string) => page.getByRole('region', { name: `${stage} leads` });
    await column('New').locator('.lead-card', { hasText: 'Baraka Otieno' }).waitFor();
    const lead = (await publicApi('/business/lead/list?search=Baraka%20Otieno')).body.data[0];
    made.lead = lead._id;
    assert.equal(lead.sourceorigin, 'dashboard');

    await card.dragTo(column('Contacted'));
    await column('Contacted').locator('.lead-card', { hasText: 'Baraka Otieno' }).waitFor();
    await toast('moved to Contacted');
    assert.equal((await publicApi(`/business/lead/details/${made.lead}`)).body.data.status, 'contacted');

    await card.getByLabel('Move Baraka Otieno to').selectOption('qualified');
    await column('Qualified').locator('.lead-card', { hasText: 'Baraka Otieno' }).waitFor();
    await toast('moved to Qualified');
    assert.equal((await publicApi(`/business/lead/details/${made.lead}`)).body.data.status, 'qualified');

    await card.getByRole('button', { name: 'Convert' }).click();
    await dialog.getByRole('heading', { name: 'Convert Baraka Otieno to a customer' }).waitFor();
    await browser.shot('10-lead-convert');
    await dialog.getByRole('button', { name: 'Convert to customer' }).click();
    await toast('is now a customer');
    await column('Converted').locator('.lead-card', { hasText: 'Baraka Otieno' }).waitFor();
    const converted = (await publicApi(`/business/lead/details/${made.lead}`)).body.data;
    assert.equal(converted.status, 'converted');
    assert.match(converted.customerid, /^[0-9a-f]{24}$/);
    const customer = await expectFromDashboard('customer', converted.customerid);
    assert.equal(customer.company, 'Otieno Logistics');
    assert.equal(customer.type, 'business');
  });

  it('creates an appointment type with weekly hours, refusing a window that ends before it starts', async () => {
    await nav('Appointment types');
    await page.locator('.type-card').first().waitFor();
    await browser.shot('11-appointment-types');
    await page.getByRole('link', { name: 'New appointment type' }).click();
    await page.getByRole('heading', { level: 1, name: 'New appointment type' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill('Site survey');
    await page.getByLabel('Kind').selectOption('in_person');
    await page.getByLabel('Duration (minutes)').fill('60');
    await page.getByLabel('Buffer after each booking (minutes)').fill('15');
    await page.getByLabel('Price', { exact: true }).fill('2500');
    await page.getByLabel('Location').fill('Industrial Area, Nairobi');
    await page.getByLabel('Time zone').selectOption('UTC');
    await page.getByRole('checkbox', { name: 'Saturday' }).check();
    await page.getByLabel('Saturday until').fill('08:00');
    await page.getByRole('button', { name: 'Create appointment type' }).click();
    await page.getByText('End must be after start').waitFor();
    await browser.shot('12-appointment-type-errors', { fullPage: true });
    await page.getByLabel('Saturday until').fill('13:00');
    await page.getByRole('button', { name: 'Create appointment type' }).click();
    await page.getByRole('button', { name: 'Archive' }).waitFor();
    made.appointment = idFrom(page, /\/appointment-types\/([0-9a-f]{24})$/);
    const type = await expectFromDashboard('appointment', made.appointment);
    assert.equal(type.timezone, 'UTC');
    assert.deepEqual(
      type.availability.find((w: { day: string }) => w.day === 'saturday'),
      { day: 'saturday', start: '09:00', end: '13:00' },
    );
    assert.equal(type.availability.length, 6);
    await browser.shot('13-appointment-type', { fullPage: true });
  });

  it('books a slot, refuses an overlapping one and one outside the hours, and the type’s stats follow the marks', async () => {
    await page.getByRole('link', { name: 'New booking' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'New booking' }).waitFor();
    await page.waitForFunction(() =>
      (globalThis as any).document
        .querySelector('dialog[open] select')
        ?.selectedOptions[0]?.textContent.startsWith('Site survey'),
    );
    const book = async (time: string | null) => {
      await dialog.getByLabel('Date', { exact: true }).fill(monday);
      if (time) await dialog.getByLabel('Start time').fill(time);
      await dialog.getByRole('button', { name: 'Book' }).click();
    };
    await dialog.getByRole('combobox', { name: 'Customer' }).fill('Wanjiru');
    await dialog.getByRole('option', { name: /Wanjiru Kamau/ }).click();
    await dialog.getByLabel('Date', { exact: true }).fill(monday);
    await dialog.getByRole('group', { name: 'Free times' }).getByRole('button', { name: '10:15' }).click();
    assert.equal(await dialog.getByLabel('Start time').inputValue(), '10:15');
    assert.equal(await dialog.getByLabel('Title', { exact: true }).inputValue(), 'Site survey with Wanjiru Kamau');
    await browser.shot('14-booking-form');
    await book(null);
    await toast('Booked Site survey with Wanjiru Kamau');
    await dialog.waitFor({ state: 'detached' }).catch(() => undefined);

    await page.getByRole('button', { name: 'New booking' }).click();
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('dialog[open] select')?.options.length > 1,
    );
    await dialog.getByLabel('Appointment type').selectOption({ label: 'Site survey · 60 min' });
    await book('10:45');
    await dialog
      .getByText(/Overlaps “Site survey with Wanjiru Kamau” \(10:15–11:15 UTC\), and 15 minutes are kept free/)
      .waitFor();
    assert.equal(await dialog.getByLabel('Start time').getAttribute('aria-invalid'), 'true');
    await browser.shot('15-booking-refused');
    await book('07:00');
    await dialog.getByText('Outside the hours of Site survey: Monday 09:00–17:00 (UTC)').waitFor();
    await book('11:30');
    await toast('Booked Site survey');

    const listed = (await publicApi(`/business/booking/list?appointmentid=${made.appointment}`)).body;
    assert.equal(listed.pagination.total, 2);
    for (const b of listed.data) assert.equal(b.sourceorigin, 'dashboard');
    const first = listed.data.find((b: { starttime: string }) => b.starttime === `${monday}T10:15:00.000Z`);
    assert.ok(first, 'the 10:15 booking is stored at 10:15 UTC');
    assert.equal(first.customerid, made.customer);
    assert.equal(first.endtime, `${monday}T11:15:00.000Z`);
    made.booking = first._id;

    await page.goto(`${base}/bookings?view=week&week=${monday}&type=${made.appointment}`);
    const block = page.locator('.slot-block', { hasText: 'Site survey with Wanjiru Kamau' }).first();
    await block.waitFor();
    await browser.shot('16-bookings-week');
    await block.click();
    await dialog.getByRole('button', { name: 'Mark completed' }).click();
    await toast('completed');
    const stats = (await publicApi(`/business/appointment/details/${made.appointment}`)).body.data.stats;
    assert.deepEqual(
      { total: stats.totalbookings, completed: stats.completed, upcoming: stats.upcoming },
      { total: 2, completed: 1, upcoming: 1 },
    );
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    await page.goto(`${base}/bookings`);
    await page.locator('table.data tbody tr.clickable').first().waitFor();
    await browser.shot('17-bookings');
  });

  it('adds a contact and a contract, refusing an end date before the start', async () => {
    await nav('Contacts');
    await page.getByRole('button', { name: 'New contact' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Neema Achieng');
    await dialog.getByLabel('Email').fill('neema@achieng.example.com');
    await dialog.getByLabel('Position').fill('Procurement Manager');
    await dialog.getByLabel('Company name').fill('Achieng Hardware');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await page.locator('table.data tbody tr', { hasText: 'Neema Achieng' }).waitFor();
    const contact = (await publicApi('/business/contact/list?search=Neema%20Achieng')).body.data[0];
    await expectFromDashboard('contact', contact._id);
    await browser.shot('18-contacts');

    await nav('Contracts');
    await page.getByRole('button', { name: 'New contract' }).click();
    await dialog.getByLabel('Title', { exact: true }).fill('Cold-room maintenance');
    await dialog.getByRole('combobox', { name: 'Customer' }).fill('Kamau');
    await dialog.getByRole('option', { name: /Wanjiru Kamau/ }).click();
    await dialog.getByLabel('Type', { exact: true }).fill('maintenance');
    await dialog.getByLabel('Value', { exact: true }).fill('120000');
    await dialog.getByLabel('Start date').fill('2030-01-01');
    await dialog.getByLabel('End date').fill('2029-12-01');
    await dialog.getByRole('checkbox', { name: 'Renews automatically' }).check();
    await dialog.getByRole('button', { name: 'Create contract' }).click();
    await dialog.getByText('End date must be after the start date').waitFor();
    await browser.shot('19-contract-errors');
    await dialog.getByLabel('End date').fill('2030-12-31');
    await dialog.getByRole('button', { name: 'Create contract' }).click();
    await toast(/Contract CON-\d{4}-\d{3} created/);
    const contract = (await publicApi('/business/contract/list?search=Cold-room%20maintenance')).body.data[0];
    made.contract = contract._id;
    await expectFromDashboard('contract', contract._id);
    assert.deepEqual(
      [contract.value, contract.autorenew, contract.customerid, contract.startdate, contract.enddate],
      [120000, true, made.customer, '2030-01-01T00:00:00.000Z', '2030-12-31T00:00:00.000Z'],
    );

    await page.locator('table.data tbody tr', { hasText: 'Cold-room maintenance' }).click();
    await dialog.getByRole('button', { name: 'Mark as sent' }).click();
    await toast('is now sent');
    assert.equal((await publicApi(`/business/contract/details/${made.contract}`)).body.data.status, 'sent');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await browser.shot('20-contracts');
  });

  it('creates an API credential whose secret works against the public API, sets its webhook URL, and revokes it', async () => {
    await nav('API credentials');
    await page.getByRole('button', { name: 'New credential' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Online shop');
    await dialog.getByLabel('Type', { exact: true }).selectOption('ecommerce');
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    const secret = (await dialog.locator('[data-secret]').textContent())!;
    assert.match(secret, /^cs_[0-9A-Za-z]{43}$/);
    await browser.shot('21-credential-secret');
    await dialog.getByRole('button', { name: 'I have stored it' }).click();

    const res = await server.request('GET', '/business/customer/list?search=Wanjiru%20Kamau', { secret });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.data.map((c: { _id: string }) => c._id),
      [made.customer],
      'the new secret reads this business',
    );
    const row = page.locator('table.data tbody tr', { hasText: 'Online shop' });
    assert.match(
      await text(row),
      new RegExp(`${secret.slice(0, 7)}…${secret.slice(-4)}`),
      'listed by prefix and last four only',
    );
    assert.ok(
      !(await text(page.locator('main'))).includes(secret),
      'the secret is not on the page once the dialog is closed',
    );

    await row.getByRole('button', { name: 'Edit Online shop and its webhook URL' }).click();
    await dialog.getByLabel('Webhook URL').fill('not a url');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Webhook URL must be a valid URL (http or https)').waitFor();
    await dialog.getByLabel('Webhook URL').fill('https://shop.amani.example.com/hooks/mteja');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await toast('Webhook URL saved');
    const stored = (await listCredentials(server.db, shop.businessId)).find((c) => c.name === 'Online shop');
    assert.equal(stored?.webhookurl, 'https://shop.amani.example.com/hooks/mteja');
    await browser.shot('22-credentials');

    await row.getByRole('button', { name: 'Revoke Online shop' }).click();
    await dialog.getByRole('button', { name: 'Revoke credential' }).click();
    await toast('revoked');
    assert.equal((await server.request('GET', '/business/customer/list', { secret })).status, 401);

    // A publishable key for the shop's contact form: its origins instead of scopes, and a lead-creating example.
    await page.getByRole('button', { name: 'New credential' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Contact form');
    await dialog.getByLabel('Type', { exact: true }).selectOption('publishable');
    await dialog.getByLabel('Origins').fill('https://shop.amani.example.com');
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    assert.match((await dialog.locator('[data-secret]').textContent())!, /^pk_/);
    assert.match(
      await text(dialog.locator('pre.snippet')),
      /Origin: https:\/\/shop\.amani\.example\.com.*lead\/create/,
    );
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    const form = page.locator('table.data tbody tr', { hasText: 'Contact form' });
    assert.match(await text(form), /Create leads from https:\/\/shop\.amani\.example\.com/);
  });

  it('adds a webhook endpoint for chosen events, sends a test event a receiver verifies, logs and redelivers it', async () => {
    const receiver = await startReceiver();
    try {
      await nav('Webhooks');
      await page.getByRole('button', { name: 'Add endpoint' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Endpoint URL').fill(receiver.url);
      await dialog.getByLabel('Every event').uncheck();
      await dialog.getByLabel('customer.created').check();
      await dialog.getByText('A customer was created').waitFor();
      await dialog.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await dialog.locator('[data-secret]').textContent())!;
      assert.match(secret, /^whsec_/);
      await dialog.getByRole('button', { name: 'Done' }).click();
      const row = page.locator('table.data tbody tr', { hasText: receiver.url });
      assert.match(await text(row), /customer\.created/);

      await row.getByRole('button', { name: 'Send test' }).click();
      await toast('Test event sent');
      await receiver.until((got) => got.length === 1);
      const [ping] = receiver.received;
      assert.equal((standardVerified(ping, secret) as { type: string }).type, 'ping');
      await new Promise((r) => setTimeout(r, 300)); // the attempt is logged just after the answer

      await row.getByRole('button', { name: 'Deliveries' }).click();
      const log = page.getByRole('dialog').locator('table.data tbody tr', { hasText: 'ping' });
      await log.getByText('succeeded').waitFor();
      await log.getByRole('button', { name: 'Redeliver ping' }).click();
      await toast('Delivery queued again');
      await receiver.until((got) => got.length === 2);
      // The log reloads a second after a redelivery: the first attempt is kept under the second.
      await log.getByText('1 earlier attempt').click();
      const first = log.locator('.attempts li');
      assert.match(await text(first.locator('div').first()), /^Attempt 1 · 200 · \d+ ms$/);
      assert.equal(await text(first.locator('.mono')), 'ok');
      await browser.shot('23-webhook-deliveries');
      await log.getByRole('button', { name: 'ping', exact: true }).click();
      const event = page.getByRole('dialog', { name: /^Event / });
      await event.getByText('"type": "ping"').waitFor();
      await event.getByText('1 earlier attempt').waitFor();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    } finally {
      await receiver.close();
    }
  });

  it('reads back every record it made through the public API with sourceorigin dashboard', async () => {
    for (const [resource, id] of Object.entries(made)) await expectFromDashboard(resource, id);
  });

  it('works at phone width: a navigation drawer, the board, the agenda and the quote', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    await page.locator('.kpi .value .skeleton').first().waitFor({ state: 'detached' });
    await browser.shot('23-phone-overview');
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.locator('aside.sidebar.open').waitFor();
    await browser.shot('24-phone-navigation');
    await page.locator('aside.sidebar').getByRole('link', { name: 'Leads', exact: true }).click();
    await page.locator('.lead-card').first().waitFor();
    await browser.shot('25-phone-leads');
    await page.goto(`${base}/bookings?view=week&week=${monday}`);
    await page.locator('.agenda-item').first().waitFor();
    await browser.shot('26-phone-bookings-week');
    await page.goto(`${base}/quotes/new`);
    await page.getByLabel('Item 1 title').waitFor();
    await browser.shot('27-phone-quote', { fullPage: true });
    await page.goto(`${base}/customers`);
    await page.locator('table.data tbody tr.clickable').first().waitFor();
    const overflow = await page.evaluate(
      () =>
        (globalThis as any).document.documentElement.scrollWidth -
        (globalThis as any).document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page does not scroll sideways at 390px (overflow ${overflow}px)`);
    await browser.shot('28-phone-customers');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('is reachable by keyboard: a skip link, the actions, dialogs that close on Escape', async () => {
    await page.goto(`${base}/customers`);
    await page.locator('table.data tbody tr.clickable').first().waitFor();
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim() as string | undefined);
    assert.equal(await focused(), 'Skip to content');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused()) === 'New customer';
    }
    assert.ok(reached, 'the New customer button is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('heading', { name: 'New customer' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(await focused(), 'New customer', 'focus returns to the button');
  });

  it('signs out, and the session no longer works', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const res = await page.request.get(`${base}/api/session`);
    assert.equal(res.status(), 401);
  });

  it('logged no console errors, page errors or CSP violations', () => {
    assert.deepEqual(browser.problems, []);
  });
});
