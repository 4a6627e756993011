// Hot queries compiled once (db/engine.ts runCompiled, db/records.ts insertRow) on every engine: a caller whose
// parameters drift from its builder fails at once, and a row with an undefined field never poisons later inserts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type Db } from '../src/db/connect.js';
import { runCompiled } from '../src/db/engine.js';
import { newId, now } from '../src/db/ids.js';
import { migrateToLatest } from '../src/db/migrations/index.js';
import { getRow, insertRow } from '../src/db/records.js';
import type { ContactTable } from '../src/db/schema.js';
import { createBusiness } from '../src/modules/business/business.store.js';
import { engines } from './helpers/server.js';

for (const engine of engines()) {
  describe(`compiled queries (${engine.name})`, () => {
    let dir: string;
    let url: string;
    let database: Db;
    let businessId: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mteja-compiled-'));
      url = engine.databaseUrl(dir);
      database = await connect(url, 2);
      await migrateToLatest(database);
      businessId = (await createBusiness(database.db, { name: 'Compiled', plan: 'free' })).business._id;
    });
    after(async () => {
      await database.close();
      await engine.cleanup(url);
      rmSync(dir, { recursive: true, force: true });
    });

    const contact = (fields: Partial<ContactTable>) => ({
      businessid: businessId,
      id: newId(),
      name: 'Amina Hassan',
      email: 'amina@example.com',
      phone: null,
      position: null,
      companyname: null,
      active: 1,
      sourceorigin: 'api',
      searchtext: 'amina hassan',
      createdat: now(),
      updatedat: now(),
      ...fields,
    });

    it('inserts rows with an undefined field, then rows of the full shape, each as given', async () => {
      const sparse = contact({ email: undefined, position: undefined });
      const full = contact({ email: 'full@example.com', position: 'Director' });
      const again = contact({ email: undefined, companyname: 'Acme' });
      for (const row of [sparse, full, again]) await insertRow(database.db, 'contacts', row);
      const read = async (id: string) => getRow<ContactTable>(database.db, 'contacts', businessId, id);
      assert.equal((await read(sparse.id))?.email, null);
      assert.equal((await read(full.id))?.email, 'full@example.com');
      assert.equal((await read(full.id))?.position, 'Director');
      assert.equal((await read(again.id))?.companyname, 'Acme');
    });

    it('refuses, on first compile, parameters that are not the ones the builder binds', async () => {
      const build = () =>
        database.db
          .selectFrom('contacts')
          .selectAll()
          .where('businessid', '=', businessId)
          .where('name', '=', 'x')
          .compile();
      await assert.rejects(
        () => runCompiled(database.db, `test mismatched ${engine.name}`, build, [businessId]),
        /the parameters passed are not the ones the query binds/,
      );
      await assert.rejects(
        () => runCompiled(database.db, `test reordered ${engine.name}`, build, ['x', businessId]),
        /the parameters passed are not the ones the query binds/,
      );
      const { rows } = await runCompiled(database.db, `test matching ${engine.name}`, build, [businessId, 'x']);
      assert.deepEqual(rows, []);
    });
  });
}
