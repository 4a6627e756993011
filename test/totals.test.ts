// Kept totals and indexed search stay exact: after creates, pipeline moves, conversions and deactivations,
// every list total equals the records a client can page through, on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customerBody, engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`list totals [${engine.name}]`, () => {
    let server: TestServer;
    let secret: string;
    before(async () => {
      server = await startServer(engine);
      secret = (await server.newBusiness('Totals')).secret;
    });
    after(() => server.close());

    const get = (path: string) => server.request('GET', path, { secret });
    /** The total the list reports, checked against the records it actually pages through. */
    async function total(path: string): Promise<number> {
      const first = await get(`${path}${path.includes('?') ? '&' : '?'}limit=100`);
      assert.equal(first.status, 200, first.text);
      const seen = [...first.body.data];
      for (let page = 2; page <= first.body.pagination.pages; page++)
        seen.push(...(await get(`${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`)).body.data);
      assert.equal(seen.length, first.body.pagination.total, `${path}: the total matches the records listed`);
      return first.body.pagination.total;
    }

    it('follows lead creates, status moves and conversions', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await server.request('POST', '/business/lead/create', {
          secret,
          body: {
            name: `Lead ${i}`,
            email: `lead${i}@totals.example`,
            status: i % 3 ? 'new' : 'contacted',
            source: i % 2 ? 'website' : 'referral',
          },
        });
        ids.push(res.body.data._id);
      }
      assert.equal(await total('/business/lead/list'), 30);
      assert.equal(await total('/business/lead/list?status=new'), 20);
      assert.equal(await total('/business/lead/list?status=contacted'), 10);
      assert.equal(await total('/business/lead/list?source=website'), 15);
      for (const id of ids.slice(0, 5))
        await server.request('PATCH', `/business/lead/update/${id}`, { secret, body: { status: 'qualified' } });
      await server.request('PATCH', `/business/lead/update/${ids[5]}`, { secret, body: { source: null } });
      await server.request('POST', `/business/lead/convert/${ids[6]}`, {
        secret,
        body: { phone: '+254700000000', country: 'Kenya', currency: 'KES' },
      });
      const byStatus = Object.fromEntries(
        await Promise.all(
          ['new', 'contacted', 'qualified', 'converted', 'lost'].map(async (s) => [
            s,
            await total(`/business/lead/list?status=${s}`),
          ]),
        ),
      );
      assert.deepEqual(byStatus, { new: 17, contacted: 7, qualified: 5, converted: 1, lost: 0 });
      assert.equal(await total('/business/lead/list?source=website'), 14, 'lead 5 lost its source');
      assert.equal(await total('/business/lead/list?source=referral'), 15);
      assert.equal(
        await total('/business/lead/list?status=new&source=website'),
        await total('/business/lead/list?source=website&status=new'),
      );
      assert.equal(await total('/business/customer/list'), 1);
    });

    it('follows customer deactivation and type changes, and counts search matches exactly', async () => {
      const made = [];
      for (let i = 0; i < 12; i++)
        made.push(
          (
            await server.request('POST', '/business/customer/create', {
              secret,
              body: customerBody({
                name: `Wanjiru ${i % 2 ? 'Otieno' : 'Kamau'}`,
                type: i < 4 ? 'business' : 'individual',
              }),
            })
          ).body.data,
        );
      const before = await total('/business/customer/list');
      await server.request('PATCH', `/business/customer/update/${made[0]._id}`, {
        secret,
        body: { active: false, type: 'individual' },
      });
      assert.equal(await total('/business/customer/list?active=false'), 1);
      assert.equal(await total('/business/customer/list?active=true'), before - 1);
      assert.equal(await total('/business/customer/list?type=business'), 3);
      assert.equal(await total('/business/customer/list?search=kamau'), 6);
      assert.equal(await total('/business/customer/list?search=ka'), 6, 'a 2-character term is still exact');
      assert.equal(await total('/business/customer/list?search=w'), 12, 'and a 1-character one');
      await server.request('PATCH', `/business/customer/update/${made[1]._id}`, {
        secret,
        body: { name: 'Achieng Kamau' },
      });
      assert.equal(await total('/business/customer/list?search=kamau'), 7, 'search follows an update');
      assert.equal(await total('/business/customer/list?search=otieno'), 5);
    });

    it("keeps one business's totals apart from another's", async () => {
      const other = await server.newBusiness('Totals Other');
      await server.request('POST', '/business/lead/create', {
        secret: other.secret,
        body: { name: 'Elsewhere', status: 'new' },
      });
      const theirs = await server.request('GET', '/business/lead/list?status=new', { secret: other.secret });
      assert.equal(theirs.body.pagination.total, 1);
    });
  });
}
