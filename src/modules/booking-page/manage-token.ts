// Manage links: {business id}.{booking id}.{HMAC-SHA256, hex, of both under the business's booking secret}. Unguessable,
// no account, and the same on every node: the secret lives in the businesses row, made on first use.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../db/engine.js';

const ID = /^[0-9a-f]{24}$/;

async function secretOf(db: Queryable, businessId: string): Promise<string | undefined> {
  const row = await db.selectFrom('businesses').select('bookingsecret').where('id', '=', businessId).executeTakeFirst();
  if (!row) return undefined;
  if (row.bookingsecret) return row.bookingsecret;
  // Two first uses at once both write; only the first lands, and both read it back.
  await db
    .updateTable('businesses')
    .set({ bookingsecret: randomBytes(32).toString('base64url') })
    .where('id', '=', businessId)
    .where('bookingsecret', 'is', null)
    .execute();
  return (await secretOf(db, businessId)) ?? undefined;
}

const sign = (secret: string, businessId: string, bookingId: string) =>
  createHmac('sha256', secret).update(`${businessId}:${bookingId}`).digest('hex');

export async function manageToken(db: Queryable, businessId: string, bookingId: string): Promise<string> {
  const secret = await secretOf(db, businessId);
  return `${businessId}.${bookingId}.${sign(secret!, businessId, bookingId)}`;
}

/** The business and booking a token names, or undefined when it is malformed or its signature is wrong. */
export async function readManageToken(db: Queryable, token: string) {
  const [businessId, bookingId, signature, extra] = token.split('.');
  if (extra !== undefined || !ID.test(businessId ?? '') || !ID.test(bookingId ?? '') || !signature) return undefined;
  const row = await db.selectFrom('businesses').select('bookingsecret').where('id', '=', businessId).executeTakeFirst();
  if (!row?.bookingsecret) return undefined;
  const expected = Buffer.from(sign(row.bookingsecret, businessId, bookingId));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { businessId, bookingId };
}
