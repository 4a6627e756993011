// The client of /dashboard/api: JSON both ways, the session's CSRF token on every change, failures as ApiError.
import type { Pagination } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The envelope's brief, e.g. "There are problems with your submission". */
    readonly error: string,
    /** Field -> message, exactly as the public API words them. */
    readonly errors: Record<string, string> = {},
    readonly detail?: string,
  ) {
    super(detail ?? error);
  }
}

let csrfToken = '';
let sessionLost: () => void = () => {};

export function setCsrfToken(token: string) {
  csrfToken = token;
}

/** Called when a request finds the session gone (expired, or signed out elsewhere). */
export function onSessionLost(handler: () => void) {
  sessionLost = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/dashboard/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Network error', {}, 'The server could not be reached. Check the connection and try again.');
  }
  const json = await response.json().catch(() => undefined);
  if (!response.ok || !json || json.success !== true) {
    if (response.status === 401 && path !== '/session') sessionLost();
    throw new ApiError(
      response.status,
      json?.error ?? `Request failed (${response.status})`,
      json?.errors ?? {},
      json?.message,
    );
  }
  return json as T;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

/** The same paths as the public API (`/customer/list`, `/quote/update/:id`…), under /dashboard/api. */
export const api = {
  list: <T>(resource: string, query: Query = {}) => request<Page<T>>('GET', `/${resource}/list${queryString(query)}`),
  details: <T>(resource: string, id: string) =>
    request<{ data: T }>('GET', `/${resource}/details/${id}`).then((r) => r.data),
  create: <T>(resource: string, body: unknown) =>
    request<{ data: T }>('POST', `/${resource}/create`, body).then((r) => r.data),
  update: (resource: string, id: string, body: unknown) =>
    request<{ data: { _id: string; modified: number } }>('PATCH', `/${resource}/update/${id}`, body),
  get: <T>(path: string, query: Query = {}) =>
    request<{ data: T }>('GET', `${path}${queryString(query)}`).then((r) => r.data),
  post: <T>(path: string, body: unknown = {}) =>
    request<{ data: T; message?: string }>('POST', path, body).then((r) => r.data),
};

/** Every record of a list (pages of 100), for views that show a whole range at once, such as a week. */
export async function listAll<T>(resource: string, query: Query, cap = 1000): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const { data, pagination } = await api.list<T>(resource, { ...query, page, limit: 100 });
    out.push(...data);
    if (page >= pagination.pages || out.length >= cap) return out;
  }
}
