// Sends one call and retries it as Stripe's client does: 429 waits Retry-After; 502, 503, 504, timeouts and
// connection errors back off exponentially with jitter; every POST carries one Idempotency-Key for all its tries.
import { errorFromAnswer, MtejaError } from './errors.js';

export interface MtejaOptions {
  /** The client secret (`cs_…`), sent as the raw Authorization header the Cashfin API expects. */
  secret: string;
  /** e.g. `http://127.0.0.1:3000`, or `https://api.cashfin.africa`. */
  baseUrl: string;
  /** Retries after a 502/503/504, a timeout or a connection error (default 3). 429s are bounded by time instead. */
  maxRetries?: number;
  /** How long one try may take before it is abandoned and retried (default 30 000 ms). */
  timeoutMs?: number;
  /**
   * How long one call may spend waiting out 429s in all (default 60 000 ms). A Retry-After that would pass it
   * fails the call at once with the 429, instead of sleeping through a daily window.
   */
  maxRateLimitWaitMs?: number;
  /** The fetch to use (default the global one): a proxy agent, a test's wrapper. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  /** Abandons the call, its retries included. */
  signal?: AbortSignal;
  /** POST only: your own key instead of a random one, e.g. to make an import safe to run twice. */
  idempotencyKey?: string;
}

export interface Call extends CallOptions {
  query?: Record<string, unknown>;
  body?: unknown;
}

/** Backoff after the nth failure (from 1): 0.5 s doubling to at most 5 s, with the upper half jittered. */
export function backoffMs(failures: number): number {
  const ceiling = Math.min(500 * 2 ** (failures - 1), 5_000);
  return Math.max(500, ceiling * (0.5 + Math.random() / 2));
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 section 10.2.3); undefined when absent. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const RETRIED = new Set([502, 503, 504]);
/** The server is still running the first try of this key (a try that timed out here): wait, then ask again. */
const KEY_IN_PROGRESS = /still in progress/i;

export class Http {
  readonly baseUrl: string;
  private readonly secret: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: MtejaOptions) {
    if (!options?.secret) throw new TypeError('Mteja: `secret` is required');
    if (!options.baseUrl) throw new TypeError('Mteja: `baseUrl` is required');
    this.secret = options.secret;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.maxRetries = options.maxRetries ?? 3;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The parsed body of a 2xx answer; anything else throws MtejaError. */
  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, call: Call = {}): Promise<T> {
    const url = this.baseUrl + path + queryString(call.query);
    const headers: Record<string, string> = { authorization: this.secret, accept: 'application/json' };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    if (method === 'POST') headers['idempotency-key'] = call.idempotencyKey ?? randomKey();

    let failures = 0;
    let rateLimitWaitMs = 0;
    for (;;) {
      let response: Response;
      let text: string;
      try {
        const signal = call.signal
          ? AbortSignal.any([call.signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs);
        response = await this.fetch(url, { method, headers, body, signal });
        text = await response.text();
      } catch (error) {
        if (call.signal?.aborted) throw error;
        if (failures < this.maxRetries) {
          await sleep(backoffMs(++failures), call.signal);
          continue;
        }
        throw new MtejaError({
          status: 0,
          message: isTimeout(error)
            ? `No answer from ${this.baseUrl} within ${this.timeoutMs} ms`
            : `Could not reach ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
      }

      const parsed = parse(text);
      if (response.ok) {
        if (typeof parsed === 'object' && parsed !== null) return parsed as T;
        // A page, not the API: a wrong baseUrl, or a proxy's own answer.
        throw new MtejaError({
          status: response.status,
          message: `The answer from ${url} is not JSON`,
          requestId: response.headers.get('x-request-id') ?? undefined,
          body: parsed,
        });
      }

      if (response.status === 429) {
        // A little jitter, so the callers a window turned away do not all come back in the same millisecond.
        const pause = (retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(1)) + Math.random() * 250;
        if (rateLimitWaitMs + pause <= this.maxRateLimitWaitMs) {
          rateLimitWaitMs += pause;
          await sleep(pause, call.signal);
          continue;
        }
      } else if (failures < this.maxRetries && (RETRIED.has(response.status) || inProgress(response.status, parsed))) {
        await sleep(backoffMs(++failures), call.signal);
        continue;
      }
      throw errorFromAnswer(response.status, parsed, response.headers);
    }
  }
}

function inProgress(status: number, body: unknown): boolean {
  return status === 409 && KEY_IN_PROGRESS.test(String((body as { error?: unknown } | undefined)?.error ?? ''));
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search.append(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function randomKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // randomUUID needs a secure context in browsers; 128 random bits do the same job.
  return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
