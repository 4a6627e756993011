// Booking routes: list (status, appointment, customer, time range) and details for the API and the dashboard; create,
// update, the agenda and free slots for the dashboard only.
import { Type } from 'typebox';
import type { ApiPlugin, Deps } from '../../http/deps.js';
import {
  CreatedEnvelope,
  created,
  ListEnvelope,
  listed,
  ok,
  responses,
  UpdatedEnvelope,
  updated,
} from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { paging } from '../../http/list-query.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import { AgendaQuery, Booking, BookingCreate, BookingListQuery, BookingUpdate, SlotQuery } from './booking.schema.js';
import { freeSlots, rescheduleBooking, scheduleBooking } from './booking.service.js';
import { BOOKING_TABLES, getBooking, listBookings, listBookingsByTime } from './booking.store.js';

const tags = ['Bookings'];

/** What the API serves under /business/booking, and the dashboard under its own prefix: bookings are read here. */
export const bookingRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const read = readRoutes(deps, { record: Booking, name: 'Booking', tags, keep: BOOKING_TABLES });
    app.get(
      '/list',
      read.list({ operationId: 'bookingList', summary: 'List bookings', querystring: BookingListQuery }, listBookings),
    );

    app.get(
      '/details/:id',
      read.details({ operationId: 'bookingDetails', summary: 'Get booking details' }, getBooking),
    );
  };

const Slots = Type.Array(Type.Object({ starttime: Type.String(), endtime: Type.String() }));

/** The writes the API leaves to the dashboard, and its booking views: mounted beside bookingRoutes there, never under /business. */
export const bookingDashboardRoutes =
  ({ db }: Deps): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      { schema: { body: BookingCreate, response: responses({ 201: CreatedEnvelope(Booking) }, [400, 409]) } },
      async (request, reply) => {
        const booking = await scheduleBooking(request.db, request.caller.businessId, request.body, 'dashboard');
        return reply.code(201).send(created('Booking', booking));
      },
    );

    app.patch(
      '/update/:id',
      {
        schema: {
          params: IdParams,
          body: BookingUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404, 409]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Booking');
        const modified = await rescheduleBooking(request.db, request.caller.businessId, id, request.body);
        if (modified === undefined) throw notFound('Booking');
        return updated('Booking', id, modified);
      },
    );

    // The agenda: the list's filters in time order, which the contract's list (newest created first) is not.
    app.get(
      '/agenda',
      { schema: { querystring: AgendaQuery, response: { 200: ListEnvelope(Booking) } } },
      async (request) => {
        const page = paging(request.query);
        const { records, total } = await listBookingsByTime(
          db,
          request.caller.businessId,
          page,
          request.query,
          request.query.order ?? 'asc',
        );
        return listed(records, total, page.page, page.limit);
      },
    );

    app.get(
      '/slots',
      {
        schema: {
          querystring: SlotQuery,
          response: { 200: Type.Object({ success: Type.Literal(true), data: Slots }) },
        },
      },
      async (request) =>
        ok(await freeSlots(db, request.caller.businessId, request.query.appointmentid, request.query.date)),
    );
  };
