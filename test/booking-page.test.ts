// Contract suite: the public booking pages under /book (free times per zone, DST, notice and window, the race for
// one time, what a booking makes, manage links, inactive types, honeypot, per-address limits), on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app.js';
import { bookingPages } from '../src/db/migrations/0012_booking_pages.js';
import { createLogger } from '../src/logger.js';
import type { AppointmentCreate } from '../src/modules/appointment/appointment.schema.js';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { appointmentInput } from './helpers/fixtures.js';
import { engines, startServer, type TestServer, testConfig } from './helpers/server.js';

const DAY = 86_400_000;
const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const TAKEN = { success: false, error: 'That time is no longer available' };

for (const engine of engines()) {
  describe(`booking pages [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine, { BOOKING_PAGE_POSTS_PER_HOUR: '100000' });
    });
    after(() => server.close());

    let n = 0;
    const makeType = (overrides: Partial<AppointmentCreate>) =>
      createAppointment(
        server.db,
        server.businessId,
        appointmentInput({ minnoticeminutes: 0, windowdays: 400, ...overrides, title: `Type ${++n}` }),
        'dashboard',
      );
    const page = (slug: string) => `/book/first-business/${slug}`;
    const slots = async (slug: string, query: string) => {
      const res = await server.request('GET', `${page(slug)}/slots?${query}`, { secret: null });
      assert.equal(res.status, 200, res.text);
      return res.body.data.slots.map((s: { starttime: string }) => s.starttime) as string[];
    };
    const book = (slug: string, starttime: string, extra: Record<string, unknown> = {}) =>
      server.request('POST', page(slug), {
        secret: null,
        body: { name: 'Wanjiru Kamau', email: `visitor${++n}@example.com`, starttime, ...extra },
      });

    describe('GET /book/{business}/{type}/slots', () => {
      it("counts days in the visitor's zone and offers the type's hours in its own", async () => {
        const type = await makeType({
          timezone: 'Africa/Nairobi',
          duration: 60,
          availability: EVERY_DAY.map((day) => ({ day, start: '09:00', end: '12:00' })),
        });
        const d = dateIn(10);
        const expected = ['06:00', '07:00', '08:00'].map((t) => `${d}T${t}:00.000Z`);
        assert.deepEqual(await slots(type.slug, `from=${d}&days=1&timezone=Africa/Nairobi`), expected);
        // 09:00 in Nairobi is 20:00 the evening before in Honolulu.
        assert.deepEqual(
          await slots(type.slug, `from=${dateIn(9)}&days=1&timezone=Pacific/Honolulu`),
          expected,
          'the Honolulu day before holds them',
        );
        const res = await server.request('GET', `${page(type.slug)}/slots?from=${d}&days=1`, { secret: null });
        assert.equal(res.body.data.timezone, 'Africa/Nairobi', "the type's zone by default");
      });

      it('skips the hour a DST jump removes (America/New_York, 2027-03-14)', async () => {
        const type = await makeType({
          timezone: 'America/New_York',
          duration: 60,
          availability: [{ day: 'sunday', start: '00:00', end: '05:00' }],
        });
        // 00:00 and 01:00 EST, no 02:00, then 03:00 and 04:00 EDT: four consecutive UTC hours.
        const expected = ['05', '06', '07', '08'].map((h) => `2027-03-14T${h}:00:00.000Z`);
        assert.deepEqual(await slots(type.slug, 'from=2027-03-14&days=1&timezone=America/New_York'), expected);
        assert.deepEqual(await slots(type.slug, 'from=2027-03-14&days=1&timezone=UTC'), expected);
      });

      it('offers nothing inside the minimum notice or past the booking window', async () => {
        const type = await makeType({
          timezone: 'UTC',
          duration: 30,
          minnoticeminutes: 120,
          windowdays: 3,
          availability: EVERY_DAY.map((day) => ({ day, start: '00:00', end: '23:30' })),
        });
        const offered = await slots(type.slug, `from=${dateIn(0)}&days=6&timezone=UTC`);
        const now = Date.now();
        assert.ok(offered.length > 100);
        assert.ok(Date.parse(offered[0]) >= now + 120 * 60_000 - 1000, `first ${offered[0]}`);
        // Starts every 30 minutes but 23:30 (the window ends then): the first is at most an hour past the notice.
        assert.ok(Date.parse(offered[0]) <= now + 180 * 60_000, `first ${offered[0]}`);
        assert.ok(Date.parse(offered.at(-1)!) < now + 3 * DAY, `last ${offered.at(-1)}`);
        assert.ok(Date.parse(offered.at(-1)!) >= now + 3 * DAY - 60 * 60_000, `last ${offered.at(-1)}`);

        const grid = (at: number) => new Date(Math.ceil(at / 1_800_000) * 1_800_000).toISOString();
        for (const starttime of [grid(now + 30 * 60_000), grid(now + 4 * DAY)]) {
          const res = await book(type.slug, starttime);
          assert.equal(res.status, 400, `${starttime}: ${res.text}`);
          assert.equal(res.body.errors.starttime, 'That time is not offered on this page');
        }
      });

      it('answers 400 in the envelope for a bad date, zone or count', async () => {
        const type = await makeType({});
        for (const query of ['from=tomorrow', `from=${dateIn(1)}&timezone=Mars/Olympus`, `from=${dateIn(1)}&days=63`]) {
          const res = await server.request('GET', `${page(type.slug)}/slots?${query}`, { secret: null });
          assert.equal(res.status, 400, query);
          assert.equal(res.body.success, false);
        }
      });
    });

    describe('POST /book/{business}/{type}', () => {
      it('books a free time for a new customer, both from the booking page and read back through the API', async () => {
        const type = await makeType({
          timezone: 'UTC',
          availability: [{ day: 'monday', start: '09:00', end: '10:00' }],
        });
        const [starttime] = await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`);
        const res = await book(type.slug, starttime, {
          email: 'Amina.Odhiambo@Example.com',
          name: 'Amina Odhiambo',
          notes: 'First visit',
        });
        assert.equal(res.status, 201, res.text);
        const { _id, manageurl, ...rest } = res.body.data;
        assert.deepEqual(rest, {
          starttime,
          endtime: new Date(Date.parse(starttime) + 30 * 60_000).toISOString(),
          status: 'scheduled',
        });
        assert.match(manageurl, new RegExp(`^${server.url}/book/_/manage/[0-9a-f]{24}\\.${_id}\\.[0-9a-f]{64}$`));

        const booking = (await server.request('GET', `/business/booking/details/${_id}`)).body.data;
        assert.equal(booking.sourceorigin, 'booking_page');
        assert.equal(booking.appointmentid, type._id);
        assert.equal(booking.notes, 'First visit');
        assert.equal(booking.customer.email, 'Amina.Odhiambo@Example.com');
        const customer = (await server.request('GET', `/business/customer/details/${booking.customerid}`)).body.data;
        assert.equal(customer.sourceorigin, 'booking_page');
        assert.equal(customer.name, 'Amina Odhiambo');

        // The same person again, the email in another case: the same customer.
        const later = (await slots(type.slug, `from=${dateIn(8)}&days=7&timezone=UTC`))[0];
        const again = await book(type.slug, later, { email: 'amina.odhiambo@example.COM' });
        assert.equal(again.status, 201, again.text);
        const second = (await server.request('GET', `/business/booking/details/${again.body.data._id}`)).body.data;
        assert.equal(second.customerid, booking.customerid);

        assert.ok(!(await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`)).includes(starttime), 'taken');
      });

      it('lets exactly one of 20 visitors racing for one time win (on two nodes with PostgreSQL); the others get 409', async () => {
        const type = await makeType({
          timezone: 'UTC',
          availability: [{ day: 'tuesday', start: '09:00', end: '10:00' }],
        });
        const [starttime] = await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`);
        // Many nodes share PostgreSQL (README, "Many nodes"): there a second node takes half of the visitors.
        const config = testConfig({ DATABASE_URL: server.databaseUrl, BOOKING_PAGE_POSTS_PER_HOUR: '100000' });
        const other = engine.name === 'postgres' ? await createApp(config, createLogger(config)) : undefined;
        const otherUrl = other ? await other.listen() : server.url;
        try {
          const answers = await Promise.all(
            Array.from({ length: 20 }, async (_, i) => {
              const response = await fetch(`${i % 2 ? otherUrl : server.url}${page(type.slug)}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ name: `Racer ${i}`, email: `racer${i}@example.com`, starttime }),
              });
              return { status: response.status, body: await response.json() };
            }),
          );
          assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(19).fill(409)]);
          for (const a of answers.filter((a) => a.status === 409)) assert.deepEqual(a.body, TAKEN);
        } finally {
          await other?.close();
        }
        const list = await server.request('GET', `/business/booking/list?appointmentid=${type._id}`);
        assert.equal(list.body.pagination.total, 1);
        const customers = await server.request('GET', '/business/customer/list?search=racer');
        assert.equal(customers.body.pagination.total, 1, "the losers' customers are not kept");
      });

      it('refuses a filled honeypot and makes nothing', async () => {
        const type = await makeType({
          timezone: 'UTC',
          availability: [{ day: 'wednesday', start: '09:00', end: '10:00' }],
        });
        const [starttime] = await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`);
        const res = await book(type.slug, starttime, { honeypot: 'https://spam.example' });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, { success: false, error: 'Your booking could not be accepted' });
        assert.ok((await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`)).includes(starttime));
      });

      it('answers 400 with field errors for a bad body', async () => {
        const type = await makeType({});
        const res = await server.request('POST', page(type.slug), {
          secret: null,
          body: { email: 'not-an-email', starttime: 'soon' },
        });
        assert.equal(res.status, 400);
        assert.deepEqual(Object.keys(res.body.errors).sort(), ['email', 'name', 'starttime']);
      });
    });

    describe('inactive, archived and unknown types', () => {
      it('are a 404 page and 404 JSON', async () => {
        const inactive = await makeType({ status: 'inactive' });
        const archived = await makeType({ status: 'archived' });
        for (const path of [page(inactive.slug), page(archived.slug), page('no-such-type'), '/book/nobody/type-1']) {
          const html = await server.request('GET', path, { secret: null });
          assert.equal(html.status, 404, path);
          assert.match(html.headers.get('content-type')!, /^text\/html/);
          const json = await server.request('GET', `${path}/slots?from=${dateIn(1)}`, { secret: null });
          assert.deepEqual([json.status, json.body], [404, { success: false, error: 'Booking page not found' }]);
          const post = await book(path.split('/').at(-1)!, new Date(Date.now() + DAY).toISOString());
          if (path.startsWith('/book/first-business')) assert.equal(post.status, 404, path);
        }
      });

      it("names the public page as the type's bookingurl, unless staff set an external one", async () => {
        const type = await makeType({});
        const res = await server.request('GET', `/business/appointment/details/${type._id}`);
        assert.equal(res.body.data.bookingurl, `${server.url}/book/first-business/${type.slug}`);
        const page200 = await server.request('GET', page(type.slug), { secret: null });
        assert.equal(page200.status, 200);
        assert.match(page200.headers.get('content-security-policy')!, /script-src 'self'/);
        assert.match(page200.text, /<h1>Type \d+<\/h1>/);
        await assert.rejects(
          createAppointment(server.db, server.businessId, appointmentInput({ slug: type.slug }), 'dashboard'),
          /Another appointment type of this business has this slug/,
          'a slug is unique in its business',
        );
        const external = await makeType({ externalurl: 'https://cal.example.com/acme' });
        const ext = await server.request('GET', `/business/appointment/details/${external._id}`);
        assert.equal(ext.body.data.bookingurl, 'https://cal.example.com/acme');
      });
    });

    describe('manage links', () => {
      it('show, move and cancel a booking; a forged token is a 404', async () => {
        const type = await makeType({
          timezone: 'UTC',
          location: 'Westlands, Nairobi; 2nd floor',
          availability: [{ day: 'thursday', start: '09:00', end: '11:00' }],
        });
        const [first, second] = await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`);
        const made = await book(type.slug, first);
        const manage = new URL(made.body.data.manageurl).pathname;

        const seen = await server.request('GET', `${manage}/booking`, { secret: null });
        assert.equal(seen.status, 200, seen.text);
        assert.equal(seen.body.data.starttime, first);
        assert.equal(seen.body.data.changeable, true);
        assert.equal((await server.request('GET', manage, { secret: null })).status, 200);

        const ics = await server.request('GET', `${manage}/booking.ics`, { secret: null });
        assert.match(ics.headers.get('content-type')!, /^text\/calendar/);
        assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);
        assert.match(ics.text, new RegExp(`\r\nDTSTART:${first.slice(0, 19).replace(/[-:]/g, '')}Z\r\n`));
        assert.match(ics.text, /\r\nUID:[0-9a-f]{24}@mteja\r\n/);
        assert.match(ics.text, /\r\nLOCATION:Westlands\\, Nairobi\\; 2nd floor\r\n/, 'text escaped (RFC 5545 3.3.11)');
        assert.match(ics.text, /\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);

        const moved = await server.request('POST', `${manage}/move`, { secret: null, body: { starttime: second } });
        assert.equal(moved.status, 200, moved.text);
        assert.equal(moved.body.data.starttime, second);
        const freed = await slots(type.slug, `from=${dateIn(1)}&days=7&timezone=UTC`);
        assert.ok(freed.includes(first) && !freed.includes(second));

        const cancelled = await server.request('POST', `${manage}/cancel`, { secret: null });
        assert.equal(cancelled.status, 200, cancelled.text);
        assert.equal(cancelled.body.data.status, 'cancelled');
        assert.equal(cancelled.body.data.changeable, false);
        const twice = await server.request('POST', `${manage}/cancel`, { secret: null });
        assert.equal(twice.status, 409);

        const forged = manage.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
        for (const path of [`${forged}/booking`, `${forged}/booking.ics`, '/book/_/manage/abc/booking'])
          assert.equal((await server.request('GET', path, { secret: null })).status, 404, path);
        assert.equal((await server.request('GET', forged, { secret: null })).status, 404);
      });
    });
  });
}

for (const engine of engines()) {
  describe(`migration 0012_booking_pages [${engine.name}]`, () => {
    it("gives existing businesses and types unique slugs from their names, and clears the seeds' placeholder URLs", async () => {
      const server = await startServer(engine);
      try {
        await server.newBusiness('First Business');
        for (const externalurl of ['https://book.example.com/x-1', 'https://elsewhere.example/y', null])
          await createAppointment(
            server.db,
            server.businessId,
            appointmentInput({ title: 'Café Visit!', externalurl }),
            'dashboard',
          );
        await bookingPages.down!(server.db);
        await bookingPages.up(server.db);
        const businesses = await server.db.selectFrom('businesses').select('slug').orderBy('createdat').execute();
        assert.deepEqual(
          businesses.map((b) => b.slug),
          ['first-business', 'first-business-2'],
        );
        const types = await server.db
          .selectFrom('appointments')
          .select(['slug', 'externalurl', 'minnoticeminutes', 'windowdays'])
          .orderBy('id')
          .execute();
        assert.deepEqual(types, [
          { slug: 'cafe-visit', externalurl: null, minnoticeminutes: 120, windowdays: 60 },
          { slug: 'cafe-visit-2', externalurl: 'https://elsewhere.example/y', minnoticeminutes: 120, windowdays: 60 },
          { slug: 'cafe-visit-3', externalurl: null, minnoticeminutes: 120, windowdays: 60 },
        ]);
      } finally {
        await server.close();
      }
    });
  });
}

describe('booking page limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('answers the 11th POST from one address within an hour with 429', async () => {
    const type = await createAppointment(
      server.db,
      server.businessId,
      appointmentInput({ windowdays: 30 }),
      'dashboard',
    );
    const send = () =>
      server.request('POST', `/book/first-business/${type.slug}`, {
        secret: null,
        body: { name: 'Bot', email: 'bot@example.com', starttime: '2030-01-01T09:00:00Z', honeypot: 'x' },
      });
    for (let i = 0; i < 10; i++) assert.equal((await send()).status, 400);
    const res = await send();
    assert.equal(res.status, 429);
    assert.equal(res.body.success, false);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  // Behind a load balancer every visitor arrives from its address: without TRUST_PROXY they would share one limit.
  it('counts the client X-Forwarded-For names when TRUST_PROXY names the proxy, and ignores it otherwise', async () => {
    const send = (target: TestServer, slug: string, client: string) =>
      target
        .request('POST', `/book/first-business/${slug}`, {
          secret: null,
          headers: { 'x-forwarded-for': client },
          body: { name: 'Bot', email: 'bot@example.com', starttime: '2030-01-01T09:00:00Z', honeypot: 'x' },
        })
        .then((r) => r.status);
    const behind = await startServer(undefined, { BOOKING_PAGE_POSTS_PER_HOUR: '2', TRUST_PROXY: '127.0.0.1/8' });
    const open = await startServer(undefined, { BOOKING_PAGE_POSTS_PER_HOUR: '2' });
    try {
      for (const target of [behind, open]) {
        const type = await createAppointment(target.db, target.businessId, appointmentInput(), 'dashboard');
        const statuses = [];
        for (const client of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2'])
          statuses.push(await send(target, type.slug, client));
        // Behind the proxy: two visitors, each with a limit. Open: one sender (127.0.0.1), whatever it claims.
        assert.deepEqual(statuses, target === behind ? [400, 400, 429, 400] : [400, 400, 429, 429]);
      }
    } finally {
      await behind.close();
      await open.close();
    }
  });
});
