// What a new user met in the browser: /docs and the dashboard over plain HTTP at an address that is not loopback,
// the customer picker's answer to a fast Enter, tables that fit a laptop's screen, a phone's closed drawer out of the
// Tab order, and times that say their zone. Screenshots: test-output/screenshots/first-use-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createUser } from '../src/dashboard/users.store.js';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { createCredential } from '../src/modules/business/business.store.js';
import { FakeData } from '../src/seed/fake.js';
import { seedBusiness } from '../src/seed/seed.js';
import { type Browser, e2eUnavailable, openBrowser, signInThroughForm } from './e2e/browser.js';
import { countSkipped, customerBody, startServer, type TestServer } from './helpers/server.js';

const unavailable = e2eUnavailable();
countSkipped('dashboard first-use tests', unavailable);

const EMAIL = 'amina@zuri.example.com';
const PASSWORD = 'a long and correct password';
/** A name the browser does not take for loopback, resolved to 127.0.0.1 inside it (see openBrowser's `hosts`). */
const LAN_HOST = 'mteja-lan.test';

/** A Monday at least a week ahead, YYYY-MM-DD (UTC): bookable whatever today is. */
function mondayAhead(): string {
  const d = new Date(Date.now() + 7 * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}

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
      await res.arrayBuffer(); // read to the end: an unread body keeps its connection busy, and close() waits for it
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, `${path || 'the page'} keeps a strict CSP`);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/, `${path || 'the page'} is not sent to https`);
    }
  });

  it('sends the dashboard with a CSP that does not upgrade it to https', async () => {
    const res = await fetch(`${server.url}/dashboard/`);
    await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    // Both are HTTPS-only: HSTS would pin a plain-HTTP dashboard to https, and browsers refuse COOP over plain HTTP
    // at a LAN address with an error on every page.
    assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS unless DASHBOARD_SECURE_COOKIES');
    assert.equal(res.headers.get('cross-origin-opener-policy'), null, 'no COOP unless DASHBOARD_SECURE_COOKIES');
  });
});

describe('the dashboard for a new user', { skip: unavailable }, () => {
  let server: TestServer;
  let base: string;
  const ids: Record<string, string> = {};
  const monday = mondayAhead();

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await server.request(method, path, { body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.body.data;
  };

  before(async () => {
    server = await startServer();
    base = `${server.url}/dashboard`;
    await createUser(server.db, server.businessId, { email: EMAIL, name: 'Amina Njeri', password: PASSWORD });
    await seedBusiness(
      server.db,
      server.businessId,
      { customers: 24, leads: 18, contacts: 4, quotes: 4, contracts: 2, appointments: 1, bookings: 4 },
      { fake: FakeData.seeded(11, 'first-use') },
    );
    // Several customers answer "Wanjiru", none of them Zawadi: the previous search's first is never the right one.
    for (const name of ['Wanjiru Kamau', 'Wanjiru Otieno', 'Wanjiru Mwangi'])
      await api('POST', '/business/customer/create', customerBody({ name }));
    ids.zawadi = (await api('POST', '/business/customer/create', customerBody({ name: 'Zawadi Achieng' })))._id;
    // Values as long as real ones get: they must wrap or be cut, not widen their table.
    await api(
      'POST',
      '/business/customer/create',
      customerBody({
        name: 'Nyambura Wairimu-Kiplagat',
        email: 'procurement.and.logistics.department@nyambura-wairimu-kiplagat-holdings.example.co.ke',
        company: 'Wairimu-Kiplagat Agricultural Produce and Logistics Holdings International Limited',
        country: 'Democratic Republic of the Congo',
        type: 'business',
      }),
    );
    await createCredential(server.db, server.businessId, {
      name: 'Online shop for the Nairobi, Mombasa and Kisumu branches',
      type: 'ecommerce',
      webhookurl: `https://hooks.shop.example.com/integrations/mteja/webhooks/customers/${'a'.repeat(120)}?token=${'b'.repeat(40)}`,
    });
    await api('POST', '/business/lead/create', {
      name: 'Oluwaseun Adebayo-Okonkwo',
      email: 'oluwaseun.adebayo-okonkwo@adebayo-okonkwo-agricultural-cooperative.example.com',
      company: 'Adebayo-Okonkwo Agricultural Cooperative Society of Western Nigeria',
      source: 'trade_fair_in_lagos_and_abuja',
      budget: 12_500_000,
      status: 'lost',
    });
    // Appointment types are made in the dashboard only (the API reads them), so through the store here.
    const type = await createAppointment(
      server.db,
      server.businessId,
      {
        title: 'Consultation',
        category: 'meeting',
        duration: 60,
        currency: 'KES',
        timezone: 'Africa/Nairobi',
        availability: (['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const).map((day) => ({
          day,
          start: '09:00',
          end: '17:00',
        })),
      },
      'dashboard',
    );
    ids.type = type._id;
  });
  after(async () => server?.close());

  describe('at an address that is not loopback', () => {
    let browser: Browser;
    let origin: string;
    before(async () => {
      browser = await openBrowser({ hosts: { [LAN_HOST]: '127.0.0.1' } });
      origin = `http://${LAN_HOST}:${new URL(server.url).port}`;
    });
    after(async () => browser?.close());

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

    it('signs in to the dashboard, and its pages log no errors', async () => {
      await signInThroughForm(browser.page, `${origin}/dashboard`, EMAIL, PASSWORD);
      await browser.page.locator('.kpi .value .skeleton').first().waitFor({ state: 'detached' });
      assert.deepEqual(browser.problems, []);
    });
  });

  describe('the customer picker', () => {
    let browser: Browser;
    let page: Page;
    const box = () => page.getByRole('combobox', { name: 'Customer' });
    const options = () => page.getByRole('listbox', { name: 'Customer' }).getByRole('option');
    /** The first customer the list offers for "Zawadi": what Enter, or a click on the first option, must choose. */
    const firstZawadi = async (): Promise<{ _id: string; name: string }> =>
      (await api('GET', '/business/customer/list?search=Zawadi&limit=8&active=true'))[0];
    const boxValue = () => box().inputValue();
    /** The new-quote page, with the picker's list showing the answer to "Wanjiru". */
    const afterWanjiru = async () => {
      await page.goto(`${base}/quotes/new`);
      await box().fill('Wanjiru');
      await page.getByRole('option', { name: /Wanjiru Kamau/ }).waitFor();
    };
    before(async () => {
      browser = await openBrowser();
      page = browser.page;
      await signInThroughForm(page, base, EMAIL, PASSWORD);
    });
    after(async () => browser?.close());

    it('chooses the customer typed when Enter follows at once, and the quote is theirs', async () => {
      await afterWanjiru();
      await box().selectText();
      await box().pressSequentially('Zawadi');
      await box().press('Enter');
      await page.waitForFunction(
        () =>
          (globalThis as any).document.querySelector('input[role=combobox]')?.getAttribute('aria-expanded') === 'false',
      );
      const zawadi = await firstZawadi();
      assert.equal(await boxValue(), zawadi.name);
      await page.getByLabel('Title', { exact: true }).fill('Irrigation survey');
      await page.getByLabel('Item 1 title').fill('Survey');
      await page.getByLabel('Item 1 quantity').fill('1');
      await page.getByLabel('Item 1 rate').fill('15000');
      await page.getByRole('button', { name: 'Create quote' }).click();
      await page.getByRole('button', { name: 'Mark as sent' }).waitFor();
      const quoteId = /\/quotes\/([0-9a-f]{24})$/.exec(new URL(page.url()).pathname)![1];
      assert.equal((await api('GET', `/business/quote/details/${quoteId}`)).customerid, zawadi._id);
    });

    it('chooses the customer typed when the first option is clicked at once', async () => {
      await afterWanjiru();
      await box().fill('Zawadi');
      await options().first().click();
      assert.equal(await boxValue(), (await firstZawadi()).name);
    });

    it('drops the answer to older words that arrives after the answer to newer ones', async () => {
      const late = '**/dashboard/api/customer/list?*search=Nyambura*';
      await page.route(late, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue().catch(() => undefined);
      });
      try {
        await page.goto(`${base}/quotes/new`);
        await box().fill('Nyambura');
        await page.waitForTimeout(400); // past the pause that starts a search: "Nyambura" is asked, and held back
        await box().fill('Zawadi Achieng');
        await options().first().waitFor();
        await page.waitForTimeout(1500); // the answer to "Nyambura" has arrived by now
        const shown = await options().allTextContents();
        assert.equal(shown.length, 1, shown.join(' | '));
        assert.match(shown[0], /Zawadi Achieng/);
      } finally {
        await page.unroute(late);
      }
    });

    it('logged no console errors', () => assert.deepEqual(browser.problems, []));
  });

  describe('on a laptop and on a phone', () => {
    let browser: Browser;
    let page: Page;
    /** How far the page, and each table or board on it, scrolls sideways (0 when it fits). */
    const overflow = () =>
      page.evaluate(() => {
        const doc = (globalThis as any).document;
        const out: Record<string, number> = {
          page: doc.scrollingElement.scrollWidth - doc.scrollingElement.clientWidth,
        };
        for (const [i, el] of [...doc.querySelectorAll('.table-wrap, .board')].entries())
          out[`${el.className} ${i}`] = el.scrollWidth - el.clientWidth;
        return out;
      });
    before(async () => {
      browser = await openBrowser();
      page = browser.page;
      await signInThroughForm(page, base, EMAIL, PASSWORD);
    });
    after(async () => browser?.close());

    for (const [path, ready] of [
      ['/customers', 'table.data tbody tr.clickable'],
      ['/credentials', 'table.data tbody tr'],
      ['/leads', '.lead-card'],
      // The other lists, which fitted already: kept so.
      ['/contacts', 'table.data tbody tr'],
      ['/quotes', 'table.data tbody tr'],
      ['/contracts', 'table.data tbody tr'],
      ['/bookings?when=all', 'table.data tbody tr'],
    ] as const) {
      it(`shows ${path} at 1280×800 without sideways scrolling`, async () => {
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.goto(`${base}${path}`);
        await page.locator(ready).first().waitFor();
        const measured = await overflow();
        assert.ok(Object.keys(measured).length > 1, 'a table or the board was measured');
        for (const [what, px] of Object.entries(measured)) assert.ok(px <= 0, `${what} scrolls sideways by ${px}px`);
        await browser.shot(`first-use-1280-${path.replace(/\W+/g, '-').replace(/^-|-$/g, '')}`);
      });
    }

    it('cuts a long value with the whole of it in a tooltip', async () => {
      await page.goto(`${base}/customers?search=Nyambura`);
      const email = page.locator('table.data td .truncate', { hasText: 'procurement.and.logistics' });
      await email.waitFor();
      assert.equal(
        await email.getAttribute('title'),
        'procurement.and.logistics.department@nyambura-wairimu-kiplagat-holdings.example.co.ke',
      );
    });

    it('keeps the closed navigation drawer out of the Tab order on a phone, and the open one in it', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/customers`);
      await page.locator('table.data tbody tr.clickable').first().waitFor();
      const inDrawer = () =>
        page.evaluate(() => Boolean((globalThis as any).document.activeElement?.closest('aside.sidebar')));
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        assert.equal(await inDrawer(), false, `Tab ${i + 1} focused a link in the closed drawer`);
      }
      await page.getByRole('button', { name: 'Open navigation' }).click();
      await page.locator('aside.sidebar.open').waitFor();
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await inDrawer();
      }
      assert.ok(reached, 'the open drawer is reachable with Tab');
      await page.locator('aside.sidebar').getByRole('link', { name: 'Leads', exact: true }).click();
      await page.locator('.lead-card').first().waitFor();
      assert.equal(await page.locator('aside.sidebar').isVisible(), false, 'the drawer closes on navigation');
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    it('logged no console errors', () => assert.deepEqual(browser.problems, []));
  });

  describe('times, to a viewer in New York booking in Nairobi', () => {
    let browser: Browser;
    let page: Page;
    const VIEWER = 'America/New_York';
    /** 09:00 in Nairobi (UTC+3) on `monday`, and the same instant on a New York clock. */
    const start = () => `${monday}T06:00:00.000Z`;
    const inNewYork = (iso: string) =>
      new Intl.DateTimeFormat('en-US', {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: VIEWER,
      }).format(new Date(iso));
    before(async () => {
      browser = await openBrowser({ timezoneId: VIEWER });
      page = browser.page;
      await signInThroughForm(page, base, EMAIL, PASSWORD);
    });
    after(async () => browser?.close());

    it('asks for the time in the type’s zone, says so, and confirms it in both zones', async () => {
      await page.goto(`${base}/bookings?new=1&type=${ids.type}`);
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('heading', { name: 'New booking' }).waitFor();
      await page.waitForFunction(() =>
        (globalThis as any).document
          .querySelector('dialog[open] select')
          ?.selectedOptions[0]?.textContent.startsWith('Consultation'),
      );
      await dialog.getByRole('combobox', { name: 'Customer' }).fill('Zawadi');
      await dialog.getByRole('option', { name: /Zawadi Achieng/ }).click();
      await dialog.getByLabel('Date', { exact: true }).fill(monday);
      await dialog.getByText('Free times on this day, Nairobi time').waitFor();
      await dialog.getByLabel('Start time').fill('09:00');
      await dialog.getByText(/Nairobi time \(Africa\/Nairobi\) · ends 10:00/).waitFor();
      await browser.shot('first-use-zones-form');
      await dialog.getByRole('button', { name: 'Book' }).click();
      const toast = page.locator('.toast', { hasText: 'Booked Consultation' });
      await toast.waitFor();
      const said = ((await toast.textContent()) ?? '').replace(/\u00a0/g, ' ');
      assert.match(said, /09:00 Nairobi time/, said);
      assert.ok(said.includes(`${inNewYork(start())} New York time`), said);
      const booked = (await server.request('GET', `/business/booking/list?appointmentid=${ids.type}`)).body.data;
      assert.deepEqual(
        booked.map((b: { starttime: string }) => b.starttime),
        [start()],
        '09:00 in Nairobi is stored as 06:00 UTC',
      );
      ids.booking = booked[0]._id;
    });

    it('shows the booking in the type’s zone, with the viewer’s alongside, wherever it is listed', async () => {
      const nairobi = /Mon, [A-Z][a-z]{2} \d{1,2}, 09:00–10:00 Nairobi time/;
      const local = `${inNewYork(start())}–${inNewYork(`${monday}T07:00:00.000Z`)} New York time`;
      const check = async (where: string, text: string | null) => {
        const t = (text ?? '').replace(/\u00a0/g, ' ');
        assert.match(t, nairobi, `${where}: ${t}`);
        assert.ok(t.includes(local), `${where} shows the viewer's time too: ${t}`);
      };
      await page.goto(`${base}/bookings?type=${ids.type}`);
      const row = page.locator('table.data tbody tr', { hasText: 'Consultation with Zawadi Achieng' });
      await row.waitFor();
      await check('the bookings list', await row.textContent());
      await row.click();
      const when = page.getByRole('dialog').locator('dd').first();
      await when.waitFor();
      await check('the booking', await when.textContent());
      await browser.shot('first-use-zones-booking');
      await page.goto(`${base}/customers/${ids.zawadi}?tab=bookings`);
      const cell = page.locator('table.data tbody tr', { hasText: 'Consultation' }).first();
      await cell.waitFor();
      await check("the customer's bookings", await cell.textContent());
      await page.goto(`${base}/bookings?view=week&week=${monday}&type=${ids.type}`);
      await page.getByText(`Times in your zone, ${VIEWER}`).waitFor();
    });

    it('logged no console errors', () => assert.deepEqual(browser.problems, []));
  });
});
