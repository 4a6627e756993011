// Search finds a record from the moment its write is acknowledged, before and after it joins the trigram index
// (SQLite indexes new records in batches: migration 0008), through edits in either state; the index stays whole.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { matchesSearch } from '../src/db/search.js';
import { indexPendingSearch } from '../src/db/search-index.js';
import { getList, makeCustomer } from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

for (const engine of engines()) {
  describe(`search before and after indexing (${engine.name})`, () => {
    let server: TestServer;
    before(async () => {
      // No background indexing: the tests choose when pending records join the index.
      server = await startServer(engine, { SEARCH_INDEX_MS: '0' });
    });
    after(() => server.close());

    const total = async (term: string) =>
      (await getList(server, `/business/customer/list?search=${encodeURIComponent(term)}`)).pagination.total;
    const pending = async () =>
      engine.name === 'sqlite'
        ? Number(
            (await sql<{ n: number }>`select count(*) as n from customers_fts_pending`.execute(server.db)).rows[0].n,
          )
        : 0;
    const rename = async (id: string, name: string) => {
      const res = await server.request('PATCH', `/business/customer/update/${id}`, { body: { name } });
      assert.equal(res.status, 200, res.text);
    };

    it('finds a new record at once, and again once it is indexed', async () => {
      const made = await makeCustomer(server, server.secret, { name: 'Zawadi Chepkoech' });
      if (engine.name === 'sqlite') assert.ok((await pending()) >= 1, 'the new record waits for the indexer');
      assert.equal(await total('chepkoech'), 1);
      assert.equal(await total('awadi chep'), 1);
      await indexPendingSearch(server.db);
      assert.equal(await pending(), 0);
      assert.equal(await total('chepkoech'), 1);
      assert.equal((await getList(server, '/business/customer/list?search=chepkoech')).data[0]._id, made._id);
    });

    it('follows edits made before and after a record is indexed, and deletes none of another business', async () => {
      const waiting = await makeCustomer(server, server.secret, { name: 'Baraka Mutua' });
      await rename(waiting._id, 'Baraka Kiprono');
      assert.equal(await total('mutua'), 0);
      assert.equal(await total('kiprono'), 1);
      await indexPendingSearch(server.db);
      assert.equal(await total('kiprono'), 1);
      await rename(waiting._id, 'Baraka Wafula');
      assert.equal(await total('kiprono'), 0);
      assert.equal(await total('wafula'), 1);

      const other = await server.newBusiness('Search Neighbour');
      await makeCustomer(server, other.secret, { name: 'Baraka Wafula' });
      assert.equal(await total('wafula'), 1, "another business's record is not found");
      await indexPendingSearch(server.db);
      assert.equal(await total('wafula'), 1);
    });

    it('reads the pending rows by rowid, never by scanning the table', {
      skip: engine.name !== 'sqlite' && 'SQLite only',
    }, async () => {
      const plan = await sql<{
        detail: string;
      }>`explain query plan select rowid from customers where ${matchesSearch(server.db, 'customers', server.businessId, 'kamau')}`.execute(
        server.db,
      );
      const steps = plan.rows.map((r) => r.detail);
      assert.ok(
        steps.some((d) => /SCAN p\b/.test(d)),
        steps.join(' | '),
      );
      assert.ok(!steps.some((d) => /SCAN (r|customers)\b/.test(d)), steps.join(' | '));
    });

    it('keeps the index consistent with the records', { skip: engine.name !== 'sqlite' && 'SQLite only' }, async () => {
      const made = [];
      for (let i = 0; i < 30; i++) made.push(await makeCustomer(server, server.secret, { name: `Batch Person ${i}` }));
      await indexPendingSearch(server.db, 7);
      assert.ok((await pending()) > 0, 'a partial pass leaves the rest pending');
      assert.equal(await total('batch person'), 30);
      // One indexed record and one still pending are deleted: the indexer's trigger (search-index.ts) fires on the
      // pending row's delete too, and must index nothing for a record that is gone.
      for (const gone of [made[0], made[29]])
        await sql`delete from customers where id = ${gone._id}`.execute(server.db);
      await indexPendingSearch(server.db);
      assert.equal(await total('batch person'), 28);
      // FTS5 checks its own structure; the index keeps no text (migration 0018), so its keys are checked here: every
      // indexed record once, under its business's number and its rowid, and nothing else.
      await sql`insert into customers_fts (customers_fts, rank) values ('integrity-check', 1)`.execute(server.db);
      const keys = async (query: ReturnType<typeof sql<{ k: number }>>) =>
        (await query.execute(server.db)).rows.map((r) => Number(r.k)).sort((a, b) => a - b);
      const indexed = await keys(sql<{ k: number }>`select id as k from customers_fts_docsize`);
      const records = await keys(sql<{ k: number }>`
        select (b.rowid << 40) | r.rowid as k from customers r join businesses b on b.id = r.businessid
        where r.rowid not in (select rowid from customers_fts_pending)`);
      assert.ok(records.length >= 28);
      assert.deepEqual(indexed, records);
    });
  });
}
