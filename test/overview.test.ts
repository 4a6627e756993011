// The dashboard overview on every engine: its figures, read from kept aggregates (record_counts, kept_sums), equal the
// figures computed here from the records the lists return, after every kind of write and after migration 0010's
// backfill of rows written before it existed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { overview } from '../src/dashboard/overview.store.js';
import { overviewSums } from '../src/db/migrations/0010_overview_sums.js';
import { migrateToLatest } from '../src/db/migrations/index.js';
import { type StaffSession, staffOf } from './e2e/session.js';
import { contractInput, quoteInput } from './helpers/fixtures.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

const ZONE = 'Africa/Nairobi';
const DAY = 86_400_000;
/** Noon UTC on 2030-01-07: bookings are placed around it, so the store can be asked about "now" = then. */
const NOON = new Date('2030-01-07T12:00:00.000Z');
const CLOSED_LEADS = ['converted', 'lost'];
const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'];
const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'expired', 'invoiced'];

type Row = Record<string, any>;

const localDate = (instant: number | string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );

const tally = <K>(rows: Row[], key: (r: Row) => K) => {
  const counts = new Map<K, { count: number; cents: number }>();
  for (const r of rows) {
    const kept = counts.get(key(r)) ?? { count: 0, cents: 0 };
    kept.count += 1;
    kept.cents += Math.round((r.total ?? r.value ?? 0) * 100);
    counts.set(key(r), kept);
  }
  return counts;
};

/** The overview computed from every record of the business, read through the dashboard's own lists. */
async function expected(staff: StaffSession, at: Date, timeZone: string) {
  const all = async (resource: string) => {
    const rows: Row[] = [];
    for (let page = 1; ; page++) {
      const res = await staff.request('GET', `/${resource}/list?limit=100&page=${page}`);
      assert.equal(res.status, 200, res.text);
      rows.push(...res.body.data);
      if (rows.length >= res.body.pagination.total) return rows;
    }
  };
  const [customers, contacts, leads, quotes, contracts, bookings] = await Promise.all(
    ['customer', 'contact', 'lead', 'quote', 'contract', 'booking'].map(all),
  );
  const sources = tally(leads, (l) => l.source ?? 'unknown');
  const quoteGroups = tally(quotes, (q) => `${q.status} ${q.currency}`);
  const active = tally(
    contracts.filter((c) => c.status === 'active'),
    (c) => c.currency,
  );
  const scheduled = bookings.filter((b) => b.status === 'scheduled');
  const ahead = scheduled.filter((b) => Date.parse(b.starttime) >= +at);
  const today = Date.parse(`${localDate(+at, timeZone)}T12:00:00Z`);
  const dates = Array.from({ length: 14 }, (_, i) => localDate(today + i * DAY, 'UTC'));
  return {
    counts: {
      customers: customers.length,
      contacts: contacts.length,
      openleads: leads.filter((l) => !CLOSED_LEADS.includes(l.status)).length,
      openquotes: quotes.filter((q) => q.status === 'draft' || q.status === 'sent').length,
      activecontracts: contracts.filter((c) => c.status === 'active').length,
      upcomingbookings: ahead.length,
    },
    leadsbystatus: LEAD_STATUSES.map((status) => ({ status, count: leads.filter((l) => l.status === status).length })),
    leadsbysource: [...sources]
      .map(([source, { count }]) => ({ source, count }))
      .sort((a, b) => b.count - a.count || a.source.localeCompare(b.source)),
    quotevalue: [...quoteGroups]
      .map(([key, { count, cents }]) => {
        const [status, currency] = key.split(' ');
        return { status, currency, count, value: cents / 100 };
      })
      .sort(
        (a, b) =>
          QUOTE_STATUSES.indexOf(a.status) - QUOTE_STATUSES.indexOf(b.status) || a.currency.localeCompare(b.currency),
      ),
    activecontractvalue: [...active]
      .map(([currency, { count, cents }]) => ({ currency, count, value: cents / 100 }))
      .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency)),
    bookingsahead: dates.map((date) => ({
      date,
      count: scheduled.filter((b) => localDate(b.starttime, timeZone) === date).length,
    })),
    upcoming: ahead
      .sort((a, b) => a.starttime.localeCompare(b.starttime) || a._id.localeCompare(b._id))
      .slice(0, 6)
      .map((b) => b._id),
  };
}

for (const engine of engines()) {
  describe(`dashboard overview [${engine.name}]`, () => {
    let server: TestServer;
    let staff: StaffSession;
    let businessId: string;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await staff.request(method, path, body);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
      return res.body.data;
    };
    const booking = (title: string, start: string | number, minutes = 30) =>
      call('POST', '/booking/create', {
        title,
        type: 'meeting',
        starttime: new Date(start).toISOString(),
        endtime: new Date(Date.parse(new Date(start).toISOString()) + minutes * 60_000).toISOString(),
      });
    /** The overview over HTTP (now) and from the store at NOON, each against the records' own figures. */
    const matches = async (when: string) => {
      const [served, want] = [
        await staff.request('GET', `/overview?timezone=${ZONE}`),
        await expected(staff, new Date(), ZONE),
      ];
      assert.equal(served.status, 200, served.text);
      assert.deepEqual({ ...served.body.data, upcoming: served.body.data.upcoming.map((b: Row) => b._id) }, want, when);
      const atNoon = await overview(server.db, businessId, ZONE, NOON);
      assert.deepEqual(
        { ...atNoon, upcoming: atNoon.upcoming.map((b) => b._id) },
        await expected(staff, NOON, ZONE),
        `${when}, at ${NOON.toISOString()}`,
      );
    };

    before(async () => {
      server = await startServer(engine);
      businessId = (await server.newBusiness('Overview Business')).businessId;
      staff = await staffOf(server, businessId, 'Boss');
      // Another business's records, written through the API and the dashboard, never count here.
      const other = await staffOf(server, server.businessId, 'Other');
      await server.request('POST', '/business/customer/create', { body: customerBody() });
      await server.request('POST', '/business/lead/create', { body: { name: 'Elsewhere', source: 'website' } });
      await other.request('POST', '/quote/create', quoteInput({ currency: 'KES' }));
      await other.request('POST', '/contract/create', contractInput({ status: 'active' }));
      await other.request('POST', '/booking/create', {
        title: 'Elsewhere',
        type: 'meeting',
        starttime: '2030-01-07T15:00:00.000Z',
        endtime: '2030-01-07T16:00:00.000Z',
      });
    });
    after(() => server.close());

    it('equals the records’ figures after creates, updates, status moves, conversions and value changes', async () => {
      const customer = (await call('POST', '/customer/create', customerBody()))._id;
      await call('POST', '/customer/create', customerBody({ type: 'business', company: 'Acme' }));
      await call('POST', '/contact/create', { name: 'A contact' });
      await matches('customers and contacts');

      const leads: string[] = [];
      for (const [status, source] of [
        ['new', 'website'],
        ['new', 'website'],
        ['contacted', 'referral'],
        ['qualified', null],
        ['lost', 'event'],
        ['new', null],
      ] as const) {
        const contact = { email: `lead${leads.length}@example.com`, phone: '+254700000001', country: 'Kenya' };
        leads.push((await call('POST', '/lead/create', { name: `Lead ${status}`, status, source, ...contact }))._id);
      }
      await call('PATCH', `/lead/update/${leads[0]}`, { status: 'contacted', source: 'referral' });
      await call('PATCH', `/lead/update/${leads[1]}`, { source: null });
      await call('PATCH', `/lead/update/${leads[5]}`, { source: 'walk-in' });
      await call('POST', `/lead/convert/${leads[3]}`, { currency: 'KES' });
      await matches('leads moved, re-sourced and converted');

      const kes = (await call('POST', '/quote/create', quoteInput({ customerid: customer, currency: 'KES' })))._id;
      const usd = (
        await call(
          'POST',
          '/quote/create',
          quoteInput({
            currency: 'USD',
            items: [
              { title: 'A', quantity: 3, rate: 0.1 },
              { title: 'B', quantity: 1, rate: 19.99, taxrate: 16 },
            ],
          }),
        )
      )._id;
      const third = (await call('POST', '/quote/create', quoteInput({ currency: 'KES' })))._id;
      await call('PATCH', `/quote/update/${kes}`, { items: [{ title: 'More', quantity: 7, rate: 333.33 }] });
      await call('PATCH', `/quote/update/${usd}`, { currency: 'EUR' });
      for (const status of ['sent', 'accepted', 'invoiced']) await call('PATCH', `/quote/update/${kes}`, { status });
      await call('PATCH', `/quote/update/${third}`, { status: 'sent' });
      await matches('quotes priced, re-priced, moved and re-currencied');

      const contracts: string[] = [];
      for (const [value, currency] of [
        [5000, 'KES'],
        [1234.56, 'USD'],
        [700, 'KES'],
        [99.99, 'KES'],
      ] as const) {
        const id = (await call('POST', '/contract/create', contractInput({ value, currency })))._id;
        for (const status of ['signed', 'active']) await call('PATCH', `/contract/update/${id}`, { status });
        contracts.push(id);
      }
      await call('PATCH', `/contract/update/${contracts[1]}`, { value: 2000.1 });
      await call('PATCH', `/contract/update/${contracts[2]}`, { status: 'terminated' });
      await call('PATCH', `/contract/update/${contracts[3]}`, { currency: 'USD', value: 0.07 });
      await matches('contracts activated, re-valued and ended');

      const soon = Date.now() + 2 * DAY;
      await booking('In two days', soon);
      await booking('Earlier on 7 January', '2030-01-07T09:00:00Z');
      const later = (await booking('Later on 7 January', '2030-01-07T15:00:00Z'))._id;
      await booking('Last on 7 January', '2030-01-07T20:00:00Z');
      const tomorrow = (await booking('8 January', '2030-01-08T10:00:00Z'))._id;
      const nairobiMidnight = (await booking('Just past midnight in Nairobi', '2030-01-09T21:30:00Z'))._id;
      await booking('February', '2030-02-01T08:00:00Z');
      await call('PATCH', `/booking/update/${tomorrow}`, { status: 'cancelled' });
      await call('PATCH', `/booking/update/${later}`, {
        starttime: '2030-01-12T15:00:00.000Z',
        endtime: '2030-01-12T15:30:00.000Z',
      });
      await call('PATCH', `/booking/update/${nairobiMidnight}`, { status: 'cancelled' });
      await call('PATCH', `/booking/update/${nairobiMidnight}`, { status: 'scheduled' });
      await matches('bookings made, cancelled, moved and restored');

      // Writers racing on the same kept rows (one status, one currency) lose no update.
      const racing: Row[] = [];
      for (let i = 0; i < 12; i++) racing.push(await call('POST', '/quote/create', quoteInput({ currency: 'KES' })));
      await Promise.all([
        ...racing.map((q, i) =>
          call('PATCH', `/quote/update/${q._id}`, { items: [{ title: 'R', quantity: 1, rate: i + 0.01 }] }),
        ),
        ...racing.map((_, i) => booking(`Racing ${i}`, Date.parse('2030-01-09T06:00:00Z') + i * 3600_000)),
      ]);
      await Promise.all(racing.map((q) => call('PATCH', `/quote/update/${q._id}`, { status: 'sent' })));
      await matches('quotes and bookings written concurrently');
    });

    it('is not served from its kept answer once a booking it counts as upcoming has started', async () => {
      const start = Date.now() + 1500;
      const soon = (await booking('Starting now', start))._id;
      const before = (await staff.request('GET', `/overview?timezone=${ZONE}`)).body.data;
      assert.equal(
        (await staff.request('GET', `/overview?timezone=${ZONE}`)).body.data.counts.upcomingbookings,
        before.counts.upcomingbookings,
      );
      assert.equal(before.upcoming[0]._id, soon);
      await new Promise((resolve) => setTimeout(resolve, start - Date.now() + 50));
      const now = (await staff.request('GET', `/overview?timezone=${ZONE}`)).body.data;
      assert.equal(now.counts.upcomingbookings, before.counts.upcomingbookings - 1);
      assert.notEqual(now.upcoming[0]?._id, soon);
      await matches('after a booking started');
    });

    it('is exact for rows written before migration 0010, once its backfill has run', async () => {
      const database = server.app.database;
      // Back to a database from before 0010: no kept sums, no triggers; then more writes of every kind.
      await overviewSums.down?.(database.db);
      await sql`delete from mteja_migrations where name = '0010_overview_sums'`.execute(database.db);
      await call(
        'POST',
        '/quote/create',
        quoteInput({ currency: 'TZS', items: [{ title: 'X', quantity: 2, rate: 10.5 }] }),
      );
      const contract = (await call('POST', '/contract/create', contractInput({ value: 300, currency: 'UGX' })))._id;
      for (const status of ['signed', 'active']) await call('PATCH', `/contract/update/${contract}`, { status });
      await booking('Written before the upgrade', '2030-01-07T18:00:00Z');
      await booking('Also before', Date.now() + 3 * DAY);

      assert.deepEqual(await migrateToLatest(database), ['0010_overview_sums']);
      await matches('right after the backfill');
      await call('PATCH', `/contract/update/${contract}`, { value: 450.5 });
      await booking('After the upgrade', '2030-01-08T07:00:00Z');
      await matches('written after the upgrade');
    });
  });
}
