// Contract suite: /business/contract/* (read-only; contracts are written by the dashboard), over HTTP, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createContract } from '../src/modules/contract/contract.store.js';
import {
  type CustomerRecord,
  checkDetailsErrors,
  checkNoWriteRoutes,
  checkPaging,
  checkQueryRejected,
  contractInput,
  getList,
  listIds,
  makeCustomer,
  rejects400,
  UNKNOWN_ID,
} from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`contracts [${engine.name}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    describe('contracts written by the dashboard (createContract)', () => {
      it('numbers contracts CON-<year>-001, -002, … per business', async () => {
        const own = await server.newBusiness('Numbering Business');
        const made = [];
        for (let i = 0; i < 3; i++)
          made.push(await createContract(server.db, own.businessId, contractInput(), 'dashboard'));
        const year = made[0].createdat.slice(0, 4);
        assert.deepEqual(
          made.map((c) => c.contractno),
          [`CON-${year}-001`, `CON-${year}-002`, `CON-${year}-003`],
        );
        const listed = await getList(server, '/business/contract/list', own.secret);
        assert.deepEqual(
          listed.data.map((c) => c.contractno),
          [`CON-${year}-003`, `CON-${year}-002`, `CON-${year}-001`],
        );
      });

      it('rejects an end date that is not after the start date with 400, and writes nothing', async () => {
        const own = await server.newBusiness('Dates Business');
        await rejects400(
          createContract(
            server.db,
            own.businessId,
            contractInput({ startdate: '2025-06-01', enddate: '2025-01-01' }),
            'dashboard',
          ),
          ['enddate'],
        );
        await rejects400(
          createContract(
            server.db,
            own.businessId,
            contractInput({ startdate: '2025-06-01T00:00:00Z', enddate: '2025-06-01' }),
            'dashboard',
          ),
          ['enddate'],
        );
        assert.equal((await getList(server, '/business/contract/list', own.secret)).pagination.total, 0);
        const ok = await createContract(
          server.db,
          own.businessId,
          contractInput({ startdate: '2025-06-01', enddate: '2025-06-02' }),
          'dashboard',
        );
        assert.match(ok.contractno, /^CON-\d{4}-001$/, 'a rejected contract consumes no number');
      });

      it("rejects another business's customer with 400", async () => {
        const other = await server.newBusiness('Other Business');
        const foreign = await makeCustomer(server, other.secret);
        await rejects400(
          createContract(server.db, server.businessId, contractInput({ customerid: foreign._id }), 'dashboard'),
          ['customerid'],
        );
      });
    });

    describe('GET /business/contract/details/:id', () => {
      it('returns the whole record with the customer nested and autorenew as a boolean', async () => {
        const customer = await makeCustomer(server);
        const contract = await createContract(
          server.db,
          server.businessId,
          contractInput({
            title: 'Service level agreement',
            type: 'service',
            description: 'Support hours and response times',
            customerid: customer._id,
            value: 250000.456,
            currency: 'usd',
            startdate: '2025-01-01',
            enddate: '2025-12-31T23:59:59Z',
            signeddate: '2024-12-20T09:30:00.000Z',
            autorenew: true,
            status: 'signed',
          }),
          'dashboard',
        );
        const res = await server.request('GET', `/business/contract/details/${contract._id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: contract });
        const c = res.body.data;
        assert.match(c.contractno, /^CON-\d{4}-\d{3}$/);
        assert.equal(c.title, 'Service level agreement');
        assert.equal(c.type, 'service');
        assert.deepEqual(c.customer, { _id: customer._id, name: customer.name, email: customer.email });
        assert.equal(c.value, 250000.46, 'money is rounded to 2 places');
        assert.equal(c.currency, 'USD');
        assert.equal(c.startdate, '2025-01-01T00:00:00.000Z');
        assert.equal(c.enddate, '2025-12-31T23:59:59.000Z');
        assert.equal(c.signeddate, '2024-12-20T09:30:00.000Z');
        assert.strictEqual(c.autorenew, true);
        assert.equal(c.status, 'signed');
        assert.equal(c.active, true);
        assert.equal(c.sourceorigin, 'dashboard');
      });

      it('defaults autorenew to false and status to draft; unset optional fields are null', async () => {
        const contract = await createContract(server.db, server.businessId, contractInput(), 'dashboard');
        const c = (await server.request('GET', `/business/contract/details/${contract._id}`)).body.data;
        assert.strictEqual(c.autorenew, false);
        assert.equal(c.status, 'draft');
        for (const field of ['type', 'description', 'customerid', 'customer', 'startdate', 'enddate', 'signeddate'])
          assert.equal(c[field], null, field);
      });

      it("nests the customer's current name after the customer is updated", async () => {
        const customer = await makeCustomer(server);
        const contract = await createContract(
          server.db,
          server.businessId,
          contractInput({ customerid: customer._id }),
          'dashboard',
        );
        assert.equal(
          (
            await server.request('PATCH', `/business/customer/update/${customer._id}`, {
              body: { name: 'New Name Ltd' },
            })
          ).status,
          200,
        );
        const c = (await server.request('GET', `/business/contract/details/${contract._id}`)).body.data;
        assert.deepEqual(c.customer, { _id: customer._id, name: 'New Name Ltd', email: customer.email });
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        await checkDetailsErrors(server, 'contract', 'Contract');
      });
    });

    describe('GET /business/contract/list', () => {
      let secret: string;
      let c1: CustomerRecord;
      let c2: CustomerRecord;
      const ids: string[] = [];
      const numbers: string[] = [];
      before(async () => {
        const own = await server.newBusiness('Contract List Business');
        secret = own.secret;
        c1 = await makeCustomer(server, secret);
        c2 = await makeCustomer(server, secret);
        const inputs = [
          contractInput({
            title: 'Office Maintenance',
            type: 'maintenance',
            description: 'Ünïcode cleaning schedule',
            status: 'active',
            customerid: c1._id,
          }),
          contractInput({ title: '100% Coverage Deal', type: 'service', status: 'signed', customerid: c1._id }),
          contractInput({
            title: 'under_score NDA',
            type: 'nda',
            description: 'Confidentiality',
            status: 'active',
            customerid: c2._id,
          }),
          contractInput({ title: 'Ζήτα Supply', type: 'sales', status: 'draft' }),
          contractInput({
            title: 'Lift Maintenance',
            type: 'maintenance',
            description: 'Quarterly inspection',
            status: 'active',
            customerid: c2._id,
          }),
        ];
        for (const input of inputs) {
          const c = await createContract(server.db, own.businessId, input, 'dashboard');
          ids.push(c._id);
          numbers.push(c.contractno);
        }
      });
      const search = (term: string) => listIds(server, 'contract', `search=${encodeURIComponent(term)}`, secret);

      it('pages newest first, with pagination under both pagination and meta, and handles the paging edges', async () => {
        await checkPaging(server, 'contract', secret, [...ids].reverse());
      });

      it('searches title, contractno and description case-insensitively, Unicode-aware', async () => {
        assert.deepEqual(await search('maintenance'), [ids[4], ids[0]]);
        assert.deepEqual(await search('OFFICE'), [ids[0]]);
        assert.deepEqual(await search('ünïcode'), [ids[0]], 'description');
        assert.deepEqual(await search('ΖΉΤΑ'), [ids[3]]);
        assert.deepEqual(await search('inspection'), [ids[4]]);
        assert.deepEqual(await search(numbers[1].toLowerCase()), [ids[1]], 'contractno');
        assert.equal((await getList(server, '/business/contract/list?search=con-', secret)).pagination.total, 5);
        assert.deepEqual(await search('sales'), [], 'type is a filter, not a search field');
        assert.deepEqual(await search('nothing-like-this'), []);
      });

      it('matches % and _ literally', async () => {
        assert.deepEqual(await search('100%'), [ids[1]]);
        assert.deepEqual(await search('%'), [ids[1]]);
        assert.deepEqual(await search('r_s'), [ids[2]]);
        assert.deepEqual(await search('_'), [ids[2]]);
      });

      it('filters by status, type and customerid, combined with AND', async () => {
        assert.deepEqual(await listIds(server, 'contract', 'status=active', secret), [ids[4], ids[2], ids[0]]);
        assert.deepEqual(await listIds(server, 'contract', 'type=maintenance', secret), [ids[4], ids[0]]);
        assert.deepEqual(await listIds(server, 'contract', `customerid=${c2._id}`, secret), [ids[4], ids[2]]);
        assert.deepEqual(
          await listIds(server, 'contract', `status=active&type=maintenance&customerid=${c1._id}`, secret),
          [ids[0]],
        );
        assert.deepEqual(await listIds(server, 'contract', 'status=active&type=nda', secret), [ids[2]]);
        assert.deepEqual(await listIds(server, 'contract', 'status=signed&type=maintenance', secret), []);
        assert.deepEqual(await listIds(server, 'contract', 'type=maintenance&search=lift', secret), [ids[4]]);
        assert.deepEqual(await listIds(server, 'contract', 'status=terminated', secret), []);
        assert.deepEqual(await listIds(server, 'contract', `customerid=${UNKNOWN_ID}`, secret), []);
        const active = await getList(server, '/business/contract/list?status=active&limit=2&page=2', secret);
        assert.deepEqual(active.pagination, { total: 3, page: 2, limit: 2, pages: 2 });
        assert.deepEqual(
          active.data.map((c) => c._id),
          [ids[0]],
        );
      });

      it('rejects an unknown status with the allowed values, and a malformed customerid', async () => {
        await checkQueryRejected(
          server,
          '/business/contract/list?status=pending',
          {
            status: 'Status must be one of: draft, sent, signed, active, expired, terminated',
          },
          secret,
        );
        await checkQueryRejected(
          server,
          '/business/contract/list?customerid=12345',
          { customerid: 'Customer ID must be a 24-character hex ID' },
          secret,
        );
      });
    });

    describe('no write routes', () => {
      it('has no create or update route: 404 in the error envelope', async () => {
        const contract = await createContract(server.db, server.businessId, contractInput(), 'dashboard');
        await checkNoWriteRoutes(server, 'contract', contract._id);
      });
    });
  });
}
