// Booking routes: list (status, appointment, customer, time range) and details. Written from the dashboard only.
import type { FastifyPluginAsync } from 'fastify';
import { mountReadRoutes } from '../../http/read-routes.js';
import type { Api, Deps } from '../../http/server.js';
import { Booking, BookingListQuery } from './booking.schema.js';
import { getBooking, listBookings } from './booking.store.js';

export const bookingRoutes = ({ db }: Deps): FastifyPluginAsync => async (app) => {
  mountReadRoutes(app as Api, {
    resource: 'Booking',
    plural: 'bookings',
    tags: ['Bookings'],
    record: Booking,
    query: BookingListQuery,
    list: (businessId, page, q) => listBookings(db, businessId, page, q),
    get: (businessId, id) => getBooking(db, businessId, id),
  });
};
