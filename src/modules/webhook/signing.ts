// Signatures of a webhook request: Cashfin's x-cashfin-signature and the Standard Webhooks headers.
import { createHmac } from 'node:crypto';

/** The bytes a Standard Webhooks secret stands for: the base64 after `whsec_`. */
const keyOf = (secret: string) => Buffer.from(secret.slice(secret.startsWith('whsec_') ? 6 : 0), 'base64');

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with the secret's bytes (Standard Webhooks). */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Cashfin's scheme: hex HMAC-SHA256 of the raw body, keyed with the secret string as it is. */
export function cashfinSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * The signature headers of one attempt. During a rotation's overlap both secrets sign `webhook-signature`
 * (space-separated, the new one first), and `x-cashfin-signature`, which holds one value, uses the new secret.
 */
export function signatureHeaders(
  secrets: readonly string[],
  id: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'x-cashfin-signature': cashfinSignature(secrets[0], body),
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => standardSignature(secret, id, timestamp, body)).join(' '),
  };
}
