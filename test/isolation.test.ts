// Contract suite: one secret sees one business. Another business's records are 404 as if absent; bad secrets are 401.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getRow } from '../src/db/records.js';
import { createAppointment } from '../src/modules/appointment/appointment.store.js';
import { createBooking } from '../src/modules/booking/booking.store.js';
import { revokeCredential } from '../src/modules/business/business.store.js';
import { createContract } from '../src/modules/contract/contract.store.js';
import { createQuote } from '../src/modules/quote/quote.store.js';
import {
  appointmentInput,
  bookingInput,
  contractInput,
  getList,
  makeCustomer,
  quoteInput,
  UNAUTHORIZED,
} from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

const RESOURCES = ['customer', 'lead', 'contact', 'quote', 'contract', 'booking', 'appointment'] as const;
type Resource = (typeof RESOURCES)[number];
const LABEL: Record<Resource, string> = {
  customer: 'Customer',
  lead: 'Lead',
  contact: 'Contact',
  quote: 'Quote',
  contract: 'Contract',
  booking: 'Booking',
  appointment: 'Appointment',
};
/** A word in a search field of each record below, and nowhere else. */
const TERM = 'isolatedword';

for (const engine of engines()) {
  describe(`business isolation and authentication [${engine.name}]`, () => {
    let server: TestServer;
    let intruder: { businessId: string; secret: string };
    const ids = {} as Record<Resource, string>;
    before(async () => {
      server = await startServer(engine);
      intruder = await server.newBusiness('Intruder Business');
      const owner = server.businessId;
      const customer = await makeCustomer(server, server.secret, { name: `Owner ${TERM} Customer` });
      ids.customer = customer._id;
      const lead = await server.request('POST', '/business/lead/create', {
        body: {
          name: `Lead ${TERM}`,
          email: 'lead.isolated@example.com',
          phone: '+254711000000',
          country: 'Kenya',
          company: 'Lead Co',
        },
      });
      assert.equal(lead.status, 201, lead.text);
      ids.lead = lead.body.data._id;
      const contact = await server.request('POST', '/business/contact/create', {
        body: { name: `Contact ${TERM}`, email: 'contact.isolated@example.com' },
      });
      assert.equal(contact.status, 201, contact.text);
      ids.contact = contact.body.data._id;
      ids.quote = (
        await createQuote(
          server.db,
          owner,
          quoteInput({ title: `Quote ${TERM}`, customerid: customer._id }),
          'dashboard',
        )
      )._id;
      ids.contract = (
        await createContract(
          server.db,
          owner,
          contractInput({ title: `Contract ${TERM}`, customerid: customer._id }),
          'dashboard',
        )
      )._id;
      ids.appointment = (
        await createAppointment(server.db, owner, appointmentInput({ title: `Type ${TERM}` }), 'dashboard')
      )._id;
      ids.booking = (
        await createBooking(
          server.db,
          owner,
          bookingInput({ title: `Booking ${TERM}`, appointmentid: ids.appointment, customerid: customer._id }),
          'dashboard',
        )
      )._id;
    });
    after(() => server.close());

    describe('another business', () => {
      for (const resource of RESOURCES) {
        it(`cannot list or search the first business's ${resource} records`, async () => {
          const own = await getList(server, `/business/${resource}/list?search=${TERM}`);
          assert.deepEqual(
            own.data.map((r) => r._id),
            [ids[resource]],
            'the owner finds it',
          );
          const all = await getList(server, `/business/${resource}/list`, intruder.secret);
          assert.deepEqual(all.data, []);
          assert.deepEqual(all.pagination, { total: 0, page: 1, limit: 10, pages: 0 });
          const searched = await getList(server, `/business/${resource}/list?search=${TERM}`, intruder.secret);
          assert.deepEqual(searched.data, []);
          assert.equal(searched.pagination.total, 0);
        });

        it(`cannot read the first business's ${resource}: 404 ${LABEL[resource]} not found`, async () => {
          const res = await server.request('GET', `/business/${resource}/details/${ids[resource]}`, {
            secret: intruder.secret,
          });
          assert.equal(res.status, 404);
          assert.deepEqual(res.body, { success: false, error: `${LABEL[resource]} not found` });
          const upper = await server.request('GET', `/business/${resource}/details/${ids[resource].toUpperCase()}`, {
            secret: intruder.secret,
          });
          assert.equal(upper.status, 404);
          assert.equal(
            (await server.request('GET', `/business/${resource}/details/${ids[resource]}`)).status,
            200,
            'the owner still reads it',
          );
        });
      }

      it('answers details asked for at once each with its own record, or 404 for one of another business', async () => {
        // On PostgreSQL lookups that arrive together share one query (db/same-turn.ts): each answer must still be
        // its caller's own, whatever else was in the batch.
        const mine = await Promise.all(
          Array.from({ length: 6 }, (_, i) => makeCustomer(server, server.secret, { name: `Batch ${i}` })),
        );
        const neighbour = await server.newBusiness('Batch Neighbour');
        const theirs = await Promise.all(
          Array.from({ length: 6 }, (_, i) => makeCustomer(server, neighbour.secret, { name: `Other ${i}` })),
        );
        const asks = [
          ...mine.map((c) => ({ secret: server.secret, id: c._id, name: c.name })),
          ...mine.map((c) => ({ secret: server.secret, id: c._id, name: c.name })),
          ...theirs.map((c) => ({ secret: neighbour.secret, id: c._id, name: c.name })),
          ...theirs.map((c) => ({ secret: server.secret, id: c._id, name: undefined })),
          ...mine.map((c) => ({ secret: neighbour.secret, id: c._id, name: undefined })),
          { secret: server.secret, id: 'f'.repeat(24), name: undefined },
        ];
        const answers = await Promise.all(
          asks.map((ask) => server.request('GET', `/business/customer/details/${ask.id}`, { secret: ask.secret })),
        );
        // The same asks in one turn of the event loop, in process: on PostgreSQL they are one batch per business.
        const rows = await Promise.all(
          asks.map((ask) =>
            getRow<{ id: string; name: string }>(
              server.db,
              'customers',
              ask.secret === server.secret ? server.businessId : neighbour.businessId,
              ask.id,
            ),
          ),
        );
        assert.deepEqual(
          rows.map((row) => row && [row.id, row.name]),
          asks.map((ask) => ask.name && [ask.id, ask.name]),
        );
        answers.forEach((res, i) => {
          const { id, name } = asks[i];
          if (name === undefined) {
            assert.equal(res.status, 404, `${i}: ${res.text}`);
            assert.deepEqual(res.body, { success: false, error: 'Customer not found' });
          } else {
            assert.equal(res.status, 200, `${i}: ${res.text}`);
            assert.equal(res.body.data._id, id);
            assert.equal(res.body.data.name, name);
          }
        });
      });

      it("cannot filter by the first business's customer", async () => {
        for (const resource of ['quote', 'contract', 'booking'] as const) {
          const res = await getList(server, `/business/${resource}/list?customerid=${ids.customer}`, intruder.secret);
          assert.equal(res.pagination.total, 0, resource);
        }
        const byType = await getList(
          server,
          `/business/booking/list?appointmentid=${ids.appointment}`,
          intruder.secret,
        );
        assert.equal(byType.pagination.total, 0);
      });

      for (const resource of ['customer', 'lead', 'contact'] as const) {
        it(`cannot update the first business's ${resource}: 404, and the record is unchanged`, async () => {
          const before = (await server.request('GET', `/business/${resource}/details/${ids[resource]}`)).body.data;
          const res = await server.request('PATCH', `/business/${resource}/update/${ids[resource]}`, {
            secret: intruder.secret,
            body: { name: 'Hijacked', phone: '+254700999999' },
          });
          assert.equal(res.status, 404);
          assert.deepEqual(res.body, { success: false, error: `${LABEL[resource]} not found` });
          const after = await server.request('GET', `/business/${resource}/details/${ids[resource]}`);
          assert.deepEqual(after.body, { success: true, data: before });
        });
      }

      it("cannot convert the first business's lead: 404, the lead stays as it was and no customer is made", async () => {
        const before = (await server.request('GET', `/business/lead/details/${ids.lead}`)).body.data;
        const res = await server.request('POST', `/business/lead/convert/${ids.lead}`, {
          secret: intruder.secret,
          body: { currency: 'KES' },
        });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, { success: false, error: 'Lead not found' });
        assert.deepEqual((await server.request('GET', `/business/lead/details/${ids.lead}`)).body.data, before);
        assert.equal(before.status, 'new');
        assert.equal((await getList(server, '/business/customer/list', intruder.secret)).pagination.total, 0);
        assert.equal((await getList(server, '/business/customer/list?search=lead.isolated')).pagination.total, 0);
      });

      it("cannot point its records at the first business's customer", async () => {
        await assert.rejects(
          createQuote(server.db, intruder.businessId, quoteInput({ customerid: ids.customer }), 'dashboard'),
          { status: 400 },
        );
        await assert.rejects(
          createBooking(server.db, intruder.businessId, bookingInput({ appointmentid: ids.appointment }), 'dashboard'),
          { status: 400 },
        );
      });
    });

    describe('authentication', () => {
      const paths = RESOURCES.map((r) => `/business/${r}/list`);

      it('answers 401 with the exact body when the secret is missing', async () => {
        for (const path of [...paths, `/business/customer/details/${'a'.repeat(24)}`]) {
          const res = await server.request('GET', path, { secret: null });
          assert.equal(res.status, 401, path);
          assert.deepEqual(res.body, UNAUTHORIZED, path);
        }
        const create = await server.request('POST', '/business/customer/create', { secret: null, body: { name: 'X' } });
        assert.equal(create.status, 401);
        assert.deepEqual(create.body, UNAUTHORIZED);
        const update = await server.request('PATCH', `/business/lead/update/${ids.lead}`, {
          secret: null,
          body: { name: 'X' },
        });
        assert.equal(update.status, 401);
        assert.deepEqual(update.body, UNAUTHORIZED);
      });

      it('answers 401 for a malformed or unknown secret', async () => {
        const unknown = `cs_${'A1b2C3d4E5'.repeat(4)}xyz`;
        for (const secret of [
          '',
          'not-a-secret',
          'cs_',
          'cs_short',
          `${server.secret}!`,
          `x${server.secret}`,
          'Bearer',
          'Bearer ',
          unknown,
          server.secret.slice(0, -1),
        ]) {
          const headers = { authorization: secret };
          for (const path of paths) {
            const res = await server.request('GET', path, { secret: null, headers });
            assert.equal(res.status, 401, `${JSON.stringify(secret)} ${path}`);
            assert.deepEqual(res.body, UNAUTHORIZED);
          }
        }
      });

      it('accepts the raw secret and a Bearer prefix', async () => {
        for (const authorization of [server.secret, `Bearer ${server.secret}`]) {
          const res = await server.request('GET', `/business/customer/list?search=${TERM}`, {
            secret: null,
            headers: { authorization },
          });
          assert.equal(res.status, 200, authorization);
          assert.equal(res.body.pagination.total, 1);
        }
      });

      it('stops accepting a revoked secret on the very next request', async () => {
        const made = await server.newBusiness('Revoked Business');
        assert.equal((await server.request('GET', '/business/customer/list', { secret: made.secret })).status, 200);
        assert.equal(await revokeCredential(server.db, made.clientId), true);
        for (const path of paths) {
          const res = await server.request('GET', path, { secret: made.secret });
          assert.equal(res.status, 401, path);
          assert.deepEqual(res.body, UNAUTHORIZED);
        }
        const bearer = await server.request('GET', '/business/customer/list', {
          secret: null,
          headers: { authorization: `Bearer ${made.secret}` },
        });
        assert.equal(bearer.status, 401);
        assert.deepEqual(bearer.body, UNAUTHORIZED);
        assert.equal(
          (await server.request('GET', '/business/customer/list')).status,
          200,
          "another business's secret still works",
        );
      });
    });
  });
}
