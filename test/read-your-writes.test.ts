// Lists on SQLite's read workers see every write this process made before asking, acknowledged or not: a write on
// the server's own connection (a store called in process, as the CLI, the dashboard or a test calls one) that has
// not committed yet when the list arrives is waited for (GroupCommitDriver.committed()), not missed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqlite, type SqliteHandle } from '../src/db/sqlite.js';
import { createLeads } from '../src/modules/lead/lead.store.js';
import { getList } from './helpers/fixtures.js';
import { sqlite, startServer, type TestServer } from './helpers/server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Runs `write` as each request arrives, before the server sees it: the write has run, and its group not yet committed
 * (that happens at the end of the turn), when the request's handler starts.
 */
function writeOnArrival(server: TestServer, write: () => Promise<void>): () => void {
  const http = server.app.server.server;
  const [handler] = http.listeners('request') as Handler[];
  const writing: Handler = (req, res) => void write().then(() => handler(req, res));
  http.removeListener('request', handler);
  http.on('request', writing);
  return () => {
    http.removeListener('request', writing);
    http.on('request', handler);
  };
}

describe('lists on read workers (sqlite)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(sqlite, { SQLITE_READ_WORKERS: '2' });
    server.app.database.startReads();
  });
  after(() => server.close());

  it('see a write made on the server’s own connection as the list request arrives, before it commits', async () => {
    const biz = await server.newBusiness('Own Connection');
    let made = 0;
    const restore = writeOnArrival(server, async () => {
      await createLeads(server.db, biz.businessId, [{ name: `Written ${++made}` }], 'api');
      // A transaction holding the connection keeps the write's group from committing for 100 ms: long enough for a
      // worker to read a page that misses it, were the list not waiting for the commit.
      void server.db.transaction().execute(() => new Promise((resolve) => setTimeout(resolve, 100)));
    });
    try {
      for (let i = 1; i <= 10; i++) {
        const page = await getList(server, '/business/lead/list?limit=1', biz.secret);
        assert.equal(page.pagination.total, i, `total after write ${i}`);
        assert.equal(page.data[0].name, `Written ${i}`, `page 1 after write ${i}`);
      }
    } finally {
      restore();
    }
  });

  it('see a write made on the server’s own connection and listed next, without waiting for it to be durable', async () => {
    const biz = await server.newBusiness('Listed Next');
    for (let i = 1; i <= 10; i++) {
      await createLeads(server.db, biz.businessId, [{ name: `Listed ${i}` }], 'api');
      const page = await getList(server, '/business/lead/list?limit=1', biz.secret);
      assert.equal(page.pagination.total, i, `total after write ${i}`);
      assert.equal(page.data[0].name, `Listed ${i}`, `page 1 after write ${i}`);
    }
  });
});

describe('GroupCommitDriver.committed()', () => {
  let dir: string;
  let handle: SqliteHandle;
  /** Another connection to the file, as a read worker has: it sees only committed rows. */
  let other: BetterSqlite3.Database;
  const seen = () => other.prepare('select name from things order by name').pluck().all();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mteja-committed-'));
    handle = openSqlite(join(dir, 'committed.db'));
    // A deferred foreign key is checked at commit: a group holding a dangling reference fails to commit.
    await sql`create table things (name text primary key, parent text references things (name) deferrable initially deferred)`.execute(
      handle.db,
    );
    await handle.driver.durable();
    other = new BetterSqlite3(join(dir, 'committed.db'), { readonly: true });
  });
  after(async () => {
    other.close();
    await handle.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is undefined with no write awaiting its commit, reads and open transactions included', async () => {
    assert.equal(handle.driver.committed(), undefined);
    await sql`select count(*) from things`.execute(handle.db);
    assert.equal(handle.driver.committed(), undefined, 'after a read');
    await handle.db.transaction().execute(async (trx) => {
      await sql`insert into things (name) values ('inside')`.execute(trx);
      assert.equal(handle.driver.committed(), undefined, 'a write of a transaction still open is not made yet');
    });
    const afterTransaction = handle.driver.committed();
    assert.ok(afterTransaction, 'once the transaction has committed into the group');
    await afterTransaction;
    assert.deepEqual(seen(), ['inside']);
    assert.equal(handle.driver.committed(), undefined, 'after its group committed');
  });

  it('resolves once the write is visible to other connections', async () => {
    await sql`insert into things (name) values ('outside')`.execute(handle.db);
    assert.deepEqual(seen(), ['inside'], 'not yet committed');
    const committed = handle.driver.committed();
    assert.ok(committed);
    assert.equal(handle.driver.committed(), committed, 'one promise per group');
    await committed;
    assert.deepEqual(seen(), ['inside', 'outside']);
  });

  it('resolves, not rejects, when the commit fails: readers then see the state from before the group', async () => {
    await sql`insert into things (name, parent) values ('orphan', 'nobody')`.execute(handle.db);
    const durable = handle.driver.durable();
    const committed = handle.driver.committed();
    assert.ok(committed);
    await committed;
    await assert.rejects(durable, /FOREIGN KEY/);
    assert.deepEqual(seen(), ['inside', 'outside']);
    assert.deepEqual((await sql<{ name: string }>`select name from things order by name`.execute(handle.db)).rows, [
      { name: 'inside' },
      { name: 'outside' },
    ]);
  });
});
