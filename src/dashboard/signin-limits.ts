// Sign-in limits: failed attempts are counted per address and per email over a window, in the database, so every node counts them.
import type { Queryable } from '../db/engine.js';
import { AppError } from '../http/errors.js';

export const WINDOW_MS = 15 * 60_000;
/** Failures per email within the window: guessing one account's password. */
export const PER_EMAIL = 5;
/** Failures per address within the window: trying many accounts from one place. */
export const PER_ADDRESS = 20;

const keys = (ip: string, email: string) => ({ ip: `ip:${ip}`, email: `email:${email.trim().toLowerCase()}` });

async function failuresSince(db: Queryable, key: string, since: string) {
  const rows = await db
    .selectFrom('signin_attempts')
    .select(['attemptedat'])
    .where('key', '=', key)
    .where('attemptedat', '>', since)
    .orderBy('attemptedat')
    .execute();
  return rows.map((r) => r.attemptedat);
}

const tooMany = (retryAfter: number) =>
  new AppError(
    429,
    'Too many sign-in attempts',
    undefined,
    `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minute${retryAfter > 60 ? 's' : ''}.`,
    { body: { retry_after: retryAfter }, headers: { 'retry-after': String(retryAfter) } },
  );

/** Throws 429 when the address or the email has used up its failures; checked before the password, so a right guess past the limit is refused too. */
export async function checkSigninAllowed(db: Queryable, ip: string, email: string, at = Date.now()) {
  const since = new Date(at - WINDOW_MS).toISOString();
  const k = keys(ip, email);
  for (const [key, limit] of [
    [k.ip, PER_ADDRESS],
    [k.email, PER_EMAIL],
  ] as const) {
    const failures = await failuresSince(db, key, since);
    if (failures.length >= limit) {
      // Free again when the oldest failure that counts leaves the window.
      const oldest = Date.parse(failures[failures.length - limit]);
      throw tooMany(Math.max(1, Math.ceil((oldest + WINDOW_MS - at) / 1000)));
    }
  }
}

export async function recordFailure(db: Queryable, ip: string, email: string, at = new Date()) {
  const k = keys(ip, email);
  const attemptedat = at.toISOString();
  await db
    .insertInto('signin_attempts')
    .values([
      { key: k.ip, attemptedat },
      { key: k.email, attemptedat },
    ])
    .execute();
}

/** A right password clears the email's failures (not the address's: one success must not reopen a guessing address). */
export async function clearEmailFailures(db: Queryable, email: string) {
  await db.deleteFrom('signin_attempts').where('key', '=', keys('', email).email).execute();
}

export async function deleteOldAttempts(db: Queryable, at = Date.now()) {
  await db
    .deleteFrom('signin_attempts')
    .where('attemptedat', '<=', new Date(at - WINDOW_MS).toISOString())
    .execute();
}
