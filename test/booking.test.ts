// Contract suite: /business/booking/* (read-only; bookings are written by the dashboard), over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { createBooking } from '../src/modules/booking/booking.store.js';
import {
  appointmentInput,
  bookingInput,
  type CustomerRecord,
  checkDetailsErrors,
  checkNoWriteRoutes,
  checkPaging,
  checkQueryRejected,
  getList,
  listIds,
  makeCustomer,
  rejects400,
  UNKNOWN_ID,
} from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`bookings [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    describe('bookings written by the dashboard (createBooking)', () => {
      it('rejects an end time that is not after the start time with 400, and writes nothing', async () => {
        const own = await server.newBusiness('Times Business');
        const start = '2030-02-01T10:00:00.000Z';
        await rejects400(
          createBooking(
            server.db,
            own.businessId,
            bookingInput({ starttime: start, endtime: '2030-02-01T09:00:00.000Z' }),
            'dashboard',
          ),
          ['endtime'],
        );
        await rejects400(
          createBooking(
            server.db,
            own.businessId,
            bookingInput({ starttime: start, endtime: '2030-02-01T13:00:00+03:00' }),
            'dashboard',
          ),
          ['endtime'],
        );
        assert.equal((await getList(server, '/business/booking/list', own.secret)).pagination.total, 0);
      });

      it("rejects another business's appointment type or customer with 400", async () => {
        const other = await server.newBusiness('Other Business');
        const foreignType = await createAppointment(server.db, other.businessId, appointmentInput(), 'dashboard');
        const foreignCustomer = await makeCustomer(server, other.secret);
        await rejects400(
          createBooking(server.db, server.businessId, bookingInput({ appointmentid: foreignType._id }), 'dashboard'),
          ['appointmentid'],
        );
        await rejects400(
          createBooking(server.db, server.businessId, bookingInput({ customerid: foreignCustomer._id }), 'dashboard'),
          ['customerid'],
        );
      });
    });

    describe('GET /business/booking/details/:id', () => {
      it('returns the whole record with the appointment type and customer nested', async () => {
        const customer = await makeCustomer(server);
        const type = await createAppointment(
          server.db,
          server.businessId,
          appointmentInput({ title: 'Strategy call' }),
          'dashboard',
        );
        const booking = await createBooking(
          server.db,
          server.businessId,
          bookingInput({
            title: 'Q3 planning',
            description: 'Quarterly plan',
            starttime: '2030-03-04T12:00:00+03:00',
            endtime: '2030-03-04T10:00:00.000Z',
            allday: false,
            type: 'video_call',
            appointmentid: type._id,
            customerid: customer._id,
            attendee: { name: 'Jane Doe', email: 'jane@example.com' },
            meetinglink: 'https://meet.example.com/q3',
            location: 'Online',
            notes: 'Bring numbers',
          }),
          'dashboard',
        );
        const res = await server.request('GET', `/business/booking/details/${booking._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: booking });
        const b = res.body.data;
        assert.equal(b.starttime, '2030-03-04T09:00:00.000Z');
        assert.equal(b.endtime, '2030-03-04T10:00:00.000Z');
        assert.equal(b.status, 'scheduled');
        assert.strictEqual(b.allday, false);
        assert.equal(b.type, 'video_call');
        assert.deepEqual(b.appointment, { _id: type._id, title: 'Strategy call' });
        assert.equal(b.appointmentid, type._id);
        assert.deepEqual(b.customer, { _id: customer._id, name: customer.name, email: customer.email });
        assert.deepEqual(b.attendee, { name: 'Jane Doe', email: 'jane@example.com', phone: null });
        assert.equal(b.meetinglink, 'https://meet.example.com/q3');
        assert.equal(b.sourceorigin, 'dashboard');
        assert.equal(b.active, true);
      });

      it('shows unset optional fields as null, and booking_page as the origin of public-page bookings', async () => {
        const booking = await createBooking(
          server.db,
          server.businessId,
          bookingInput({ allday: true }),
          'booking_page',
        );
        const b = (await server.request('GET', `/business/booking/details/${booking._id}`)).body.data;
        for (const field of [
          'description',
          'appointmentid',
          'appointment',
          'customerid',
          'customer',
          'attendee',
          'location',
          'meetinglink',
          'notes',
        ]) {
          assert.equal(b[field], null, field);
        }
        assert.strictEqual(b.allday, true);
        assert.equal(b.sourceorigin, 'booking_page');
      });

      it("nests the customer's current name after the customer is updated", async () => {
        const customer = await makeCustomer(server);
        const booking = await createBooking(
          server.db,
          server.businessId,
          bookingInput({ customerid: customer._id }),
          'dashboard',
        );
        assert.equal(
          (
            await server.request('PATCH', `/business/customer/update/${customer._id}`, {
              body: { name: 'Wanjiru Renamed' },
            })
          ).status,
          200,
        );
        const b = (await server.request('GET', `/business/booking/details/${booking._id}`)).body.data;
        assert.deepEqual(b.customer, { _id: customer._id, name: 'Wanjiru Renamed', email: customer.email });
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        await checkDetailsErrors(server, 'booking', 'Booking');
      });
    });

    describe('GET /business/booking/list', () => {
      let secret: string;
      let c1: CustomerRecord;
      let c2: CustomerRecord;
      let a1: string;
      let a2: string;
      const ids: string[] = [];
      before(async () => {
        const own = await server.newBusiness('Booking List Business');
        secret = own.secret;
        c1 = await makeCustomer(server, secret);
        c2 = await makeCustomer(server, secret);
        a1 = (
          await createAppointment(server.db, own.businessId, appointmentInput({ title: 'Consultation' }), 'dashboard')
        )._id;
        a2 = (
          await createAppointment(server.db, own.businessId, appointmentInput({ title: 'Walkthrough' }), 'dashboard')
        )._id;
        const at = (day: number) => ({
          starttime: `2030-01-${day}T09:00:00.000Z`,
          endtime: `2030-01-${day}T10:00:00.000Z`,
        });
        const inputs = [
          bookingInput({
            title: 'Strategy Session',
            description: 'Ünïcode roadmap',
            status: 'scheduled',
            appointmentid: a1,
            customerid: c1._id,
            ...at(12),
          }),
          bookingInput({ title: '100% Review', status: 'completed', appointmentid: a1, customerid: c2._id, ...at(10) }),
          bookingInput({
            title: 'under_score Sync',
            description: 'Weekly',
            status: 'cancelled',
            appointmentid: a2,
            customerid: c1._id,
            ...at(14),
          }),
          bookingInput({
            title: 'Ζήτα Demo',
            status: 'scheduled',
            appointmentid: a2,
            location: 'Nairobi office',
            notes: 'hiddennoteword',
            ...at(11),
          }),
          bookingInput({
            title: 'Onboarding',
            description: 'Product demo walk-through',
            status: 'no-show',
            appointmentid: a1,
            customerid: c2._id,
            ...at(13),
          }),
        ];
        for (const input of inputs) ids.push((await createBooking(server.db, own.businessId, input, 'dashboard'))._id);
      });
      const query = (q: string) => listIds(server, 'booking', q, secret);
      const search = (term: string) => query(`search=${encodeURIComponent(term)}`);

      it('pages newest first (by creation, not start time), with pagination under both pagination and meta', async () => {
        await checkPaging(server, 'booking', secret, [...ids].reverse());
      });

      it('searches title and description case-insensitively, Unicode-aware', async () => {
        assert.deepEqual(await search('DEMO'), [ids[4], ids[3]]);
        assert.deepEqual(await search('strategy'), [ids[0]]);
        assert.deepEqual(await search('ÜNÏCODE'), [ids[0]], 'description');
        assert.deepEqual(await search('ζήτα'), [ids[3]]);
        assert.deepEqual(await search('nairobi'), [], 'location is not searched');
        assert.deepEqual(await search('hiddennoteword'), [], 'notes are not searched');
        assert.deepEqual(await search('consultation'), [], "the appointment type's title is not searched");
      });

      it('matches % and _ literally', async () => {
        assert.deepEqual(await search('100%'), [ids[1]]);
        assert.deepEqual(await search('%'), [ids[1]]);
        assert.deepEqual(await search('r_s'), [ids[2]]);
        assert.deepEqual(await search('_'), [ids[2]]);
      });

      it('filters by status, appointmentid and customerid, combined with AND', async () => {
        assert.deepEqual(await query('status=scheduled'), [ids[3], ids[0]]);
        assert.deepEqual(await query('status=no-show'), [ids[4]]);
        assert.deepEqual(await query(`appointmentid=${a1}`), [ids[4], ids[1], ids[0]]);
        assert.deepEqual(await query(`customerid=${c1._id}`), [ids[2], ids[0]]);
        assert.deepEqual(await query(`appointmentid=${a2}&customerid=${c1._id}`), [ids[2]]);
        assert.deepEqual(await query(`status=scheduled&appointmentid=${a1}&customerid=${c1._id}`), [ids[0]]);
        assert.deepEqual(await query(`status=completed&customerid=${c1._id}`), []);
        assert.deepEqual(await query(`appointmentid=${UNKNOWN_ID}`), []);
        assert.deepEqual(await query(`customerid=${c2._id}&search=onboarding`), [ids[4]]);
      });

      it('filters on starttime: from inclusive, to exclusive, offsets normalised to UTC', async () => {
        assert.deepEqual(await query('from=2030-01-12T09:00:00.000Z'), [ids[4], ids[2], ids[0]]);
        assert.deepEqual(await query('to=2030-01-12T09:00:00.000Z'), [ids[3], ids[1]]);
        assert.deepEqual(await query('from=2030-01-11T09:00:00.000Z&to=2030-01-13T09:00:00.000Z'), [ids[3], ids[0]]);
        assert.deepEqual(await query(`from=${encodeURIComponent('2030-01-12T12:00:00+03:00')}`), [
          ids[4],
          ids[2],
          ids[0],
        ]);
        assert.deepEqual(await query('from=2030-01-13'), [ids[4], ids[2]]);
        assert.deepEqual(await query('from=2030-01-12T09:00:00.000Z&status=scheduled'), [ids[0]]);
        assert.deepEqual(await query('from=2030-01-12T09:00:00.000Z&to=2030-01-12T09:00:00.000Z'), []);
        const range = await getList(server, '/business/booking/list?from=2030-01-11&to=2030-01-14&limit=2', secret);
        assert.deepEqual(range.pagination, { total: 3, page: 1, limit: 2, pages: 2 });
      });

      it('rejects an unknown status with the allowed values, and malformed ids and instants', async () => {
        await checkQueryRejected(
          server,
          '/business/booking/list?status=noshow',
          { status: 'Status must be one of: scheduled, completed, cancelled, no-show' },
          secret,
        );
        await checkQueryRejected(
          server,
          '/business/booking/list?customerid=abc',
          { customerid: 'Customer ID must be a 24-character hex ID' },
          secret,
        );
        await checkQueryRejected(
          server,
          '/business/booking/list?appointmentid=abc',
          { appointmentid: 'Appointment ID must be a 24-character hex ID' },
          secret,
        );
        await checkQueryRejected(
          server,
          '/business/booking/list?from=yesterday',
          { from: 'From must be an ISO 8601 date or date-time, e.g. 2024-01-15T10:30:00.000Z' },
          secret,
        );
      });
    });

    describe('no write routes', () => {
      it('has no create or update route: 404 in the error envelope', async () => {
        const booking = await createBooking(server.db, server.businessId, bookingInput(), 'dashboard');
        await checkNoWriteRoutes(server, 'booking', booking._id);
      });
    });
  });
}
