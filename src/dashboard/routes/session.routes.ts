// Sign-in, the current session, and sign-out. Sign-in is the one dashboard route reachable without a session.
import { Type } from 'typebox';
import type { Queryable } from '../../db/engine.js';
import type { Api } from '../../http/deps.js';
import { done, ok } from '../../http/envelope.js';
import { AppError } from '../../http/errors.js';
import {
  type CookieSettings,
  clearedCookie,
  cookieName,
  csrfToken,
  readCookie,
  requireSameOrigin,
  type Staff,
  sessionCookie,
} from '../auth.js';
import { decoyHash, verifyPassword } from '../passwords.js';
import { attemptSucceeded, beginAttempt } from '../signin-limits.js';
import { createSession, endSession, findUserByEmail } from '../users.store.js';

const SignIn = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

const wrongCredentials = () =>
  new AppError(401, 'Email or password is incorrect', undefined, 'Check the email and password and try again.');

/** What the dashboard knows about who is signed in, and the token its unsafe requests must carry. */
const sessionView = (staff: Omit<Staff, 'token'>, businessId: string, token: string) => ({
  user: { _id: staff.userId, email: staff.email, name: staff.name },
  business: { _id: businessId, name: staff.businessName },
  csrftoken: csrfToken(token),
});

/** Sign-in; mounted outside the session hook. */
export function signInRoute(app: Api, db: Queryable, settings: CookieSettings) {
  app.post('/session', { schema: { body: SignIn } }, async (request, reply) => {
    requireSameOrigin(request);
    const { email, password } = request.body;
    // Counted before the (slow) password check, so attempts sent together cannot all reach it.
    const attempt = await beginAttempt(db, request.ip, email);
    const user = await findUserByEmail(db, email);
    const matches = await verifyPassword(password, user?.passwordhash ?? (await decoyHash()));
    if (!user || !matches || user.active !== 1) throw wrongCredentials();
    await attemptSucceeded(db, attempt);
    // A new id at every sign-in: a session id planted before sign-in is worth nothing after it.
    const previous = readCookie(request, cookieName(settings));
    if (previous) await endSession(db, previous);
    const { token } = await createSession(db, user);
    const business = await db
      .selectFrom('businesses')
      .select('name')
      .where('id', '=', user.businessid)
      .executeTakeFirstOrThrow();
    reply.header('set-cookie', sessionCookie(settings, token));
    return done(
      'Signed in',
      sessionView(
        { userId: user.id, email: user.email, name: user.name, businessName: business.name },
        user.businessid,
        token,
      ),
    );
  });
}

/** The current session and sign-out; mounted behind `requireSession`. */
export function sessionRoutes(app: Api, db: Queryable, settings: CookieSettings) {
  app.get('/session', async (request) =>
    ok(sessionView(request.staff, request.caller.businessId, request.staff.token)),
  );

  app.delete('/session', async (request, reply) => {
    await endSession(db, request.staff.token);
    reply.header('set-cookie', clearedCookie(settings));
    return done('Signed out', null);
  });
}
