// Dashboard sessions for tests over HTTP: a staff user, signed in, whose requests carry the cookie and CSRF token.
import { randomBytes } from 'node:crypto';
import { createUser } from '../../src/dashboard/users.store.js';
import type { Reply, TestServer } from '../helpers/server.js';

export interface StaffSession {
  email: string;
  password: string;
  /** `mteja_session=<token>` as a Cookie header. */
  cookie: string;
  token: string;
  csrf: string;
  /** A request to /dashboard/api<path> as this user; the CSRF token rides on every unsafe method. */
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
}

/** A request to /dashboard/api<path> through the harness, without the client secret it sends by default. */
export function dashboardRequest(
  server: TestServer,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return server.request(method, `/dashboard/api${path}`, { ...options, secret: null });
}

export async function signIn(server: TestServer, email: string, password: string): Promise<StaffSession> {
  const res = await dashboardRequest(server, 'POST', '/session', { body: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const token = /mteja_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
  const cookie = `mteja_session=${token}`;
  const csrf = res.body.data.csrftoken as string;
  return {
    email,
    password,
    cookie,
    token,
    csrf,
    request: (method, path, body, headers = {}) =>
      dashboardRequest(server, method, path, {
        body,
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...headers },
      }),
  };
}

/** A new staff user of `businessId`, signed in. */
export async function staffOf(server: TestServer, businessId: string, name = 'Staff'): Promise<StaffSession> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(4).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await createUser(server.db, businessId, { email, name, password });
  return signIn(server, email, password);
}
