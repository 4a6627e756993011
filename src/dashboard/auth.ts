// Dashboard authentication: the session cookie names the user and business; unsafe methods also need the CSRF token and a same-origin request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/engine.js';
import { AppError, unauthorized } from '../http/errors.js';
import { findSession, SESSION_MAX_MS } from './users.store.js';

export interface Staff {
  userId: string;
  email: string;
  name: string | null;
  businessName: string;
  /** The cookie's token: signs the CSRF token and ends the session at sign-out. */
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSession` on every dashboard API route but sign-in. */
    staff: Staff;
  }
}

export interface CookieSettings {
  /** Sets `Secure` (and the `__Host-` name) when the dashboard is served over HTTPS. */
  secure: boolean;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

export const cookieName = ({ secure }: CookieSettings) => (secure ? '__Host-mteja_session' : 'mteja_session');

export function sessionCookie(settings: CookieSettings, token: string, maxAgeMs = SESSION_MAX_MS): string {
  const parts = [
    `${cookieName(settings)}=${token}`,
    // __Host- cookies must be Path=/; over plain HTTP the cookie stays with the dashboard.
    settings.secure ? 'Path=/' : 'Path=/dashboard',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (settings.secure) parts.push('Secure');
  return parts.join('; ');
}

export const clearedCookie = (settings: CookieSettings) => sessionCookie(settings, '', 0);

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The CSRF token of a session: derived from its secret token, so it needs no storage and dies with the session. */
export const csrfToken = (sessionToken: string) =>
  createHmac('sha256', sessionToken).update('mteja dashboard csrf').digest('base64url');

const forbidden = (detail: string) => new AppError(403, 'Forbidden', undefined, detail);

/**
 * Refuses a state-changing request that did not come from a page of this origin: browsers send
 * `Sec-Fetch-Site` and `Origin` on such requests, and a cross-site form or script cannot forge either.
 */
export function requireSameOrigin(request: FastifyRequest) {
  if (!UNSAFE.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw forbidden('Cross-site request refused');
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== request.headers.host) throw forbidden('Cross-origin request refused');
  }
}

/** An onRequest hook: 401 without a live session; 403 for an unsafe method without the session's CSRF token or from another origin. */
export function requireSession(db: Queryable, settings: CookieSettings) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = readCookie(request, cookieName(settings));
    const found = token && /^[A-Za-z0-9_-]{43}$/.test(token) ? await findSession(db, token) : undefined;
    if (!token || !found) {
      if (token) reply.header('set-cookie', clearedCookie(settings));
      throw unauthorized();
    }
    request.caller = {
      businessId: found.businessid,
      clientId: `user:${found.userid}`,
      plan: found.plan,
      ratelimits: null,
    };
    request.staff = {
      userId: found.userid,
      email: found.email,
      name: found.name,
      businessName: found.businessname,
      token,
    };
    if (!UNSAFE.has(request.method)) return;
    requireSameOrigin(request);
    const sent = request.headers[CSRF_HEADER];
    const expected = Buffer.from(csrfToken(token));
    if (typeof sent !== 'string' || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), expected)) {
      throw forbidden('Missing or wrong CSRF token; reload the page');
    }
  };
}
