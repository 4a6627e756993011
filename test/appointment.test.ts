// Contract suite: /business/appointment/* (appointment types; read-only, written by the dashboard), over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import type { BookingCreate } from '../src/modules/booking/booking.schema.js';
import { createBooking } from '../src/modules/booking/booking.store.js';
import {
  appointmentInput,
  bookingInput,
  checkDetailsErrors,
  checkNoWriteRoutes,
  checkPaging,
  checkQueryRejected,
  getList,
  listIds,
} from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

const FUTURE = { starttime: '2035-06-01T09:00:00.000Z', endtime: '2035-06-01T10:00:00.000Z' };
const PAST = { starttime: '2020-06-01T09:00:00.000Z', endtime: '2020-06-01T10:00:00.000Z' };
const EMPTY_STATS = { totalbookings: 0, upcoming: 0, completed: 0, cancelled: 0, noshow: 0, completionrate: 0 };

for (const engine of engines()) {
  describe(`appointments [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const book = (
      businessId: string,
      appointmentid: string | null,
      status: BookingCreate['status'],
      when: typeof FUTURE,
    ) => createBooking(server.db, businessId, bookingInput({ appointmentid, status, ...when }), 'dashboard');

    describe('GET /business/appointment/details/:id', () => {
      it('returns the whole appointment type', async () => {
        const made = await createAppointment(
          server.db,
          server.businessId,
          appointmentInput({
            title: 'Strategy session',
            description: 'One hour with a partner',
            category: 'in_person',
            duration: 60,
            price: 4999.999,
            currency: 'kes',
            location: 'Westlands office',
            externalurl: 'https://book.example.com/strategy',
            timezone: 'Africa/Nairobi',
            availability: [
              { day: 'monday', start: '09:00', end: '12:00' },
              { day: 'friday', start: '14:00', end: '17:30' },
            ],
            bufferminutes: 15,
            status: 'inactive',
          }),
          'dashboard',
        );
        const res = await server.request('GET', `/business/appointment/details/${made._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: made });
        const a = res.body.data;
        assert.equal(a.category, 'in_person');
        assert.equal(a.duration, 60);
        assert.equal(a.price, 5000, 'money is rounded to 2 places');
        assert.equal(a.currency, 'KES');
        assert.equal(a.timezone, 'Africa/Nairobi');
        assert.deepEqual(a.availability, [
          { day: 'monday', start: '09:00', end: '12:00' },
          { day: 'friday', start: '14:00', end: '17:30' },
        ]);
        assert.equal(a.bufferminutes, 15);
        assert.equal(a.status, 'inactive');
        assert.deepEqual(a.stats, EMPTY_STATS);
        assert.equal(a.sourceorigin, 'dashboard');
        assert.equal(a.active, true);
      });

      it('defaults price and buffer to 0, status to active, notice and window to 2 hours and 60 days; unset optional fields are null', async () => {
        const made = await createAppointment(server.db, server.businessId, appointmentInput(), 'dashboard');
        const a = (await server.request('GET', `/business/appointment/details/${made._id}`)).body.data;
        assert.equal(a.price, 0);
        assert.equal(a.bufferminutes, 0);
        assert.equal(a.status, 'active');
        assert.equal(a.minnoticeminutes, 120);
        assert.equal(a.windowdays, 60);
        for (const field of ['description', 'location', 'externalurl']) assert.equal(a[field], null, field);
        assert.equal(a.bookingurl, `${server.url}/book/first-business/${a.slug}`, 'its public page');
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        await checkDetailsErrors(server, 'appointment', 'Appointment');
      });
    });

    describe('booking statistics (stats)', () => {
      it('counts bookings by status; upcoming = scheduled and starting in the future; completionrate to 2 decimals', async () => {
        const own = await server.newBusiness('Stats Business');
        const type = await createAppointment(server.db, own.businessId, appointmentInput(), 'dashboard');
        const other = await createAppointment(
          server.db,
          own.businessId,
          appointmentInput({ title: 'Other type' }),
          'dashboard',
        );
        await book(own.businessId, type._id, 'completed', FUTURE);
        await book(own.businessId, type._id, 'cancelled', PAST);
        await book(own.businessId, type._id, 'no-show', PAST);
        await book(own.businessId, type._id, 'scheduled', FUTURE);
        await book(own.businessId, type._id, 'scheduled', PAST);
        await book(own.businessId, other._id, 'completed', PAST);
        await book(own.businessId, null, 'completed', PAST);
        const res = await server.request('GET', `/business/appointment/details/${type._id}`, { secret: own.secret });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.data.stats, {
          totalbookings: 5,
          upcoming: 1,
          completed: 1,
          cancelled: 1,
          noshow: 1,
          completionrate: 33.33,
        });
        const otherStats = (
          await server.request('GET', `/business/appointment/details/${other._id}`, { secret: own.secret })
        ).body.data.stats;
        assert.deepEqual(otherStats, {
          totalbookings: 1,
          upcoming: 0,
          completed: 1,
          cancelled: 0,
          noshow: 0,
          completionrate: 100,
        });
      });

      it('rounds the completion rate to 2 decimals and carries stats on list items too', async () => {
        const own = await server.newBusiness('Rate Business');
        const type = await createAppointment(
          server.db,
          own.businessId,
          appointmentInput({ title: 'Rated' }),
          'dashboard',
        );
        const idle = await createAppointment(
          server.db,
          own.businessId,
          appointmentInput({ title: 'Idle' }),
          'dashboard',
        );
        await book(own.businessId, type._id, 'completed', PAST);
        await book(own.businessId, type._id, 'completed', PAST);
        await book(own.businessId, type._id, 'cancelled', PAST);
        await book(own.businessId, idle._id, 'scheduled', FUTURE);
        const listed = await getList(server, '/business/appointment/list', own.secret);
        assert.deepEqual(
          listed.data.map((a) => [a._id, a.stats]),
          [
            [idle._id, { totalbookings: 1, upcoming: 1, completed: 0, cancelled: 0, noshow: 0, completionrate: 0 }],
            [type._id, { totalbookings: 3, upcoming: 0, completed: 2, cancelled: 1, noshow: 0, completionrate: 66.67 }],
          ],
        );
      });

      it('is all zeros for a type without bookings', async () => {
        const made = await createAppointment(
          server.db,
          server.businessId,
          appointmentInput({ title: 'Unbooked' }),
          'dashboard',
        );
        const a = (await server.request('GET', `/business/appointment/details/${made._id}`)).body.data;
        assert.deepEqual(a.stats, EMPTY_STATS);
      });
    });

    describe('GET /business/appointment/list', () => {
      let secret: string;
      const ids: string[] = [];
      before(async () => {
        const own = await server.newBusiness('Appointment List Business');
        secret = own.secret;
        const inputs = [
          appointmentInput({
            title: 'Initial Consultation',
            description: 'Ünïcode intro',
            category: 'meeting',
            status: 'active',
          }),
          appointmentInput({ title: '100% Free Call', category: 'phone_call', status: 'active' }),
          appointmentInput({
            title: 'under_score Review',
            description: 'Code review',
            category: 'video_call',
            status: 'inactive',
          }),
          appointmentInput({ title: 'Ζήτα Workshop', category: 'in_person', status: 'archived', location: 'Nairobi' }),
          appointmentInput({
            title: 'Follow-up Call',
            description: 'Thirty minute check-in',
            category: 'phone_call',
            status: 'inactive',
          }),
        ];
        for (const input of inputs)
          ids.push((await createAppointment(server.db, own.businessId, input, 'dashboard'))._id);
      });
      const query = (q: string) => listIds(server, 'appointment', q, secret);
      const search = (term: string) => query(`search=${encodeURIComponent(term)}`);

      it('pages newest first, with pagination under both pagination and meta, and handles the paging edges', async () => {
        await checkPaging(server, 'appointment', secret, [...ids].reverse());
      });

      it('searches title and description case-insensitively, Unicode-aware', async () => {
        assert.deepEqual(await search('CALL'), [ids[4], ids[1]]);
        assert.deepEqual(await search('review'), [ids[2]]);
        assert.deepEqual(await search('check-in'), [ids[4]], 'description');
        assert.deepEqual(await search('ünïcode'), [ids[0]]);
        assert.deepEqual(await search('ΖΉΤΑ'), [ids[3]]);
        assert.deepEqual(await search('nairobi'), [], 'location is not searched');
        assert.deepEqual(await search('phone_call'), [], 'category is not searched');
      });

      it('matches % and _ literally', async () => {
        assert.deepEqual(await search('100%'), [ids[1]]);
        assert.deepEqual(await search('%'), [ids[1]]);
        assert.deepEqual(await search('r_s'), [ids[2]]);
        assert.deepEqual(await search('_'), [ids[2]]);
      });

      it('filters by status and category, combined with AND', async () => {
        assert.deepEqual(await query('status=active'), [ids[1], ids[0]]);
        assert.deepEqual(await query('status=archived'), [ids[3]]);
        assert.deepEqual(await query('category=phone_call'), [ids[4], ids[1]]);
        assert.deepEqual(await query('status=inactive&category=phone_call'), [ids[4]]);
        assert.deepEqual(await query('status=archived&category=meeting'), []);
        assert.deepEqual(await query('category=phone_call&search=free'), [ids[1]]);
        const inactive = await getList(server, '/business/appointment/list?status=inactive&limit=1&page=2', secret);
        assert.deepEqual(inactive.pagination, { total: 2, page: 2, limit: 1, pages: 2 });
        assert.deepEqual(
          inactive.data.map((a) => a._id),
          [ids[2]],
        );
      });

      it('rejects an unknown status or category with the allowed values', async () => {
        await checkQueryRejected(
          server,
          '/business/appointment/list?status=deleted',
          { status: 'Status must be one of: active, inactive, archived' },
          secret,
        );
        await checkQueryRejected(
          server,
          '/business/appointment/list?category=zoom',
          {
            category: 'Category must be one of: meeting, video_call, phone_call, in_person',
          },
          secret,
        );
      });
    });

    describe('no write routes', () => {
      it('has no create or update route: 404 in the error envelope', async () => {
        const made = await createAppointment(server.db, server.businessId, appointmentInput(), 'dashboard');
        await checkNoWriteRoutes(server, 'appointment', made._id);
      });
    });
  });
}
