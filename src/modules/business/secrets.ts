// Client secrets: `cs_` (or `pk_` for a publishable key) + 32 random bytes in base62, shown once; only the SHA-256 hash is kept.
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 bytes (256 bits) need 43 base62 digits. */
const DIGITS = 43;

/** A new client secret: `cs_` (or `pk_`) and 43 base62 characters holding 32 random bytes. */
export function newClientSecret(prefix: 'cs_' | 'pk_' = 'cs_'): string {
  let n = BigInt(`0x${randomBytes(32).toString('hex')}`);
  let out = '';
  for (let i = 0; i < DIGITS; i++) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return `${prefix}${out}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Cheap shape check before any lookup: `cs_` or `pk_` and base62 characters. */
export function looksLikeSecret(value: string): boolean {
  return /^(cs|pk)_[0-9A-Za-z]{20,100}$/.test(value);
}

/** What listings show instead of a secret: its prefix and its last 4 characters. */
export function maskSecret(prefix: string, last4: string): string {
  return `${prefix}…${last4}`;
}
