// The dashboard's security over HTTP, on every engine: no session is 401, a missing or wrong CSRF token is 403,
// another business's record is 404, sign-in attempts are limited (also when sent together), sessions are hashed, expire and end.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PER_ADDRESS, PER_EMAIL } from '../src/dashboard/signin-limits.js';
import { createUser } from '../src/dashboard/users.store.js';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { createBooking } from '../src/modules/booking/booking.store.js';
import { createContract } from '../src/modules/contract/contract.store.js';
import { createQuote } from '../src/modules/quote/quote.store.js';
import { dashboardRequest, type StaffSession, signIn, staffOf } from './e2e/session.js';
import {
  appointmentInput,
  bookingInput,
  contractInput,
  makeCustomer,
  quoteInput,
  UNKNOWN_ID,
} from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

/** Every dashboard API route but sign-in, with a well-formed id where it takes one. */
const ROUTES: [string, string][] = [
  ['GET', '/session'],
  ['DELETE', '/session'],
  ['GET', '/overview'],
  ['GET', '/meta'],
  ...['customer', 'lead', 'contact', 'quote', 'contract', 'appointment', 'booking'].flatMap((r): [string, string][] => [
    ['GET', `/${r}/list`],
    ['GET', `/${r}/details/${UNKNOWN_ID}`],
    ['POST', `/${r}/create`],
    ['PATCH', `/${r}/update/${UNKNOWN_ID}`],
  ]),
  ['POST', `/lead/convert/${UNKNOWN_ID}`],
  ['POST', '/quote/price'],
  ['GET', '/booking/agenda'],
  ['GET', `/booking/slots?appointmentid=${UNKNOWN_ID}&date=2030-01-07`],
  ['GET', '/credential/list'],
  ['POST', '/credential/create'],
  ['PATCH', `/credential/update/${UNKNOWN_ID}`],
  ['POST', `/credential/revoke/${UNKNOWN_ID}`],
];
const UNSAFE = ROUTES.filter(([method]) => method !== 'GET');
/** The token with its last character changed (to one it certainly is not). */
const tampered = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'];

for (const engine of engines()) {
  describe(`dashboard security [${engine.name}]`, () => {
    let server: TestServer;
    let staff: StaffSession;
    before(async () => {
      server = await startServer(engine);
      staff = await staffOf(server, server.businessId, 'Owner Staff');
    });
    after(() => server.close());

    describe('without a session', () => {
      for (const [method, path] of ROUTES) {
        it(`${method} /dashboard/api${path.split('?')[0]} is 401`, async () => {
          const res = await dashboardRequest(server, method, path, {
            body: method === 'GET' || method === 'DELETE' ? undefined : {},
          });
          assert.equal(res.status, 401, res.text);
          assert.deepEqual(res.body, {
            success: false,
            error: 'Unauthorized access!',
            message: 'Unauthorized access!',
          });
        });
      }

      it('is 401 with an unknown or malformed session cookie, which is cleared', async () => {
        for (const cookie of [
          'mteja_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          'mteja_session=x',
          `mteja_session=${staff.token}x`,
        ]) {
          const res = await dashboardRequest(server, 'GET', '/customer/list', { headers: { cookie } });
          assert.equal(res.status, 401);
          assert.match(res.headers.get('set-cookie') ?? '', /mteja_session=; Path=\/dashboard; Max-Age=0/);
        }
      });

      it('does not let a dashboard session stand in for a client secret on the public API', async () => {
        const res = await server.request('GET', '/business/customer/list', {
          secret: null,
          headers: { cookie: staff.cookie },
        });
        assert.equal(res.status, 401);
      });
    });

    describe('CSRF', () => {
      for (const [method, path] of UNSAFE) {
        it(`${method} /dashboard/api${path} is 403 without the session's token or with a wrong one`, async () => {
          const body = method === 'DELETE' ? undefined : {};
          const missing = await dashboardRequest(server, method, path, { body, headers: { cookie: staff.cookie } });
          assert.equal(missing.status, 403, missing.text);
          assert.equal(missing.body.error, 'Forbidden');
          const wrong = await dashboardRequest(server, method, path, {
            body,
            headers: { cookie: staff.cookie, 'x-csrf-token': tampered(staff.csrf) },
          });
          assert.equal(wrong.status, 403);
          const other = await staffOf(server, server.businessId, 'Other Staff');
          const borrowed = await dashboardRequest(server, method, path, {
            body,
            headers: { cookie: staff.cookie, 'x-csrf-token': other.csrf },
          });
          assert.equal(borrowed.status, 403, "another session's token does not fit");
        });
      }

      it('accepts the right token, and reads need none', async () => {
        assert.equal((await staff.request('GET', '/customer/list')).status, 200);
        const res = await staff.request('POST', '/contact/create', { name: 'CSRF Check' });
        assert.equal(res.status, 201, res.text);
      });

      it('refuses a state change from another origin even with the right token', async () => {
        const cross = await staff.request(
          'POST',
          '/contact/create',
          { name: 'From elsewhere' },
          { origin: 'https://evil.example' },
        );
        assert.equal(cross.status, 403);
        const site = await staff.request(
          'POST',
          '/contact/create',
          { name: 'From elsewhere' },
          { 'sec-fetch-site': 'cross-site' },
        );
        assert.equal(site.status, 403);
        const signin = await dashboardRequest(server, 'POST', '/session', {
          body: { email: staff.email, password: staff.password },
          headers: { origin: 'https://evil.example' },
        });
        assert.equal(signin.status, 403, 'sign-in from another origin is refused too (login CSRF)');
        const same = await staff.request(
          'POST',
          '/contact/create',
          { name: 'Same origin' },
          { origin: server.url, 'sec-fetch-site': 'same-origin' },
        );
        assert.equal(same.status, 201, same.text);
      });
    });

    describe("another business's records", () => {
      let intruder: StaffSession;
      let other: { businessId: string; secret: string; clientId: string };
      const ids: Record<string, string> = {};
      before(async () => {
        other = await server.newBusiness('Intruded Business');
        intruder = await staffOf(server, server.businessId, 'Intruder');
        // The intruder is staff of the first business; the records below belong to `other`.
        const customer = await makeCustomer(server, other.secret);
        ids.customer = customer._id;
        ids.lead = (
          await server.request('POST', '/business/lead/create', {
            secret: other.secret,
            body: { name: 'Private lead', email: 'private@lead.example.com' },
          })
        ).body.data._id;
        ids.contact = (
          await server.request('POST', '/business/contact/create', {
            secret: other.secret,
            body: { name: 'Private contact' },
          })
        ).body.data._id;
        ids.quote = (
          await createQuote(server.db, other.businessId, quoteInput({ customerid: customer._id }), 'dashboard')
        )._id;
        ids.contract = (
          await createContract(server.db, other.businessId, contractInput({ customerid: customer._id }), 'dashboard')
        )._id;
        ids.appointment = (await createAppointment(server.db, other.businessId, appointmentInput(), 'dashboard'))._id;
        ids.booking = (
          await createBooking(
            server.db,
            other.businessId,
            bookingInput({ appointmentid: ids.appointment }),
            'dashboard',
          )
        )._id;
      });

      const LABEL: Record<string, string> = {
        customer: 'Customer',
        lead: 'Lead',
        contact: 'Contact',
        quote: 'Quote',
        contract: 'Contract',
        appointment: 'Appointment',
        booking: 'Booking',
      };
      for (const resource of Object.keys(LABEL)) {
        it(`cannot read, change or list the other business's ${resource}`, async () => {
          const read = await intruder.request('GET', `/${resource}/details/${ids[resource]}`);
          assert.equal(read.status, 404);
          assert.deepEqual(read.body, { success: false, error: `${LABEL[resource]} not found` });
          const change = await intruder.request(
            'PATCH',
            `/${resource}/update/${ids[resource]}`,
            resource === 'booking' ? { status: 'cancelled' } : { title: 'Hijacked', name: 'Hijacked' },
          );
          assert.equal(change.status, 404, change.text);
          const list = await intruder.request('GET', `/${resource}/list?limit=100`);
          assert.ok(!list.body.data.some((r: { _id: string }) => r._id === ids[resource]));
          const own = await server.request('GET', `/business/${resource}/details/${ids[resource]}`, {
            secret: other.secret,
          });
          assert.equal(own.status, 200);
          assert.notEqual(own.body.data.title, 'Hijacked');
          assert.notEqual(own.body.data.name, 'Hijacked');
        });
      }

      it('cannot convert its lead, point at its customer or appointment type, or ask for its free times', async () => {
        assert.equal(
          (
            await intruder.request('POST', `/lead/convert/${ids.lead}`, {
              currency: 'KES',
              phone: '1',
              country: 'Kenya',
            })
          ).status,
          404,
        );
        const quote = await intruder.request('POST', '/quote/create', quoteInput({ customerid: ids.customer }));
        assert.equal(quote.status, 400);
        assert.deepEqual(quote.body.errors, { customerid: 'Customer not found' });
        const booking = await intruder.request(
          'POST',
          '/booking/create',
          bookingInput({ appointmentid: ids.appointment }),
        );
        assert.equal(booking.status, 400);
        assert.deepEqual(booking.body.errors, { appointmentid: 'Appointment not found' });
        const slots = await intruder.request('GET', `/booking/slots?appointmentid=${ids.appointment}&date=2030-01-07`);
        assert.equal(slots.status, 400);
      });

      it('cannot see, change or revoke its API credentials', async () => {
        const list = await intruder.request('GET', '/credential/list');
        assert.ok(!list.body.data.some((c: { clientid: string }) => c.clientid === other.clientId));
        const change = await intruder.request('PATCH', `/credential/update/${other.clientId}`, {
          webhookurl: 'https://evil.example/hook',
        });
        assert.equal(change.status, 404);
        assert.deepEqual(change.body, { success: false, error: 'Credential not found' });
        const revoke = await intruder.request('POST', `/credential/revoke/${other.clientId}`, {});
        assert.equal(revoke.status, 404);
        assert.equal(
          (await server.request('GET', '/business/customer/list', { secret: other.secret })).status,
          200,
          'the secret still works',
        );
      });

      it("counts none of the other business's records in its overview", async () => {
        const mine = await staffOf(server, (await server.newBusiness('Empty Business')).businessId, 'Empty');
        const res = await mine.request('GET', '/overview');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.data.counts, {
          customers: 0,
          contacts: 0,
          openleads: 0,
          openquotes: 0,
          activecontracts: 0,
          upcomingbookings: 0,
        });
        assert.deepEqual(res.body.data.upcoming, []);
      });
    });

    describe('sign-in', () => {
      const clear = () => server.db.deleteFrom('signin_attempts').execute();

      it('answers a wrong password and an unknown email alike', async () => {
        const wrong = await dashboardRequest(server, 'POST', '/session', {
          body: { email: staff.email, password: 'wrong password' },
        });
        const unknown = await dashboardRequest(server, 'POST', '/session', {
          body: { email: 'nobody@example.com', password: 'wrong password' },
        });
        assert.equal(wrong.status, 401);
        assert.deepEqual(wrong.body, unknown.body);
        assert.equal(wrong.body.error, 'Email or password is incorrect');
        assert.equal(wrong.headers.get('set-cookie'), null);
        await clear();
      });

      it(`refuses an email after ${PER_EMAIL} failures, even with the right password, while other emails still sign in`, async () => {
        const victim = await staffOf(server, server.businessId, 'Victim');
        for (let i = 0; i < PER_EMAIL; i++) {
          assert.equal(
            (
              await dashboardRequest(server, 'POST', '/session', {
                body: { email: victim.email, password: `guess ${i}` },
              })
            ).status,
            401,
          );
        }
        const blocked = await dashboardRequest(server, 'POST', '/session', {
          body: { email: victim.email.toUpperCase(), password: victim.password },
        });
        assert.equal(blocked.status, 429, blocked.text);
        assert.equal(blocked.body.error, 'Too many sign-in attempts');
        const retry = Number(blocked.headers.get('retry-after'));
        assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
        assert.equal(blocked.body.retry_after, retry);
        assert.equal(
          (
            await dashboardRequest(server, 'POST', '/session', {
              body: { email: staff.email, password: staff.password },
            })
          ).status,
          200,
        );
        await clear();
        assert.equal(
          (
            await dashboardRequest(server, 'POST', '/session', {
              body: { email: victim.email, password: victim.password },
            })
          ).status,
          200,
          'free again once the window has passed',
        );
      });

      const attemptsOf = async (email: string) =>
        Number(
          (
            await server.db
              .selectFrom('signin_attempts')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('key', '=', `email:${email}`)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).join(' ');

      it(`counts attempts sent together: of 40 wrong passwords at once ${PER_EMAIL} are checked, the rest are 429`, async () => {
        const victim = await staffOf(server, server.businessId, 'Rushed');
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            dashboardRequest(server, 'POST', '/session', { body: { email: victim.email, password: `guess ${i}` } }),
          ),
        );
        assert.equal(answers.filter((a) => a.status === 401).length, PER_EMAIL, statuses(answers));
        assert.equal(answers.filter((a) => a.status === 429).length, 40 - PER_EMAIL, statuses(answers));
        await clear();
      });

      it('refuses the right password sent together with 29 wrong ones once they have used the limit', async () => {
        const victim = await staffOf(server, server.businessId, 'Raced');
        const wrong = Array.from({ length: 29 }, (_, i) =>
          dashboardRequest(server, 'POST', '/session', { body: { email: victim.email, password: `guess ${i}` } }),
        );
        // The right one leaves once the limit is used, while the wrong ones are still being checked (scrypt is slow).
        while ((await attemptsOf(victim.email)) < PER_EMAIL) await new Promise((resolve) => setTimeout(resolve, 1));
        const right = await dashboardRequest(server, 'POST', '/session', {
          body: { email: victim.email, password: victim.password },
        });
        assert.equal(right.status, 429, right.text);
        const answers = await Promise.all(wrong);
        assert.equal(answers.filter((a) => a.status === 401).length, PER_EMAIL, statuses(answers));
        assert.ok(
          answers.every((a) => a.status === 401 || a.status === 429),
          statuses(answers),
        );
        await clear();

        // All thirty at once, the right one last: it signs in only among the first PER_EMAIL to be counted.
        const together = await Promise.all([
          ...Array.from({ length: 29 }, (_, i) =>
            dashboardRequest(server, 'POST', '/session', { body: { email: victim.email, password: `again ${i}` } }),
          ),
          dashboardRequest(server, 'POST', '/session', { body: { email: victim.email, password: victim.password } }),
        ]);
        const last = together[29];
        const checked = together.filter((a) => a.status === 401 || a.status === 200).length;
        assert.ok(checked <= PER_EMAIL + 1, `${checked} passwords checked: ${statuses(together)}`);
        if (last.status === 429) assert.equal(checked, PER_EMAIL, statuses(together));
        else assert.equal(last.status, 200, last.text);
        await clear();
      });

      it(`counts no right password against the address: ${PER_ADDRESS + 5} sign-ins in a row all succeed`, async () => {
        for (let i = 0; i < PER_ADDRESS + 5; i++) {
          const res = await dashboardRequest(server, 'POST', '/session', {
            body: { email: staff.email, password: staff.password },
          });
          assert.equal(res.status, 200, `sign-in ${i + 1}: ${res.text}`);
        }
        const left = await server.db.selectFrom('signin_attempts').select('key').execute();
        assert.deepEqual(left, [], 'each right password took its own attempt back');
      });

      it('forgets an email’s failures after a right password', async () => {
        for (let i = 0; i < PER_EMAIL - 1; i++)
          await dashboardRequest(server, 'POST', '/session', { body: { email: staff.email, password: `guess ${i}` } });
        assert.equal(
          (
            await dashboardRequest(server, 'POST', '/session', {
              body: { email: staff.email, password: staff.password },
            })
          ).status,
          200,
        );
        for (let i = 0; i < PER_EMAIL - 1; i++)
          await dashboardRequest(server, 'POST', '/session', { body: { email: staff.email, password: `guess ${i}` } });
        assert.equal(
          (
            await dashboardRequest(server, 'POST', '/session', {
              body: { email: staff.email, password: staff.password },
            })
          ).status,
          200,
        );
        await clear();
      });

      it(`refuses an address after ${PER_ADDRESS} failures across emails`, async () => {
        for (let i = 0; i < PER_ADDRESS; i++) {
          const res = await dashboardRequest(server, 'POST', '/session', {
            body: { email: `spray${i}@example.com`, password: 'password1' },
          });
          assert.equal(res.status, 401, `attempt ${i + 1}`);
        }
        const blocked = await dashboardRequest(server, 'POST', '/session', {
          body: { email: staff.email, password: staff.password },
        });
        assert.equal(blocked.status, 429);
        assert.ok(Number(blocked.headers.get('retry-after')) > 0);
        await clear();
      });

      it('stores passwords as scrypt hashes and sessions as SHA-256 of their token', async () => {
        const user = await server.db
          .selectFrom('users')
          .selectAll()
          .where('emailkey', '=', staff.email)
          .executeTakeFirstOrThrow();
        assert.match(user.passwordhash, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
        assert.ok(!user.passwordhash.includes(staff.password));
        const rows = await server.db.selectFrom('sessions').select('idhash').execute();
        assert.ok(rows.some((r) => r.idhash === createHash('sha256').update(staff.token).digest('hex')));
        assert.ok(!rows.some((r) => r.idhash === staff.token), 'the raw token is stored nowhere');
      });

      it('sets an HttpOnly, SameSite=Lax cookie for /dashboard, not Secure unless configured, with a random 256-bit id', async () => {
        const res = await dashboardRequest(server, 'POST', '/session', {
          body: { email: staff.email, password: staff.password },
        });
        const cookie = res.headers.get('set-cookie')!;
        assert.match(
          cookie,
          /^mteja_session=[A-Za-z0-9_-]{43}; Path=\/dashboard; Max-Age=604800; HttpOnly; SameSite=Lax$/,
        );
        const again = (
          await dashboardRequest(server, 'POST', '/session', { body: { email: staff.email, password: staff.password } })
        ).headers.get('set-cookie')!;
        assert.notEqual(again.split(';')[0], cookie.split(';')[0]);
        assert.equal(res.headers.get('strict-transport-security'), null);
      });

      it('gives a new session id at each sign-in and ends the one the browser brought', async () => {
        const first = await signIn(server, staff.email, staff.password);
        const res = await dashboardRequest(server, 'POST', '/session', {
          body: { email: staff.email, password: staff.password },
          headers: { cookie: first.cookie },
        });
        assert.equal(res.status, 200);
        assert.equal((await first.request('GET', '/session')).status, 401);
      });

      it('refuses a disabled user, and ends their sessions', async () => {
        const leaving = await staffOf(server, server.businessId, 'Leaving');
        await server.db.updateTable('users').set({ active: 0 }).where('emailkey', '=', leaving.email).execute();
        assert.equal((await leaving.request('GET', '/session')).status, 401);
        assert.equal(
          (
            await dashboardRequest(server, 'POST', '/session', {
              body: { email: leaving.email, password: leaving.password },
            })
          ).status,
          401,
        );
        await clear();
      });

      it('rejects a malformed sign-in body with the field messages', async () => {
        const res = await dashboardRequest(server, 'POST', '/session', { body: { email: 'not-an-email' } });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body.errors, {
          email: 'Email is not a valid email address',
          password: 'Password is required',
        });
      });
    });

    describe('sessions', () => {
      it('answers who is signed in, with the CSRF token', async () => {
        const res = await staff.request('GET', '/session');
        assert.equal(res.status, 200);
        assert.equal(res.body.data.user.email, staff.email);
        assert.equal(res.body.data.business._id, server.businessId);
        assert.equal(res.body.data.csrftoken, staff.csrf);
      });

      it('ends after 12 hours without a request, and 7 days after sign-in whatever happens', async () => {
        const idle = await signIn(server, staff.email, staff.password);
        const hash = createHash('sha256').update(idle.token).digest('hex');
        await server.db
          .updateTable('sessions')
          .set({ lastseenat: new Date(Date.now() - 12 * 3600_000 - 1000).toISOString() })
          .where('idhash', '=', hash)
          .execute();
        assert.equal((await idle.request('GET', '/session')).status, 401);
        assert.equal(
          (await server.db.selectFrom('sessions').select('idhash').where('idhash', '=', hash).execute()).length,
          0,
          'the expired row is deleted',
        );

        const old = await signIn(server, staff.email, staff.password);
        await server.db
          .updateTable('sessions')
          .set({ expiresat: new Date(Date.now() - 1000).toISOString() })
          .where('idhash', '=', createHash('sha256').update(old.token).digest('hex'))
          .execute();
        assert.equal((await old.request('GET', '/session')).status, 401);
      });

      it('ends at sign-out', async () => {
        const leaving = await signIn(server, staff.email, staff.password);
        const res = await leaving.request('DELETE', '/session');
        assert.equal(res.status, 200);
        assert.match(
          res.headers.get('set-cookie') ?? '',
          /^mteja_session=; Path=\/dashboard; Max-Age=0; HttpOnly; SameSite=Lax$/,
        );
        assert.equal((await leaving.request('GET', '/session')).status, 401);
      });
    });

    describe('security headers', () => {
      for (const path of [
        '/dashboard',
        '/dashboard/',
        '/dashboard/customers/507f1f77bcf86cd799439011',
        '/dashboard/api/session',
        '/dashboard/api/no-such-route',
        '/dashboard/assets/missing.js',
      ]) {
        it(`are on ${path}`, async () => {
          const res = await fetch(`${server.url}${path}`);
          for (const header of SECURITY_HEADERS) assert.ok(res.headers.get(header), `${header} on ${path}`);
          assert.match(
            res.headers.get('content-security-policy')!,
            /default-src 'self'; script-src 'self'; style-src 'self'.*frame-ancestors 'none'/,
          );
          assert.equal(res.headers.get('x-frame-options'), 'DENY');
          assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
          if (path.startsWith('/dashboard/api')) assert.equal(res.headers.get('cache-control'), 'no-store');
          if (path.startsWith('/dashboard/assets')) assert.equal(res.status, 404);
        });
      }

      it('are on pages answered with the app, which is cached only after revalidation', async () => {
        const res = await fetch(`${server.url}/dashboard/quotes/new`);
        assert.ok(res.status === 200 || res.status === 503, `${res.status}`);
        assert.match(res.headers.get('content-type')!, /^text\/html/);
        if (res.status === 200) assert.equal(res.headers.get('cache-control'), 'no-cache');
      });
    });

    describe('the public API', () => {
      it('still only reads quotes, contracts, bookings and appointment types', async () => {
        for (const resource of ['quote', 'contract', 'booking', 'appointment']) {
          assert.equal((await server.request('POST', `/business/${resource}/create`, { body: {} })).status, 404);
          assert.equal(
            (await server.request('PATCH', `/business/${resource}/update/${UNKNOWN_ID}`, { body: {} })).status,
            404,
          );
        }
      });
    });
  });
}

describe('dashboard cookies over HTTPS (DASHBOARD_SECURE_COOKIES=true)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(undefined, { DASHBOARD_SECURE_COOKIES: 'true' });
    await createUser(server.db, server.businessId, { email: 'secure@example.com', password: 'a secure password' });
  });
  after(() => server.close());

  it('sets a Secure __Host- cookie for the whole site and sends HSTS', async () => {
    const res = await dashboardRequest(server, 'POST', '/session', {
      body: { email: 'secure@example.com', password: 'a secure password' },
    });
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('set-cookie')!,
      /^__Host-mteja_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure$/,
    );
    assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', 'COOP, which browsers honour on HTTPS');
    const token = /__Host-mteja_session=([^;]+)/.exec(res.headers.get('set-cookie')!)![1];
    const me = await dashboardRequest(server, 'GET', '/session', {
      headers: { cookie: `__Host-mteja_session=${token}` },
    });
    assert.equal(me.status, 200);
    const plain = await dashboardRequest(server, 'GET', '/session', { headers: { cookie: `mteja_session=${token}` } });
    assert.equal(plain.status, 401, 'only the __Host- cookie counts');
  });
});
