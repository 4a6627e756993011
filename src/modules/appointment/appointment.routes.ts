// Appointment-type routes: list and details (with booking statistics) for the API and the dashboard; create and
// update for the dashboard only.
import type { ApiPlugin, Deps } from '../../http/deps.js';
import { CreatedEnvelope, created, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import { Appointment, AppointmentCreate, AppointmentListQuery, AppointmentUpdate } from './appointment.schema.js';
import {
  APPOINTMENT_TABLES,
  createAppointment,
  getAppointment,
  listAppointments,
  updateAppointment,
} from './appointment.store.js';

const tags = ['Appointments'];

/** What the API serves under /business/appointment, and the dashboard under its own prefix: appointment types are read here. */
export const appointmentRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const read = readRoutes(deps, { record: Appointment, name: 'Appointment', tags, keep: APPOINTMENT_TABLES });
    app.get(
      '/list',
      read.list(
        { operationId: 'appointmentList', summary: 'List appointment types', querystring: AppointmentListQuery },
        (db, businessId, page, query) => listAppointments(db, businessId, page, query, deps.publicUrl()),
      ),
    );

    app.get(
      '/details/:id',
      read.details({ operationId: 'appointmentDetails', summary: 'Get appointment details' }, (db, businessId, id) =>
        getAppointment(db, businessId, id, deps.publicUrl()),
      ),
    );
  };

/** The writes the API leaves to the dashboard: mounted beside appointmentRoutes there, never under /business. */
export const appointmentDashboardRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      { schema: { body: AppointmentCreate, response: responses({ 201: CreatedEnvelope(Appointment) }, [400, 409]) } },
      async (request, reply) => {
        const appointment = await createAppointment(
          request.db,
          request.caller.businessId,
          request.body,
          'dashboard',
          deps.publicUrl(),
        );
        return reply.code(201).send(created('Appointment', appointment));
      },
    );

    app.patch(
      '/update/:id',
      {
        schema: {
          params: IdParams,
          body: AppointmentUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404, 409]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Appointment');
        const modified = await updateAppointment(
          request.db,
          request.caller.businessId,
          id,
          request.body,
          deps.publicUrl(),
        );
        if (modified === undefined) throw notFound('Appointment');
        return updated('Appointment', id, modified);
      },
    );
  };
