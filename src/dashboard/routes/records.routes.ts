// The dashboard's record routes: the public API's own route modules (read, and write where the API writes), mounted
// with origin `dashboard`, plus the writes the API leaves to the dashboard for quotes, contracts, types and bookings.
import { type TSchema, Type } from 'typebox';
import type { Api, ApiPlugin, Deps } from '../../http/deps.js';
import { ListEnvelope, listed, ok } from '../../http/envelope.js';
import { paging } from '../../http/list-query.js';
import { appointmentRoutes } from '../../modules/appointment/appointment.routes.js';
import { Appointment, AppointmentCreate, AppointmentUpdate } from '../../modules/appointment/appointment.schema.js';
import { createAppointment, updateAppointment } from '../../modules/appointment/appointment.store.js';
import { bookingRoutes } from '../../modules/booking/booking.routes.js';
import { AgendaQuery, Booking, BookingCreate, BookingUpdate, SlotQuery } from '../../modules/booking/booking.schema.js';
import { freeSlots, rescheduleBooking, scheduleBooking } from '../../modules/booking/booking.service.js';
import { listBookingsByTime } from '../../modules/booking/booking.store.js';
import { contactRoutes } from '../../modules/contact/contact.routes.js';
import { contractRoutes } from '../../modules/contract/contract.routes.js';
import { Contract, ContractCreate, ContractUpdate } from '../../modules/contract/contract.schema.js';
import { createContract, updateContract } from '../../modules/contract/contract.store.js';
import { customerRoutes } from '../../modules/customer/customer.routes.js';
import { leadRoutes } from '../../modules/lead/lead.routes.js';
import { quoteRoutes } from '../../modules/quote/quote.routes.js';
import { Quote, QuoteCreate, QuotePricing, QuoteUpdate } from '../../modules/quote/quote.schema.js';
import { priceItems } from '../../modules/quote/quote.service.js';
import { createQuote, updateQuote } from '../../modules/quote/quote.store.js';
import { mountWriteRoutes, type WriteRoutes } from './write-routes.js';

export async function recordRoutes(app: Api, deps: Deps) {
  const { db } = deps;
  await app.register(customerRoutes(deps, 'dashboard'), { prefix: '/customer' });
  await app.register(leadRoutes(deps, 'dashboard'), { prefix: '/lead' });
  await app.register(contactRoutes(deps, 'dashboard'), { prefix: '/contact' });

  await withWrites(
    app,
    '/quote',
    quoteRoutes(deps),
    {
      resource: 'Quote',
      record: Quote,
      create: { body: QuoteCreate, run: (businessId, input) => createQuote(db, businessId, input, 'dashboard') },
      update: { body: QuoteUpdate, run: (businessId, id, patch) => updateQuote(db, businessId, id, patch) },
    },
    (quotes) => {
      // Totals while the items are typed, priced by the same function that prices a saved quote.
      quotes.post('/price', { schema: { body: QuotePricing } }, async (request) => ok(priceItems(request.body.items)));
    },
  );

  await withWrites(app, '/contract', contractRoutes(deps), {
    resource: 'Contract',
    record: Contract,
    create: { body: ContractCreate, run: (businessId, input) => createContract(db, businessId, input, 'dashboard') },
    update: { body: ContractUpdate, run: (businessId, id, patch) => updateContract(db, businessId, id, patch) },
  });

  await withWrites(app, '/appointment', appointmentRoutes(deps), {
    resource: 'Appointment',
    record: Appointment,
    create: {
      body: AppointmentCreate,
      run: (businessId, input) => createAppointment(db, businessId, input, 'dashboard'),
    },
    update: { body: AppointmentUpdate, run: (businessId, id, patch) => updateAppointment(db, businessId, id, patch) },
  });

  await withWrites(
    app,
    '/booking',
    bookingRoutes(deps),
    {
      resource: 'Booking',
      record: Booking,
      create: { body: BookingCreate, run: (businessId, input) => scheduleBooking(db, businessId, input, 'dashboard') },
      update: { body: BookingUpdate, run: (businessId, id, patch) => rescheduleBooking(db, businessId, id, patch) },
    },
    (bookings) => {
      // The agenda: the list's filters in time order, which the contract's list (newest created first) is not.
      bookings.get(
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
      const Slots = Type.Array(Type.Object({ starttime: Type.String(), endtime: Type.String() }));
      bookings.get(
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
    },
  );
}

/** A read-only resource of the API: its own read routes, plus the dashboard's create and update (and `more`). */
async function withWrites<C extends TSchema, U extends TSchema>(
  app: Api,
  prefix: string,
  read: ApiPlugin,
  spec: WriteRoutes<C, U>,
  more?: (writes: Api) => void,
) {
  await app.register(read, { prefix });
  await app.register(
    async (writes: Api) => {
      mountWriteRoutes(writes, spec);
      more?.(writes);
    },
    { prefix },
  );
}
