// Appointment-type routes: list and details with booking statistics. Written from the dashboard only.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { DetailsEnvelope, ListEnvelope, responses } from '../../http/envelope.js';
import { IdParams } from '../../http/params.js';
import { detailsHandler, listHandler } from '../../http/read-routes.js';
import { Appointment, AppointmentListQuery } from './appointment.schema.js';
import { APPOINTMENT_TABLES, getAppointment, listAppointments } from './appointment.store.js';

const tags = ['Appointments'];

/** What the API serves under /business/appointment, and the dashboard under its own prefix: appointment types are read here. */
export const appointmentRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    app.get(
      '/list',
      {
        schema: {
          tags,
          operationId: 'appointmentList',
          summary: 'List appointment types',
          querystring: AppointmentListQuery,
          response: responses({ 200: ListEnvelope(Appointment) }, [400]),
        },
      },
      listHandler(deps, APPOINTMENT_TABLES, listAppointments),
    );

    app.get(
      '/details/:id',
      {
        schema: {
          tags,
          operationId: 'appointmentDetails',
          summary: 'Get appointment details',
          params: IdParams,
          response: responses({ 200: DetailsEnvelope(Appointment) }, [400, 404]),
        },
      },
      detailsHandler(deps, 'Appointment', APPOINTMENT_TABLES, getAppointment),
    );
  };
