// The dashboard at /dashboard: the single-page app, and its API under /dashboard/api, where every route but sign-in
// needs a session, and every state-changing one its CSRF token. Security headers on every response.

import type { Api, ApiPlugin, Deps } from '../http/deps.js';
import { routeNotFound } from '../http/render-error.js';
import { appointmentDashboardRoutes, appointmentRoutes } from '../modules/appointment/appointment.routes.js';
import { bookingDashboardRoutes, bookingRoutes } from '../modules/booking/booking.routes.js';
import { contactRoutes } from '../modules/contact/contact.routes.js';
import { contractDashboardRoutes, contractRoutes } from '../modules/contract/contract.routes.js';
import { customerRoutes } from '../modules/customer/customer.routes.js';
import { leadRoutes } from '../modules/lead/lead.routes.js';
import { quoteDashboardRoutes, quoteRoutes } from '../modules/quote/quote.routes.js';
import { type CookieSettings, requireSession } from './auth.js';
import { credentialRoutes } from './routes/credential.routes.js';
import { overviewRoutes } from './routes/overview.routes.js';
import { sessionRoutes, signInRoute } from './routes/session.routes.js';
import { webhookRoutes } from './routes/webhook.routes.js';
import { securityHeaders } from './security-headers.js';
import { deleteOldAttempts } from './signin-limits.js';
import { mountApp } from './static.js';
import { deleteExpiredSessions } from './users.store.js';

export function dashboardPlugin(deps: Deps): ApiPlugin {
  const cookies: CookieSettings = { secure: deps.config.DASHBOARD_SECURE_COOKIES };
  const headers = securityHeaders(cookies.secure);
  return async (app) => {
    // The dashboard's routes are its own business, not the public API's: none appears in the OpenAPI document.
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(headers);
      return payload;
    });

    await app.register(
      async (api: Api) => {
        api.addHook('onSend', async (_request, reply, payload) => {
          reply.header('cache-control', 'no-store');
          return payload;
        });
        api.setNotFoundHandler(routeNotFound);
        api.get('/*', routeNotFound);
        signInRoute(api, deps.db, cookies);
        await api.register(async (staff: Api) => {
          staff.addHook('onRequest', requireSession(deps.db, cookies));
          sessionRoutes(staff, deps.db, cookies);
          overviewRoutes(staff, deps);
          // The API's own route modules (their records stamped `dashboard`), and the writes it leaves to the dashboard.
          await staff.register(customerRoutes(deps, 'dashboard'), { prefix: '/customer' });
          await staff.register(leadRoutes(deps, 'dashboard'), { prefix: '/lead' });
          await staff.register(contactRoutes(deps, 'dashboard'), { prefix: '/contact' });
          await staff.register(quoteRoutes(deps), { prefix: '/quote' });
          await staff.register(quoteDashboardRoutes(deps), { prefix: '/quote' });
          await staff.register(contractRoutes(deps), { prefix: '/contract' });
          await staff.register(contractDashboardRoutes(deps), { prefix: '/contract' });
          await staff.register(appointmentRoutes(deps), { prefix: '/appointment' });
          await staff.register(appointmentDashboardRoutes(deps), { prefix: '/appointment' });
          await staff.register(bookingRoutes(deps), { prefix: '/booking' });
          await staff.register(bookingDashboardRoutes(deps), { prefix: '/booking' });
          await staff.register(async (credentials: Api) => credentialRoutes(credentials, deps), {
            prefix: '/credential',
          });
          await staff.register(async (webhooks: Api) => webhookRoutes(webhooks, deps), { prefix: '/webhook' });
        });
      },
      { prefix: '/api' },
    );

    mountApp(app);

    const sweep = () =>
      Promise.all([deleteExpiredSessions(deps.db), deleteOldAttempts(deps.db)]).catch((error) =>
        app.log.warn({ err: error }, 'dashboard clean-up failed'),
      );
    const sweeper = setInterval(sweep, 3600_000).unref();
    app.addHook('onClose', async () => clearInterval(sweeper));
  };
}
