// The dashboard's API on every engine: the public API's validation and messages, records stamped
// sourceorigin "dashboard", quote and contract life cycles, booking slot rules, credentials, the overview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { type StaffSession, staffOf } from './e2e/session.js';
import { appointmentInput, contractInput, quoteInput, UNKNOWN_ID } from './helpers/fixtures.js';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

/** A Monday well ahead (2030-01-07 is one), at HH:MM UTC. */
const MONDAY = '2030-01-07';
const at = (time: string, day = MONDAY) => `${day}T${time}:00.000Z`;

for (const engine of engines()) {
  describe(`dashboard API [${engine.name}]`, () => {
    let server: TestServer;
    let staff: StaffSession;
    const api = (method: string, path: string, body?: unknown) => staff.request(method, path, body);
    const publicDetails = async (resource: string, id: string) =>
      (await server.request('GET', `/business/${resource}/details/${id}`)).body.data;

    before(async () => {
      server = await startServer(engine);
      staff = await staffOf(server, server.businessId);
    });
    after(() => server.close());

    describe('records the API also writes', () => {
      it('answers a bad body exactly as the public API does', async () => {
        for (const [resource, body] of [
          ['customer', { email: 'nope', type: 'person' }],
          ['lead', { budget: -1 }],
          ['contact', { email: 'nope' }],
        ] as const) {
          const theirs = await server.request('POST', `/business/${resource}/create`, { body });
          const ours = await api('POST', `/${resource}/create`, body);
          assert.equal(ours.status, 400);
          assert.deepEqual(ours.body, theirs.body, `${resource}: same brief, same field messages`);
        }
        const body = customerBody();
        assert.equal((await api('POST', '/customer/create', body)).status, 201);
        const duplicate = await api('POST', '/customer/create', { ...body, email: body.email.toUpperCase() });
        assert.equal(duplicate.status, 409);
        assert.deepEqual(duplicate.body, { success: false, error: 'Customer with this email already exists' });
      });

      it('stamps what it creates with sourceorigin dashboard, readable at once through the API', async () => {
        const customer = await api('POST', '/customer/create', customerBody({ name: 'Dashboard Customer' }));
        assert.equal(customer.status, 201);
        assert.equal(customer.body.message, 'Customer created successfully');
        assert.equal((await publicDetails('customer', customer.body.data._id)).sourceorigin, 'dashboard');
        const lead = await api('POST', '/lead/create', {
          name: 'Dashboard Lead',
          email: 'dash.lead@example.com',
          phone: '+254700000001',
          country: 'Kenya',
        });
        assert.equal((await publicDetails('lead', lead.body.data._id)).sourceorigin, 'dashboard');
        const contact = await api('POST', '/contact/create', { name: 'Dashboard Contact' });
        assert.equal((await publicDetails('contact', contact.body.data._id)).sourceorigin, 'dashboard');

        const moved = await api('PATCH', `/lead/update/${lead.body.data._id}`, { status: 'qualified' });
        assert.deepEqual(moved.body, {
          success: true,
          message: 'Lead updated successfully',
          data: { _id: lead.body.data._id, modified: 1 },
        });
        const converted = await api('POST', `/lead/convert/${lead.body.data._id}`, { currency: 'kes' });
        assert.equal(converted.status, 201, converted.text);
        assert.equal(converted.body.message, 'Lead converted successfully');
        const fromLead = await publicDetails('customer', converted.body.data._id);
        assert.equal(fromLead.sourceorigin, 'dashboard');
        assert.equal(fromLead.currency, 'KES');
        const after = await publicDetails('lead', lead.body.data._id);
        assert.deepEqual([after.status, after.customerid], ['converted', converted.body.data._id]);
        assert.equal((await api('POST', `/lead/convert/${lead.body.data._id}`, {})).status, 409);
      });

      it('keeps the public API’s own records stamped api', async () => {
        const res = await server.request('POST', '/business/contact/create', { body: { name: 'Through the API' } });
        assert.equal(res.body.data.sourceorigin, 'api');
      });
    });

    describe('quotes', () => {
      let customerId: string;
      before(async () => {
        customerId = (await api('POST', '/customer/create', customerBody({ currency: 'USD' }))).body.data._id;
      });

      it('prices lines without saving them, with the same function that prices a saved quote', async () => {
        const items = [
          { title: 'Design', quantity: 3, rate: 1500.5, discount: 100, taxrate: 16 },
          { title: 'Hosting', quantity: 3, rate: 33.33, taxrate: 16 },
        ];
        const price = await api('POST', '/quote/price', { items });
        assert.equal(price.status, 200);
        const made = await api('POST', '/quote/create', quoteInput({ items, customerid: customerId }));
        assert.equal(made.status, 201, made.text);
        assert.deepEqual(
          [price.body.data.subtotal, price.body.data.discount, price.body.data.tax, price.body.data.total],
          [made.body.data.subtotal, made.body.data.discount, made.body.data.tax, made.body.data.total],
        );
        assert.deepEqual(
          price.body.data.items.map((i: { amount: number }) => i.amount),
          [4501.5, 99.99],
        );
        const bad = await api('POST', '/quote/price', { items: [{ title: 'x', quantity: 0, rate: -1 }] });
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.errors, {
          'items.0.quantity': 'Quantity must be more than 0',
          'items.0.rate': 'Rate must be 0 or more',
        });
      });

      it('creates a numbered draft, re-prices edited items, and never trusts sent totals', async () => {
        const made = (
          await api('POST', '/quote/create', { ...quoteInput({ customerid: customerId, currency: 'usd' }), total: 1 })
        ).body.data;
        assert.match(made.quoteno, /^QUO-\d{4}-\d{3}$/);
        assert.deepEqual(
          [made.status, made.currency, made.total, made.sourceorigin],
          ['draft', 'USD', 100, 'dashboard'],
        );
        const edit = await api('PATCH', `/quote/update/${made._id}`, {
          items: [{ title: 'Two days', quantity: 2, rate: 450, taxrate: 10 }],
          total: 5,
        });
        assert.deepEqual(edit.body, {
          success: true,
          message: 'Quote updated successfully',
          data: { _id: made._id, modified: 1 },
        });
        const read = await publicDetails('quote', made._id);
        assert.deepEqual([read.subtotal, read.tax, read.total], [900, 90, 990]);
        assert.equal((await api('PATCH', `/quote/update/${made._id}`, { title: made.title })).body.data.modified, 0);
      });

      it('moves draft → sent → accepted → invoiced, dating it when sent, and refuses the moves that make no sense', async () => {
        const id = (await api('POST', '/quote/create', quoteInput({ customerid: customerId }))).body.data._id;
        const skip = await api('PATCH', `/quote/update/${id}`, { status: 'accepted' });
        assert.equal(skip.status, 400);
        assert.deepEqual(skip.body.errors, { status: 'A draft quote can only move to sent' });
        assert.equal((await api('PATCH', `/quote/update/${id}`, { status: 'sent' })).status, 200);
        assert.ok((await publicDetails('quote', id)).issuedate, 'sending dates an undated quote');
        const locked = await api('PATCH', `/quote/update/${id}`, { title: 'Changed after sending' });
        assert.equal(locked.status, 400);
        assert.equal(locked.body.error, 'Only a draft quote can be edited');
        assert.equal((await api('PATCH', `/quote/update/${id}`, { status: 'accepted' })).status, 200);
        assert.equal((await api('PATCH', `/quote/update/${id}`, { status: 'invoiced' })).status, 200);
        const final = await api('PATCH', `/quote/update/${id}`, { status: 'draft' });
        assert.deepEqual(final.body.errors, { status: 'An invoiced quote cannot change status' });
        assert.equal((await publicDetails('quote', id)).status, 'invoiced');
      });

      it('lets a rejected quote go back to draft to be revised', async () => {
        const id = (await api('POST', '/quote/create', quoteInput())).body.data._id;
        for (const status of ['sent', 'rejected', 'draft'])
          assert.equal((await api('PATCH', `/quote/update/${id}`, { status })).status, 200, status);
        assert.equal((await api('PATCH', `/quote/update/${id}`, { title: 'Revised', status: 'draft' })).status, 200);
        assert.equal((await publicDetails('quote', id)).title, 'Revised');
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        assert.deepEqual((await api('PATCH', '/quote/update/123', { title: 'x' })).body, {
          success: false,
          error: 'Invalid quote ID format',
        });
        assert.deepEqual((await api('PATCH', `/quote/update/${UNKNOWN_ID}`, { title: 'x' })).body, {
          success: false,
          error: 'Quote not found',
        });
      });
    });

    describe('contracts', () => {
      it('refuses an end date before the start, on create and on edit', async () => {
        const bad = await api(
          'POST',
          '/contract/create',
          contractInput({ startdate: '2030-06-01', enddate: '2030-01-01' }),
        );
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.errors, { enddate: 'End date must be after the start date' });
        const id = (
          await api(
            'POST',
            '/contract/create',
            contractInput({ startdate: '2030-01-01', enddate: '2030-12-31', autorenew: true }),
          )
        ).body.data._id;
        const edit = await api('PATCH', `/contract/update/${id}`, { startdate: '2031-01-01' });
        assert.deepEqual(edit.body.errors, { enddate: 'End date must be after the start date' });
        const read = await publicDetails('contract', id);
        assert.deepEqual(
          [read.sourceorigin, read.autorenew, read.startdate],
          ['dashboard', true, '2030-01-01T00:00:00.000Z'],
        );
      });

      it('moves draft → sent → signed → active → terminated, signing dates it, and a terminated contract is final', async () => {
        const id = (await api('POST', '/contract/create', contractInput())).body.data._id;
        assert.deepEqual((await api('PATCH', `/contract/update/${id}`, { status: 'active' })).body.errors, {
          status: 'A draft contract can only move to sent or signed',
        });
        for (const status of ['sent', 'signed', 'active'])
          assert.equal((await api('PATCH', `/contract/update/${id}`, { status })).status, 200, status);
        assert.ok((await publicDetails('contract', id)).signeddate);
        assert.equal(
          (await api('PATCH', `/contract/update/${id}`, { value: 15000.456 })).status,
          200,
          'an active contract’s terms can change',
        );
        assert.equal((await publicDetails('contract', id)).value, 15000.46);
        assert.equal((await api('PATCH', `/contract/update/${id}`, { status: 'terminated' })).status, 200);
        const edit = await api('PATCH', `/contract/update/${id}`, { value: 1 });
        assert.equal(edit.status, 400);
        assert.equal(edit.body.error, 'A terminated contract cannot be edited');
      });
    });

    describe('appointment types and bookings', () => {
      let typeId: string;
      let customerId: string;
      const book = (starttime: string, endtime: string, extra: Record<string, unknown> = {}) =>
        api('POST', '/booking/create', {
          title: 'Consultation',
          type: 'video_call',
          appointmentid: typeId,
          customerid: customerId,
          starttime,
          endtime,
          ...extra,
        });

      before(async () => {
        customerId = (await api('POST', '/customer/create', customerBody())).body.data._id;
        const made = await api('POST', '/appointment/create', {
          title: 'Consultation',
          category: 'video_call',
          duration: 30,
          bufferminutes: 15,
          currency: 'KES',
          timezone: 'Africa/Nairobi',
          availability: [
            { day: 'monday', start: '09:00', end: '12:00' },
            { day: 'monday', start: '14:00', end: '17:00' },
          ],
        });
        assert.equal(made.status, 201, made.text);
        typeId = made.body.data._id;
      });

      it('creates and edits a type with its weekly hours, refusing a window that ends before it starts', async () => {
        const read = await publicDetails('appointment', typeId);
        assert.equal(read.sourceorigin, 'dashboard');
        const bad = await api('PATCH', `/appointment/update/${typeId}`, {
          availability: [{ day: 'tuesday', start: '10:00', end: '09:00' }],
        });
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.errors, { 'availability.0.end': 'End must be after start' });
        const zone = await api('PATCH', `/appointment/update/${typeId}`, { timezone: 'Mars/Olympus' });
        assert.deepEqual(zone.body.errors, { timezone: 'Time zone must be an IANA time zone, e.g. Africa/Nairobi' });
      });

      it("books inside the type's hours in its own time zone (Nairobi is UTC+3)", async () => {
        const res = await book(at('06:00'), at('06:30'));
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.data.sourceorigin, 'dashboard');
        assert.equal((await publicDetails('booking', res.body.data._id)).appointment.title, 'Consultation');
      });

      it('refuses a slot outside the hours, naming them', async () => {
        for (const [start, end] of [
          [at('05:30'), at('06:00')],
          [at('08:45'), at('09:15')],
          [at('06:00', '2030-01-08'), at('06:30', '2030-01-08')],
        ]) {
          const res = await book(start, end);
          assert.equal(res.status, 400, `${start}: ${res.text}`);
          assert.match(
            res.body.errors.starttime,
            /^Outside the hours of Consultation: (Monday 09:00–12:00, 14:00–17:00|no hours on Tuesday) \(Africa\/Nairobi\)$/,
          );
        }
      });

      it('refuses an overlap with another booking of the type, its buffer included, with 409', async () => {
        const overlap = await book(at('06:15'), at('06:45'));
        assert.equal(overlap.status, 409);
        assert.equal(overlap.body.error, 'This time is already booked');
        assert.equal(
          overlap.body.errors.starttime,
          'Overlaps “Consultation” (09:00–09:30 Africa/Nairobi), and 15 minutes are kept free around each booking',
        );
        assert.equal((await book(at('06:40'), at('07:10'))).status, 409, 'inside the 15-minute buffer');
        assert.equal((await book(at('06:45'), at('07:15'))).status, 201, 'right after the buffer');
      });

      it('frees a cancelled booking’s time, and checks it again if it is taken back', async () => {
        const first = (await book(at('08:00'), at('08:30'))).body.data._id;
        assert.equal((await api('PATCH', `/booking/update/${first}`, { status: 'cancelled' })).status, 200);
        const second = await book(at('08:00'), at('08:30'));
        assert.equal(second.status, 201, 'the cancelled slot is free');
        const back = await api('PATCH', `/booking/update/${first}`, { status: 'scheduled' });
        assert.equal(back.status, 409, 'its old slot is taken now');
      });

      it('checks a moved booking like a new one, but not against itself', async () => {
        const id = (await book(at('11:00'), at('11:30'))).body.data._id;
        assert.equal(
          (await api('PATCH', `/booking/update/${id}`, { starttime: at('11:10'), endtime: at('11:40') })).status,
          200,
          'moving over its own old time',
        );
        assert.equal(
          (await api('PATCH', `/booking/update/${id}`, { starttime: at('06:00'), endtime: at('06:30') })).status,
          409,
        );
        assert.equal(
          (await api('PATCH', `/booking/update/${id}`, { endtime: at('11:00') })).status,
          400,
          'end before start',
        );
      });

      it('offers only the free start times of a day', async () => {
        const res = await api('GET', `/booking/slots?appointmentid=${typeId}&date=${MONDAY}`);
        assert.equal(res.status, 200);
        const starts = res.body.data.map((s: { starttime: string }) => s.starttime.slice(11, 16));
        // Candidates every 45 minutes from 09:00 and 14:00 Nairobi: 06:00, 06:45, 07:30, 08:15, 11:00, 11:45, 12:30, 13:15 UTC.
        // Booked with 15 minutes' buffer around each: 06:00–06:30, 06:45–07:15, 08:00–08:30, 11:10–11:40.
        assert.deepEqual(starts, ['12:30', '13:15']);
        assert.deepEqual(
          (await api('GET', `/booking/slots?appointmentid=${typeId}&date=2030-01-08`)).body.data,
          [],
          'no hours on Tuesday',
        );
        assert.equal((await api('GET', `/booking/slots?appointmentid=${typeId}&date=tomorrow`)).status, 400);
      });

      it("marks bookings, and the type's stats follow", async () => {
        const ids = [];
        for (const [start, end] of [
          [at('11:00', '2030-01-14'), at('11:30', '2030-01-14')],
          [at('12:00', '2030-01-14'), at('12:30', '2030-01-14')],
          [at('13:00', '2030-01-14'), at('13:30', '2030-01-14')],
        ]) {
          ids.push((await book(start, end)).body.data._id);
        }
        const before = (await publicDetails('appointment', typeId)).stats;
        assert.equal((await api('PATCH', `/booking/update/${ids[0]}`, { status: 'completed' })).status, 200);
        assert.equal((await api('PATCH', `/booking/update/${ids[1]}`, { status: 'no-show' })).status, 200);
        assert.equal((await api('PATCH', `/booking/update/${ids[2]}`, { status: 'cancelled' })).status, 200);
        const stats = (await publicDetails('appointment', typeId)).stats;
        assert.deepEqual(
          [
            stats.completed - before.completed,
            stats.noshow - before.noshow,
            stats.cancelled - before.cancelled,
            stats.upcoming - before.upcoming,
          ],
          [1, 1, 1, -3],
        );
        assert.deepEqual((await api('PATCH', `/booking/update/${ids[2]}`, { status: 'completed' })).body.errors, {
          status: 'A cancelled booking can only move to scheduled',
        });
      });

      it('refuses bookings of an archived type, and lists by time in the agenda', async () => {
        const other = await createAppointment(
          server.db,
          server.businessId,
          appointmentInput({
            title: 'Old offer',
            availability: [{ day: 'monday', start: '00:00', end: '23:59' }],
            timezone: 'UTC',
          }),
          'dashboard',
        );
        assert.equal((await api('PATCH', `/appointment/update/${other._id}`, { status: 'archived' })).status, 200);
        const res = await api('POST', '/booking/create', {
          title: 'Late',
          type: 'meeting',
          appointmentid: other._id,
          starttime: at('10:00'),
          endtime: at('10:30'),
        });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body.errors, { appointmentid: 'Old offer is archived and takes no bookings' });

        const agenda = await api('GET', `/booking/agenda?appointmentid=${typeId}&limit=100`);
        const starts = agenda.body.data.map((b: { starttime: string }) => b.starttime);
        assert.deepEqual(starts, [...starts].sort(), 'soonest first');
        assert.deepEqual(agenda.body.pagination, agenda.body.meta);
        const latest = await api('GET', `/booking/agenda?appointmentid=${typeId}&order=desc&limit=2`);
        assert.deepEqual(
          latest.body.data.map((b: { starttime: string }) => b.starttime),
          [...starts].reverse().slice(0, 2),
        );
        assert.equal(latest.body.pagination.total, starts.length);
      });

      it('leaves bookings without a type free of slot rules', async () => {
        const res = await api('POST', '/booking/create', {
          title: 'Call anytime',
          type: 'phone_call',
          starttime: at('03:00'),
          endtime: at('03:30'),
        });
        assert.equal(res.status, 201, res.text);
      });
    });

    describe('API credentials', () => {
      it('creates one whose secret, shown once, works at once; lists it masked; sets its webhook URL; revokes it', async () => {
        const made = await api('POST', '/credential/create', { name: 'Shop', type: 'ecommerce' });
        assert.equal(made.status, 201, made.text);
        const secret = made.body.data.clientsecret;
        assert.match(secret, /^cs_[0-9A-Za-z]{43}$/);
        assert.equal((await server.request('GET', '/business/customer/list', { secret })).status, 200);
        const list = (await api('GET', '/credential/list')).body.data;
        const listed = list.find((c: { clientid: string }) => c.clientid === made.body.data.clientid);
        assert.equal(listed.secret, `${secret.slice(0, 7)}…${secret.slice(-4)}`);
        assert.ok(!JSON.stringify(list).includes(secret), 'the secret is never listed');

        const bad = await api('PATCH', `/credential/update/${listed.clientid}`, { webhookurl: 'ftp://example.com' });
        assert.deepEqual(bad.body.errors, { webhookurl: 'Webhook URL must be a valid URL (http or https)' });
        const hook = await api('PATCH', `/credential/update/${listed.clientid}`, {
          webhookurl: 'https://shop.example.com/hooks',
        });
        assert.deepEqual(hook.body, {
          success: true,
          message: 'Credential updated successfully',
          data: { _id: listed.clientid, modified: 1 },
        });
        assert.equal(
          (await api('GET', '/credential/list')).body.data.find(
            (c: { clientid: string }) => c.clientid === listed.clientid,
          ).webhookurl,
          'https://shop.example.com/hooks',
        );
        assert.equal(
          (await api('PATCH', `/credential/update/${listed.clientid}`, { webhookurl: null })).body.data.modified,
          1,
        );

        const revoked = await api('POST', `/credential/revoke/${listed.clientid}`, {});
        assert.deepEqual(revoked.body, {
          success: true,
          message: 'Credential revoked',
          data: { clientid: listed.clientid },
        });
        assert.equal((await server.request('GET', '/business/customer/list', { secret })).status, 401);
        assert.equal((await api('POST', `/credential/revoke/${listed.clientid}`, {})).status, 404, 'revoking twice');
      });
    });

    describe('overview', () => {
      it('counts live data, groups money by currency, and lists the bookings ahead', async () => {
        const own = await server.newBusiness('Overview Business');
        const boss = await staffOf(server, own.businessId, 'Boss');
        const call = (method: string, path: string, body?: unknown) => boss.request(method, path, body);
        const c = (await call('POST', '/customer/create', customerBody())).body.data._id;
        for (const [status, source] of [
          ['new', 'website'],
          ['new', 'website'],
          ['contacted', 'referral'],
          ['lost', null],
        ] as const) {
          await call('POST', '/lead/create', { name: `Lead ${status}`, status, source });
        }
        await call(
          'POST',
          '/quote/create',
          quoteInput({ customerid: c, currency: 'KES', items: [{ title: 'A', quantity: 1, rate: 100 }] }),
        );
        await call(
          'POST',
          '/quote/create',
          quoteInput({ currency: 'USD', items: [{ title: 'B', quantity: 2, rate: 50 }] }),
        );
        const contract = (await call('POST', '/contract/create', contractInput({ value: 5000, currency: 'KES' }))).body
          .data._id;
        for (const status of ['signed', 'active']) await call('PATCH', `/contract/update/${contract}`, { status });
        await call('POST', '/booking/create', {
          title: 'Soon',
          type: 'meeting',
          starttime: new Date(Date.now() + 86_400_000).toISOString(),
          endtime: new Date(Date.now() + 90_000_000).toISOString(),
        });

        const res = await call('GET', '/overview?timezone=Africa/Nairobi');
        assert.equal(res.status, 200);
        const o = res.body.data;
        assert.deepEqual(o.counts, {
          customers: 1,
          contacts: 0,
          openleads: 3,
          openquotes: 2,
          activecontracts: 1,
          upcomingbookings: 1,
        });
        assert.deepEqual(o.leadsbystatus, [
          { status: 'new', count: 2 },
          { status: 'contacted', count: 1 },
          { status: 'qualified', count: 0 },
          { status: 'converted', count: 0 },
          { status: 'lost', count: 1 },
        ]);
        assert.deepEqual(o.leadsbysource, [
          { source: 'website', count: 2 },
          { source: 'referral', count: 1 },
          { source: 'unknown', count: 1 },
        ]);
        assert.deepEqual(
          o.quotevalue.sort((a: { currency: string }, b: { currency: string }) => a.currency.localeCompare(b.currency)),
          [
            { status: 'draft', currency: 'KES', count: 1, value: 100 },
            { status: 'draft', currency: 'USD', count: 1, value: 100 },
          ],
        );
        assert.deepEqual(o.activecontractvalue, [{ currency: 'KES', count: 1, value: 5000 }]);
        assert.equal(o.bookingsahead.length, 14);
        assert.equal(
          o.bookingsahead.reduce((s: number, d: { count: number }) => s + d.count, 0),
          1,
        );
        assert.deepEqual(
          o.upcoming.map((b: { title: string }) => b.title),
          ['Soon'],
        );
        assert.equal((await call('GET', '/overview?timezone=Nowhere/Town')).status, 400);
      });

      it('offers the vocabularies the forms need', async () => {
        const meta = (await api('GET', '/meta')).body.data;
        assert.deepEqual(meta.quotetransitions.draft, ['sent']);
        assert.ok(
          meta.currencies.includes('KES') &&
            meta.timezones.includes('Africa/Nairobi') &&
            meta.timezones.includes('UTC'),
        );
        assert.deepEqual(meta.weekdays, ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
      });
    });
  });
}
