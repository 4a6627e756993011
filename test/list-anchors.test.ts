// Deep pages from a read worker's anchors (db/list-anchors.ts) are exactly the pages a walk from the head finds,
// through every kind of write: inserts at the head (the anchors shift), deletes and filter changes (they are dropped),
// and an insert behind the head (a clock that stepped back: the check finds it and drops them). Each page is asked
// for twice, so that both read workers build and then use their anchors; the read cache is off, so every answer is
// read. The expected page is the same query with OFFSET, on the server's own connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { newId } from '../src/db/ids.js';
import { STEP } from '../src/db/list-anchors.js';
import { createCustomers } from '../src/modules/customer/customer.store.js';
import { createLeads } from '../src/modules/lead/lead.store.js';
import { listIds, makeCustomer } from './helpers/fixtures.js';
import { sqlite, startServer, type TestServer } from './helpers/server.js';

const LIMIT = 20;
/** Enough records for anchors several STEPs deep. */
const RECORDS = 3 * STEP + 137;
const STATUSES = ['new', 'contacted', 'qualified'] as const;

describe('deep pages from anchors (sqlite)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(sqlite, { READ_CACHE_MB: '0', SQLITE_READ_WORKERS: '2', SEARCH_INDEX_MS: '0' });
    const customers = Array.from({ length: RECORDS }, (_, i) => ({
      name: `Deep ${i}`,
      email: `deep.${i}@example.com`,
      phone: `+2547${String(i).padStart(8, '0')}`,
      country: 'Kenya',
      currency: 'KES',
    }));
    // Several batches, several instants: ties on createdat are ordered by id, and both must hold across anchors.
    for (let i = 0; i < customers.length; i += 400)
      await createCustomers(server.db, server.businessId, customers.slice(i, i + 400), 'api');
    const leads = Array.from({ length: RECORDS }, (_, i) => ({
      name: `Lead ${i}`,
      status: STATUSES[i % STATUSES.length],
    }));
    for (let i = 0; i < leads.length; i += 400)
      await createLeads(server.db, server.businessId, leads.slice(i, i + 400), 'api');
    await server.app.database.durable();
  });
  after(() => server.close());

  /** The ids at `page` of a list as a walk from its head finds them. */
  async function walked(table: 'customers' | 'leads', page: number, status?: string): Promise<string[]> {
    let query = server.db
      .selectFrom(table)
      .select('id')
      .where('businessid', '=', server.businessId)
      .orderBy('createdat', 'desc')
      .orderBy('id', 'desc')
      .limit(LIMIT)
      .offset((page - 1) * LIMIT);
    if (status) query = query.where('status', '=', status as never);
    return (await query.execute()).map((r) => r.id);
  }

  /** Every `stride`-th page of a list (and its last), twice each, against the walk. */
  async function checkPages(resource: 'customer' | 'lead', status?: string, stride = 7) {
    const table = resource === 'customer' ? 'customers' : 'leads';
    const filter = status ? `&status=${status}` : '';
    const pages = Math.ceil(RECORDS / LIMIT) + 1;
    for (let page = 1; page <= pages; page += stride)
      for (let twice = 0; twice < 2; twice++)
        assert.deepEqual(
          await listIds(server, resource, `page=${page}&limit=${LIMIT}${filter}`),
          await walked(table, page, status),
          `${resource}${filter} page ${page}`,
        );
  }

  it('serves every deep page as a walk would', async () => {
    await checkPages('customer', undefined, 1);
    await checkPages('lead', 'new', 1);
  });

  it('follows creates at the head, shifting the anchors', async () => {
    for (let i = 0; i < 3; i++) await makeCustomer(server, server.secret, { name: `Head ${i}` });
    await checkPages('customer');
    const made = await server.request('POST', '/business/lead/create', { body: { name: 'Head lead', status: 'new' } });
    assert.equal(made.status, 201, made.text);
    await checkPages('lead', 'new', 1);
  });

  it('follows a delete deep in the list, alone and with a create that keeps the total', async () => {
    const [gone] = await walked('customers', 40);
    await sql`delete from customers where businessid = ${server.businessId} and id = ${gone}`.execute(server.db);
    await checkPages('customer');
    // The total is as it was, and one record is newer than the head: only `moves` tells the anchors are off by one.
    const [next] = await walked('customers', 45);
    await sql`delete from customers where businessid = ${server.businessId} and id = ${next}`.execute(server.db);
    await makeCustomer(server, server.secret, { name: 'Replacement' });
    await checkPages('customer');
  });

  it("follows a lead's status changing, into and out of the filtered list", async () => {
    const [moving] = await walked('leads', 20, 'contacted');
    const changed = await server.request('PATCH', `/business/lead/update/${moving}`, { body: { status: 'new' } });
    assert.equal(changed.status, 200, changed.text);
    await checkPages('lead', 'new', 1);
    await checkPages('lead', 'contacted', 1);
    // One lead leaves `contacted` deep in it and another joins at its head: the same total, other pages.
    const [leaving] = await walked('leads', 27, 'contacted');
    const left = await server.request('PATCH', `/business/lead/update/${leaving}`, { body: { status: 'qualified' } });
    assert.equal(left.status, 200, left.text);
    const joined = await server.request('POST', '/business/lead/create', {
      body: { name: 'Joins', status: 'contacted' },
    });
    assert.equal(joined.status, 201, joined.text);
    await checkPages('lead', 'contacted', 1);
  });

  it('follows an insert behind the head (a clock that stepped back)', async () => {
    await checkPages('customer');
    const [behind] = await walked('customers', 60);
    const row = await server.db
      .selectFrom('customers')
      .selectAll()
      .where('businessid', '=', server.businessId)
      .where('id', '=', behind)
      .executeTakeFirstOrThrow();
    // The instant of a record deep in the list, and a newer id: it lands among the records of that instant.
    const id = newId();
    await server.db
      .insertInto('customers')
      .values({ ...row, id, email: 'behind@example.com', emailkey: 'behind@example.com' })
      .execute();
    await checkPages('customer');
  });
});
