// Staff users and their sessions: a user belongs to one business; a session's id is random and only its hash is kept.
import { createHash, randomBytes } from 'node:crypto';
import { type Static, Type } from 'typebox';
import type { Queryable } from '../db/engine.js';
import { mapUniqueViolation } from '../db/errors.js';
import { newId, now } from '../db/ids.js';
import type { UserTable } from '../db/schema.js';
import { conflict } from '../http/errors.js';
import { hashPassword } from './passwords.js';

export const PASSWORD_MIN = 10;

export const UserCreate = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.String({
      minLength: PASSWORD_MIN,
      maxLength: 200,
      'x-error': `Password must be ${PASSWORD_MIN} to 200 characters`,
    }),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

/** What the dashboard and the CLI show of a user: never the hash. */
export interface User {
  _id: string;
  businessid: string;
  email: string;
  name: string | null;
  active: boolean;
  lastsigninat: string | null;
  createdat: string;
}

export const toUser = (row: UserTable): User => ({
  _id: row.id,
  businessid: row.businessid,
  email: row.email,
  name: row.name,
  active: row.active === 1,
  lastsigninat: row.lastsigninat,
  createdat: row.createdat,
});

export async function createUser(db: Queryable, businessId: string, input: UserCreate): Promise<User> {
  const at = now();
  const row: UserTable = {
    businessid: businessId,
    id: newId(),
    email: input.email,
    emailkey: input.email.toLowerCase(),
    name: input.name?.trim() || null,
    passwordhash: await hashPassword(input.password),
    active: 1,
    lastsigninat: null,
    createdat: at,
    updatedat: at,
  };
  await mapUniqueViolation(
    () => db.insertInto('users').values(row).execute(),
    () => conflict('A user with this email already exists'),
  );
  return toUser(row);
}

export async function listUsers(db: Queryable, businessId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('businessid', '=', businessId)
    .orderBy('createdat')
    .execute();
  return rows.map(toUser);
}

/** The user an email signs in as, whatever the business (emails are unique across the installation). */
export function findUserByEmail(db: Queryable, email: string) {
  return db.selectFrom('users').selectAll().where('emailkey', '=', email.trim().toLowerCase()).executeTakeFirst();
}

/** Sets a new password and ends every session of the user; false when no user has that email. */
export async function setPassword(db: Queryable, email: string, password: string): Promise<boolean> {
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  await db
    .updateTable('users')
    .set({ passwordhash: await hashPassword(password), updatedat: now() })
    .where('businessid', '=', user.businessid)
    .where('id', '=', user.id)
    .execute();
  await db.deleteFrom('sessions').where('businessid', '=', user.businessid).where('userid', '=', user.id).execute();
  return true;
}

/** Lets a user sign in again, or stops them (ending their sessions at once); false when no user has that email. */
export async function setActive(db: Queryable, email: string, active: boolean): Promise<boolean> {
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  await db
    .updateTable('users')
    .set({ active: active ? 1 : 0, updatedat: now() })
    .where('businessid', '=', user.businessid)
    .where('id', '=', user.id)
    .execute();
  if (!active)
    await db.deleteFrom('sessions').where('businessid', '=', user.businessid).where('userid', '=', user.id).execute();
  return true;
}

// ---- sessions ----

/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** ...and in any case this long after sign-in. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** lastseenat is written at most this often, so that reads do not all become writes. */
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Starts a session: returns the token for the cookie (256 random bits), which is stored nowhere. */
export async function createSession(db: Queryable, user: Pick<UserTable, 'businessid' | 'id'>, at = new Date()) {
  const token = randomBytes(32).toString('base64url');
  const expiresat = new Date(at.getTime() + SESSION_MAX_MS).toISOString();
  await db
    .insertInto('sessions')
    .values({
      idhash: hashToken(token),
      businessid: user.businessid,
      userid: user.id,
      createdat: at.toISOString(),
      lastseenat: at.toISOString(),
      expiresat,
    })
    .execute();
  await db
    .updateTable('users')
    .set({ lastsigninat: at.toISOString() })
    .where('businessid', '=', user.businessid)
    .where('id', '=', user.id)
    .execute();
  return { token, expiresat };
}

/** The signed-in user and business behind a cookie token, or undefined when unknown, idle too long, expired or disabled. */
export async function findSession(db: Queryable, token: string, at = new Date()) {
  const idhash = hashToken(token);
  const found = await db
    .selectFrom('sessions')
    .innerJoin('users', (join) =>
      join.onRef('users.businessid', '=', 'sessions.businessid').onRef('users.id', '=', 'sessions.userid'),
    )
    .innerJoin('businesses', 'businesses.id', 'sessions.businessid')
    .select([
      'sessions.idhash',
      'sessions.lastseenat',
      'sessions.expiresat',
      'users.businessid',
      'users.id as userid',
      'users.email',
      'users.name',
      'users.active',
      'businesses.name as businessname',
      'businesses.plan',
    ])
    .where('sessions.idhash', '=', idhash)
    .executeTakeFirst();
  if (!found) return undefined;
  const idleSince = Date.parse(found.lastseenat);
  if (
    found.active !== 1 ||
    Date.parse(found.expiresat) <= at.getTime() ||
    idleSince + SESSION_IDLE_MS <= at.getTime()
  ) {
    await endSession(db, token);
    return undefined;
  }
  if (at.getTime() - idleSince >= TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ lastseenat: at.toISOString() }).where('idhash', '=', idhash).execute();
  }
  return found;
}

export async function endSession(db: Queryable, token: string) {
  await db.deleteFrom('sessions').where('idhash', '=', hashToken(token)).execute();
}

/** Deletes sessions past their absolute or idle expiry. */
export async function deleteExpiredSessions(db: Queryable, at = new Date()) {
  await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expiresat', '<=', at.toISOString()),
        eb('lastseenat', '<=', new Date(at.getTime() - SESSION_IDLE_MS).toISOString()),
      ]),
    )
    .execute();
}
