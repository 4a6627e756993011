// The public booking page end to end, in a real browser at phone width (390 px) in the visitor's own zone: pick a
// day and a time by keyboard and pointer, fill the form, see the confirmation in both zones, then find the booking
// and its new customer through the API with sourceorigin "booking_page".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { type Browser, e2eUnavailable, openBrowser } from './e2e/browser.js';
import { appointmentInput } from './helpers/fixtures.js';
import { countSkipped, startServer, type TestServer } from './helpers/server.js';

const unavailable = e2eUnavailable();
countSkipped('booking page end-to-end test', unavailable);

describe('the booking page in a browser', { skip: unavailable }, () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await openBrowser({ timezoneId: 'America/New_York' });
    await browser.page.setViewportSize({ width: 390, height: 844 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('books a time at 390 px, and the API shows the booking and the customer', async () => {
    const type = await createAppointment(
      server.db,
      server.businessId,
      appointmentInput({
        title: 'Site visit',
        description: 'We come to you',
        location: 'Westlands, Nairobi',
        duration: 45,
        price: 2500,
        timezone: 'Africa/Nairobi',
        minnoticeminutes: 0,
        windowdays: 90,
        availability: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => ({
          day: day as 'monday',
          start: '09:00',
          end: '17:00',
        })),
      }),
      'dashboard',
    );
    const { page } = browser;
    const { bookingurl } = (await server.request('GET', `/business/appointment/details/${type._id}`)).body.data;
    await page.goto(bookingurl);
    await page.getByRole('heading', { level: 1, name: 'Site visit' }).waitFor();
    assert.equal(await page.getByLabel('Your time zone').inputValue(), 'America/New_York', 'the zone is detected');

    // Next month always has free days; choose its first by keyboard.
    await page.getByRole('button', { name: 'Next month' }).click();
    const day = page.locator('.calendar button:not([disabled])').first();
    await day.waitFor();
    await day.focus();
    await page.keyboard.press('Enter');
    await page.locator('#times-heading').waitFor();
    await browser.shot('booking-page-day', { fullPage: true });
    const time = page.locator('.times button').first();
    const starttime = await time.getAttribute('data-start');
    await time.click();

    await page.getByLabel('Name').fill('Baraka Mwangi');
    await page.getByLabel('Email').fill('Baraka@Example.com');
    await page.getByLabel('Phone (optional)').fill('+254 700 000 111');
    await page.getByRole('button', { name: 'Book' }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    const confirmation = (await page.locator('main').textContent()) ?? '';
    assert.match(confirmation, /America\/New_York/);
    assert.match(confirmation, /Africa\/Nairobi/, "and the type's own zone");
    const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
    assert.ok(width <= 390, `nothing wider than the phone (${width}px)`);
    await browser.shot('booking-page-confirmed', { fullPage: true });
    const manage = await page.getByRole('link', { name: 'Manage your booking' }).getAttribute('href');
    assert.ok(manage);

    const list = await server.request('GET', `/business/booking/list?appointmentid=${type._id}`);
    assert.equal(list.body.pagination.total, 1);
    const booking = list.body.data[0];
    assert.equal(booking.starttime, starttime);
    assert.equal(booking.sourceorigin, 'booking_page');
    const customer = (await server.request('GET', `/business/customer/details/${booking.customerid}`)).body.data;
    assert.equal(customer.email, 'Baraka@Example.com');
    assert.equal(customer.phone, '+254 700 000 111');
    assert.equal(customer.sourceorigin, 'booking_page');

    // The manage link shows it and cancels it.
    await page.goto(manage);
    await page.getByRole('heading', { name: 'Site visit' }).waitFor();
    await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
    await page.getByText(/\(Asia\/Tokyo\)/).waitFor();
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('Your booking is cancelled.').waitFor();
    const after = (await server.request('GET', `/business/booking/details/${booking._id}`)).body.data;
    assert.equal(after.status, 'cancelled');
    assert.deepEqual(browser.problems, [], 'no console errors, no CSP violations');
  });
});
