// Booking routes: list (status, appointment, customer, time range) and details. Written from the dashboard only.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { mountReadRoutes } from '../../http/read-routes.js';
import { Booking, BookingListQuery } from './booking.schema.js';
import { getBooking, listBookings } from './booking.store.js';

export const bookingRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const { db } = deps;
    mountReadRoutes(app, deps, {
      resource: 'Booking',
      plural: 'bookings',
      tags: ['Bookings'],
      record: Booking,
      query: BookingListQuery,
      keep: ['bookings', 'appointments', 'customers'],
      list: (businessId, page, q) => listBookings(db, businessId, page, q),
      get: (businessId, id) => getBooking(db, businessId, id),
    });
  };
