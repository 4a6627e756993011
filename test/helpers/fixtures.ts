// Fixtures for the read-only resources (written by the dashboard through the stores) and shared list checks.
import assert from 'node:assert/strict';
import { type CustomerCreate, Mteja } from '../../sdk/src/index.js';
import { AppError } from '../../src/http/errors.js';
import type { AppointmentCreate } from '../../src/modules/appointment/appointment.schema.js';
import type { BookingCreate } from '../../src/modules/booking/booking.schema.js';
import type { ContractCreate } from '../../src/modules/contract/contract.schema.js';
import type { QuoteCreate } from '../../src/modules/quote/quote.schema.js';
import { customerBody, type TestServer } from './server.js';

/** A well-formed id that no record has. */
export const UNKNOWN_ID = '507f1f77bcf86cd799439011';

export const UNAUTHORIZED = { success: false, error: 'Unauthorized access!', message: 'Unauthorized access!' };

export interface CustomerRecord {
  _id: string;
  name: string;
  email: string;
  [field: string]: unknown;
}

/** A customer made over HTTP by the client users get (sdk/), so the two cannot drift. */
export async function makeCustomer(
  server: TestServer,
  secret = server.secret,
  overrides: Partial<CustomerCreate> = {},
): Promise<CustomerRecord> {
  return new Mteja({ secret, baseUrl: server.url }).customers.create(customerBody(overrides));
}

export function quoteInput(overrides: Partial<QuoteCreate> = {}): QuoteCreate {
  return {
    title: 'Website redesign',
    items: [{ title: 'Design', quantity: 1, rate: 100 }],
    currency: 'KES',
    ...overrides,
  };
}

export function contractInput(overrides: Partial<ContractCreate> = {}): ContractCreate {
  return { title: 'Maintenance agreement', value: 12000, currency: 'KES', ...overrides };
}

export function appointmentInput(overrides: Partial<AppointmentCreate> = {}): AppointmentCreate {
  return {
    title: 'Discovery call',
    category: 'video_call',
    duration: 30,
    currency: 'KES',
    timezone: 'Africa/Nairobi',
    availability: [{ day: 'monday', start: '09:00', end: '17:00' }],
    ...overrides,
  };
}

export function bookingInput(overrides: Partial<BookingCreate> = {}): BookingCreate {
  return {
    title: 'Kick-off meeting',
    type: 'meeting',
    starttime: '2030-01-15T10:00:00.000Z',
    endtime: '2030-01-15T11:00:00.000Z',
    ...overrides,
  };
}

/** `meta` less its extension `nextcursor`: the pagination object, as `pagination` carries it. */
export function withoutCursor({ nextcursor: _, ...pagination }: Record<string, unknown>) {
  return pagination;
}

/** GET a list path (with query string) as `secret`, expecting 200; returns the body. */
export async function getList(server: TestServer, path: string, secret = server.secret) {
  const res = await server.request('GET', path, { secret });
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  assert.equal(res.body.success, true);
  assert.deepEqual(withoutCursor(res.body.meta), res.body.pagination, 'meta carries the same pagination');
  assert.ok(res.body.meta.nextcursor === null || typeof res.body.meta.nextcursor === 'string', 'meta.nextcursor');
  return res.body as {
    success: true;
    data: Array<Record<string, any>>;
    pagination: Record<string, number>;
    meta: Record<string, number>;
  };
}

/** The ids a list query returns, in order. */
export async function listIds(
  server: TestServer,
  resource: string,
  query: string,
  secret = server.secret,
): Promise<string[]> {
  return (await getList(server, `/business/${resource}/list?${query}`, secret)).data.map((r) => r._id);
}

/**
 * The list envelope and its paging edges, for a business whose `resource` list holds exactly `newestFirst`
 * (at least 3 records, at most 10): default page, two pages of 2, limit clamped, limit 1, a page past the end.
 */
export async function checkPaging(server: TestServer, resource: string, secret: string, newestFirst: string[]) {
  const n = newestFirst.length;
  const base = `/business/${resource}/list`;
  const all = await getList(server, base, secret);
  assert.deepEqual(all.pagination, { total: n, page: 1, limit: 10, pages: 1 });
  assert.deepEqual(all.meta, { total: n, page: 1, limit: 10, pages: 1, nextcursor: null });
  assert.deepEqual(
    all.data.map((r) => r._id),
    newestFirst,
    'newest first',
  );
  assert.deepEqual(Object.keys(all).sort(), ['data', 'meta', 'pagination', 'success']);

  const first = await getList(server, `${base}?page=1&limit=2`, secret);
  assert.deepEqual(first.pagination, { total: n, page: 1, limit: 2, pages: Math.ceil(n / 2) });
  assert.deepEqual(
    first.data.map((r) => r._id),
    newestFirst.slice(0, 2),
  );
  const second = await getList(server, `${base}?page=2&limit=2`, secret);
  assert.deepEqual(
    second.data.map((r) => r._id),
    newestFirst.slice(2, 4),
  );

  const clamped = await getList(server, `${base}?limit=500`, secret);
  assert.deepEqual(clamped.pagination, { total: n, page: 1, limit: 100, pages: 1 });
  assert.equal(clamped.data.length, n);

  const last = await getList(server, `${base}?limit=1&page=${n}`, secret);
  assert.deepEqual(
    last.data.map((r) => r._id),
    [newestFirst[n - 1]],
  );
  assert.deepEqual(last.pagination, { total: n, page: n, limit: 1, pages: n });

  const past = await getList(server, `${base}?page=99`, secret);
  assert.deepEqual(past.data, []);
  assert.deepEqual(past.pagination, { total: n, page: 99, limit: 10, pages: 1 });

  const bad = await server.request('GET', `${base}?limit=0`, { secret });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.success, false);
  assert.equal(bad.body.errors.limit, 'Limit must be a positive integer');
}

/** 400 for a query value outside its rules, naming the field and what is allowed. */
export async function checkQueryRejected(
  server: TestServer,
  path: string,
  errors: Record<string, string>,
  secret = server.secret,
) {
  const res = await server.request('GET', path, { secret });
  assert.equal(res.status, 400, `${path}: ${res.text}`);
  assert.equal(res.body.success, false);
  assert.equal(typeof res.body.error, 'string');
  assert.deepEqual(res.body.errors, errors, path);
}

/** Details: 400 for a malformed id, 404 for a well-formed unknown one, in the contract's wording. */
export async function checkDetailsErrors(server: TestServer, resource: string, label: string) {
  for (const bad of ['not-an-id', '507f1f77bcf86cd79943901', '507f1f77bcf86cd79943901z']) {
    const res = await server.request('GET', `/business/${resource}/details/${bad}`);
    assert.equal(res.status, 400, bad);
    assert.deepEqual(res.body, { success: false, error: `Invalid ${resource} ID format` });
  }
  const missing = await server.request('GET', `/business/${resource}/details/${UNKNOWN_ID}`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { success: false, error: `${label} not found` });
}

/** A read-only resource has no create or update route: 404 in the error envelope. */
export async function checkNoWriteRoutes(server: TestServer, resource: string, existingId: string) {
  const create = await server.request('POST', `/business/${resource}/create`, { body: { title: 'Sneaky' } });
  assert.equal(create.status, 404);
  assert.equal(create.body.success, false);
  assert.equal(typeof create.body.error, 'string');
  assert.ok(
    Object.keys(create.body).every((k) => ['success', 'error', 'errors', 'message'].includes(k)),
    create.text,
  );
  const update = await server.request('PATCH', `/business/${resource}/update/${existingId}`, {
    body: { title: 'Sneaky' },
  });
  assert.equal(update.status, 404);
  assert.equal(update.body.success, false);
  const after = await server.request('GET', `/business/${resource}/details/${existingId}`);
  assert.notEqual(after.body.data.title, 'Sneaky');
}

/** Asserts that a store call fails with the contract's 400 naming exactly `fields`. */
export async function rejects400(promise: Promise<unknown>, fields: string[]) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.status, 400);
    assert.deepEqual(Object.keys(error.errors ?? {}), fields);
    return true;
  });
}
