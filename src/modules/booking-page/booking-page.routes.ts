// The public booking pages under /book, no credentials: an active type's page, its free times and its booking form's
// POST; a booking's manage link (see, cancel, move, .ics); the page's script and styles. Every POST is limited per
// address (BOOKING_PAGE_POSTS_PER_HOUR, over Redis across nodes when set).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentSecurityPolicy } from '../../dashboard/security-headers.js';
import type { ApiPlugin, Deps } from '../../http/deps.js';
import { ok, responses } from '../../http/envelope.js';
import { AppError, notFound, rateLimited } from '../../http/errors.js';
import type { Window } from '../../http/rate-limit/limits.js';
import {
  BookBody,
  BookedEnvelope,
  ManagedEnvelope,
  ManageParams,
  MoveBody,
  PageParams,
  SlotsEnvelope,
  SlotsQuery,
} from './booking-page.schema.js';
import {
  bookOnPage,
  cancelOnPage,
  findPage,
  manageable,
  managedView,
  moveOnPage,
  pageSlots,
} from './booking-page.service.js';
import { icsFile } from './ics.js';
import { manageToken } from './manage-token.js';
import { bookingPageHtml, managePageHtml, notFoundHtml, pageScripts, pageStyles } from './page.js';

const tags = ['Booking pages'];

/** Pages may be framed anywhere (the embed snippet); the manage page, which changes a booking, nowhere. */
const headers = (framing: string) => ({
  'content-security-policy': contentSecurityPolicy(framing),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});
const PAGE_HEADERS = headers('*');
const MANAGE_HEADERS = { ...headers("'none'"), 'x-frame-options': 'DENY' };

const html = (reply: FastifyReply, status: number, body: string, sent: Record<string, string>) =>
  reply.code(status).headers(sent).type('text/html; charset=utf-8').send(body);

export const bookingPageRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const { db } = deps;
    const windows: readonly Window[] = [{ ms: 3_600_000, limit: deps.config.BOOKING_PAGE_POSTS_PER_HOUR }];
    const limitPosts = async (request: FastifyRequest) => {
      const decision = await deps.limiter.consume(`booking-page:${request.ip}`, windows);
      if (!decision.allowed) throw rateLimited(decision.retryAfter);
    };
    const page = async (business: string, type: string) => {
      const found = await findPage(db, business, type);
      if (!found) throw notFound('Booking page');
      return found;
    };
    const manageUrl = async (businessId: string, bookingId: string) =>
      `${deps.publicUrl()}/book/_/manage/${await manageToken(db, businessId, bookingId)}`;

    const script = (name: string) => (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .headers(PAGE_HEADERS)
        .header('cache-control', 'public, max-age=300')
        .type('text/javascript; charset=utf-8')
        .send(pageScripts[name]);
    app.get('/_/page.client.js', { schema: { hide: true } }, script('page.client.js'));
    app.get('/_/calendar.client.js', { schema: { hide: true } }, script('calendar.client.js'));
    app.get('/_/page.css', { schema: { hide: true } }, (_request, reply) =>
      reply
        .headers(PAGE_HEADERS)
        .header('cache-control', 'public, max-age=300')
        .type('text/css; charset=utf-8')
        .send(pageStyles),
    );

    app.get('/:business/:type', { schema: { hide: true, params: PageParams } }, async (request, reply) => {
      const found = await findPage(db, request.params.business, request.params.type);
      if (!found) return html(reply, 404, notFoundHtml(), PAGE_HEADERS);
      const base = `/book/${found.business.slug}/${found.type.slug}`;
      return html(reply, 200, bookingPageHtml(found.business.name, found.type, base), PAGE_HEADERS);
    });

    app.get(
      '/:business/:type/slots',
      {
        schema: {
          tags,
          security: [],
          operationId: 'bookingPageSlots',
          summary: 'Free times of a booking page',
          params: PageParams,
          querystring: SlotsQuery,
          response: responses({ 200: SlotsEnvelope }, [400, 404]),
        },
      },
      async (request) => {
        const { type } = await page(request.params.business, request.params.type);
        const timezone = request.query.timezone ?? type.timezone;
        const slots = await pageSlots(db, type, request.query.from, request.query.days ?? 7, timezone);
        return ok({ timezone, slots });
      },
    );

    app.post(
      '/:business/:type',
      {
        schema: {
          tags,
          security: [],
          operationId: 'bookingPageBook',
          summary: 'Book a free time on a booking page',
          params: PageParams,
          body: BookBody,
          response: responses({ 201: BookedEnvelope }, [400, 404, 409]),
        },
      },
      async (request, reply) => {
        await limitPosts(request);
        const found = await page(request.params.business, request.params.type);
        // Filled by bots only: hidden from people and screen readers on the page.
        if (request.body.honeypot) throw new AppError(400, 'Your booking could not be accepted');
        const booking = await bookOnPage(db, found, request.body);
        const data = {
          _id: booking._id,
          starttime: booking.starttime,
          endtime: booking.endtime,
          status: booking.status,
          manageurl: await manageUrl(found.business.id, booking._id),
        };
        return reply.code(201).send(ok(data));
      },
    );

    app.get('/_/manage/:token', { schema: { hide: true, params: ManageParams } }, async (request, reply) => {
      const known = await manageable(db, request.params.token).then(
        () => true,
        () => false,
      );
      if (!known) return html(reply, 404, notFoundHtml(), MANAGE_HEADERS);
      return html(reply, 200, managePageHtml(encodeURIComponent(request.params.token)), MANAGE_HEADERS);
    });

    app.get(
      '/_/manage/:token/booking',
      {
        schema: {
          tags,
          security: [],
          operationId: 'bookingPageManaged',
          summary: 'The booking a manage link names',
          params: ManageParams,
          response: responses({ 200: ManagedEnvelope }, [404]),
        },
      },
      async (request, reply) => {
        const m = await manageable(db, request.params.token);
        reply.headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
        return ok(managedView(m, await manageUrl(m.businessId, m.booking.id)));
      },
    );

    app.get(
      '/_/manage/:token/slots',
      {
        schema: {
          tags,
          security: [],
          operationId: 'bookingPageManagedSlots',
          summary: 'Free times a managed booking may move to',
          params: ManageParams,
          querystring: SlotsQuery,
          response: responses({ 200: SlotsEnvelope }, [400, 404]),
        },
      },
      async (request) => {
        const m = await manageable(db, request.params.token);
        const timezone = request.query.timezone ?? m.type.timezone;
        if (m.type.status !== 'active') return ok({ timezone, slots: [] });
        const { from, days } = request.query;
        return ok({
          timezone,
          slots: await pageSlots(db, m.type, from, days ?? 7, timezone, Date.now(), m.booking.id),
        });
      },
    );

    app.get(
      '/_/manage/:token/booking.ics',
      { schema: { hide: true, params: ManageParams } },
      async (request, reply) => {
        const m = await manageable(db, request.params.token);
        const ics = icsFile({
          uid: `${m.booking.id}@mteja`,
          starttime: m.booking.starttime,
          endtime: m.booking.endtime,
          summary: m.type.title,
          location: m.booking.location,
          description: `Manage: ${await manageUrl(m.businessId, m.booking.id)}`,
          cancelled: m.booking.status === 'cancelled',
        });
        return reply
          .headers({ 'cache-control': 'no-store', 'content-disposition': 'attachment; filename="booking.ics"' })
          .type('text/calendar; charset=utf-8')
          .send(ics);
      },
    );

    app.post(
      '/_/manage/:token/cancel',
      {
        schema: {
          tags,
          security: [],
          operationId: 'bookingPageCancel',
          summary: 'Cancel a booking through its manage link',
          params: ManageParams,
          response: responses({ 200: ManagedEnvelope }, [404, 409]),
        },
      },
      async (request) => {
        await limitPosts(request);
        const m = await manageable(db, request.params.token);
        await cancelOnPage(db, m);
        const after = await manageable(db, request.params.token);
        return ok(managedView(after, await manageUrl(m.businessId, m.booking.id)));
      },
    );

    app.post(
      '/_/manage/:token/move',
      {
        schema: {
          tags,
          security: [],
          operationId: 'bookingPageMove',
          summary: 'Move a booking to another free time through its manage link',
          params: ManageParams,
          body: MoveBody,
          response: responses({ 200: ManagedEnvelope }, [400, 404, 409]),
        },
      },
      async (request) => {
        await limitPosts(request);
        const m = await manageable(db, request.params.token);
        await moveOnPage(db, m, request.body.starttime);
        const after = await manageable(db, request.params.token);
        return ok(managedView(after, await manageUrl(m.businessId, m.booking.id)));
      },
    );
  };
