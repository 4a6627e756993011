// Booking routes: list (status, appointment, customer, time range) and details. Written from the dashboard only.
import type { ApiPlugin, Deps } from '../../http/deps.js';
import { DetailsEnvelope, ListEnvelope, responses } from '../../http/envelope.js';
import { IdParams } from '../../http/params.js';
import { detailsHandler, listHandler } from '../../http/read-routes.js';
import { Booking, BookingListQuery } from './booking.schema.js';
import { BOOKING_TABLES, getBooking, listBookings } from './booking.store.js';

const tags = ['Bookings'];

/** What the API serves under /business/booking, and the dashboard under its own prefix: bookings are read here. */
export const bookingRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    app.get(
      '/list',
      {
        schema: {
          tags,
          operationId: 'bookingList',
          summary: 'List bookings',
          querystring: BookingListQuery,
          response: responses({ 200: ListEnvelope(Booking) }, [400]),
        },
      },
      listHandler(deps, BOOKING_TABLES, listBookings),
    );

    app.get(
      '/details/:id',
      {
        schema: {
          tags,
          operationId: 'bookingDetails',
          summary: 'Get booking details',
          params: IdParams,
          response: responses({ 200: DetailsEnvelope(Booking) }, [400, 404]),
        },
      },
      detailsHandler(deps, 'Booking', BOOKING_TABLES, getBooking),
    );
  };
