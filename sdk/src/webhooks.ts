// Checks a webhook's signature with Web Crypto (Node 20+, browsers, edge runtimes): Standard Webhooks v1 when its
// headers are there, else Cashfin's x-cashfin-signature. Throws on any mismatch; returns the parsed event.

/** A delivered event (CONTRACT.md section 3). */
export interface WebhookEvent {
  id: string;
  type: string;
  createdat: string;
  businessid: string;
  data: Record<string, unknown>;
  /** The old values of the fields an update changed. */
  previous?: Record<string, unknown>;
}

export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far webhook-timestamp may be from now (default 300 s), against replays. */
  toleranceSeconds?: number;
  /** The time to check against (default now). */
  now?: Date;
}

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

const encoder = new TextEncoder();

export async function verifyWebhook(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: HeadersLike,
  secret: string,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : new Uint8Array(rawBody);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  const cashfin = header(headers, 'x-cashfin-signature');

  if (id !== undefined || timestamp !== undefined || signatures !== undefined) {
    if (!id || !timestamp || !signatures)
      throw fail('webhook-id, webhook-timestamp and webhook-signature are all needed');
    if (!/^\d+$/.test(timestamp)) throw fail('webhook-timestamp is not a number of seconds');
    const now = Math.floor((options.now?.getTime() ?? Date.now()) / 1000);
    if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300))
      throw fail('webhook-timestamp is too far from now');
    const key = base64Decode(secret.startsWith('whsec_') ? secret.slice(6) : secret);
    const expected = base64Encode(await hmac(key, concat(encoder.encode(`${id}.${timestamp}.`), body)));
    const matched = signatures
      .split(' ')
      .some((entry) => entry.startsWith('v1,') && constantTimeEqual(entry.slice(3), expected));
    if (!matched) throw fail('No webhook-signature matches the body');
  } else if (cashfin !== undefined) {
    const expected = hex(await hmac(encoder.encode(secret), body));
    if (!constantTimeEqual(cashfin.trim().toLowerCase(), expected))
      throw fail('x-cashfin-signature does not match the body');
  } else {
    throw fail('No signature header (webhook-signature or x-cashfin-signature)');
  }

  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch {
    throw fail('The body is not JSON');
  }
}

function fail(message: string) {
  return new WebhookVerificationError(message);
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

async function hmac(key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const cryptoKey = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey, data));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function base64Decode(text: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw fail('The secret is not base64 after whsec_');
  }
}

function base64Encode(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
