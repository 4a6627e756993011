// GroupCommitDriver.committed(): when every write made so far on SQLite's main connection is visible to the others
// (the read workers'), committed or rolled back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqlite, type SqliteHandle } from '../src/db/sqlite.js';

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
