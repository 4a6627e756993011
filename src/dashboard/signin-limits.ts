// Sign-in limits: attempts are counted per address and per email over a window, in the database, so every node counts
// them. An attempt is recorded before its password is checked, in one transaction that also decides whether it may
// go on, so attempts sent together are counted one after another and none of them slips past the limit.
import { sql } from 'kysely';
import { engineOf, inTransaction, type Queryable } from '../db/engine.js';
import { newId } from '../db/ids.js';
import { AppError } from '../http/errors.js';

export const WINDOW_MS = 15 * 60_000;
/** Failures per email within the window: guessing one account's password. */
export const PER_EMAIL = 5;
/** Failures per address within the window: trying many accounts from one place. */
export const PER_ADDRESS = 20;

const keys = (ip: string, email: string) => ({ ip: `ip:${ip}`, email: `email:${email.trim().toLowerCase()}` });

/** An attempt on its way to the password check. */
export interface Attempt {
  readonly id: string;
  readonly ip: string;
  readonly email: string;
}

async function attemptsSince(db: Queryable, key: string, since: string) {
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

/**
 * Records an attempt for the address and the email, or throws 429 when either has used up its attempts: checked
 * before the password, so a right guess past the limit is refused too, and an attempt counts as a failure until its
 * password proves right. Counting and recording are one transaction, one at a time per key: on PostgreSQL under
 * advisory locks on both keys (taken in one order, the email's first), on SQLite under its single writer.
 */
export async function beginAttempt(db: Queryable, ip: string, email: string, at = Date.now()): Promise<Attempt> {
  const since = new Date(at - WINDOW_MS).toISOString();
  const k = keys(ip, email);
  const attempt = { id: newId(), ip, email };
  await inTransaction(db, async (trx) => {
    if (engineOf(trx) === 'postgres')
      for (const key of [k.email, k.ip])
        await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
    for (const [key, limit] of [
      [k.ip, PER_ADDRESS],
      [k.email, PER_EMAIL],
    ] as const) {
      const attempts = await attemptsSince(trx, key, since);
      if (attempts.length >= limit) {
        // Free again when the oldest attempt that counts leaves the window.
        const oldest = Date.parse(attempts[attempts.length - limit]);
        throw tooMany(Math.max(1, Math.ceil((oldest + WINDOW_MS - at) / 1000)));
      }
    }
    const attemptedat = new Date(at).toISOString();
    await trx
      .insertInto('signin_attempts')
      .values([
        { key: k.ip, attemptedat, attemptid: attempt.id },
        { key: k.email, attemptedat, attemptid: attempt.id },
      ])
      .execute();
  });
  return attempt;
}

/**
 * A right password: the attempt was no failure, and the email's failures are forgotten (not the address's: one
 * success must not reopen a guessing address). A wrong one needs nothing: its attempt stays, counted.
 */
export async function attemptSucceeded(db: Queryable, attempt: Attempt) {
  const k = keys(attempt.ip, attempt.email);
  await db
    .deleteFrom('signin_attempts')
    .where('key', 'in', [k.ip, k.email])
    .where((eb) => eb.or([eb('key', '=', k.email), eb('attemptid', '=', attempt.id)]))
    .execute();
}

export async function deleteOldAttempts(db: Queryable, at = Date.now()) {
  await db
    .deleteFrom('signin_attempts')
    .where('attemptedat', '<=', new Date(at - WINDOW_MS).toISOString())
    .execute();
}
