// Appointment-type routes: list and details with booking statistics. Written from the dashboard only.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { mountReadRoutes } from '../../http/read-routes.js';
import { Appointment, AppointmentListQuery } from './appointment.schema.js';
import { getAppointment, listAppointments } from './appointment.store.js';

export const appointmentRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const { db } = deps;
    mountReadRoutes(app, deps, {
      resource: 'Appointment',
      plural: 'appointment types',
      tags: ['Appointments'],
      record: Appointment,
      query: AppointmentListQuery,
      list: (businessId, page, q) => listAppointments(db, businessId, page, { status: q.status, category: q.category }),
      get: (businessId, id) => getAppointment(db, businessId, id),
    });
  };
