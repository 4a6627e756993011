// SQLite rows are read as arrays and made into objects by one literal per statement (db/sqlite-driver.ts RowReader):
// the objects must be exactly those better-sqlite3's own object mode makes, whatever the columns are called, and
// follow the schema when it changes under a prepared statement (another process migrating the file).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { sql } from 'kysely';
import { openSqlite } from '../src/db/sqlite.js';
import { preparedOnce, RowReader } from '../src/db/sqlite-driver.js';

describe('rows read as arrays (SQLite)', () => {
  let dir: string;
  let sqlite: BetterSqlite3.Database;
  let prepare: (sql: string) => BetterSqlite3.Statement;
  let reader: RowReader;
  const readRows = (statement: BetterSqlite3.Statement, parameters: unknown[]) => reader.rows(statement, parameters);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mteja-read-rows-'));
    sqlite = new BetterSqlite3(join(dir, 'rows.db'));
    prepare = preparedOnce(sqlite);
    reader = new RowReader(sqlite);
    sqlite.exec(`create table t (a integer, b text, c real, d blob);
      insert into t values (1, 'one', 1.5, x'01'), (2, null, null, null), (3, 'três "3"', -0.25, x'')`);
  });
  after(() => {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What better-sqlite3's object mode reads, on a statement of its own. */
  const objectMode = (sql: string, parameters: unknown[] = []) => sqlite.prepare(sql).all(parameters);

  it('makes the objects object mode makes, values and column order alike', () => {
    for (const sql of [
      'select * from t order by a',
      'select a, b from t where a > ? order by a',
      'select count(*) as n from t',
      'select a as x, b as x from t order by a',
      'select a, a + 1, upper(b) from t order by a',
      'select a as "weird ""name"" ", b as "constructor", c as "toString" from t order by a',
    ]) {
      const parameters = sql.includes('?') ? [1] : [];
      const rows = readRows(prepare(sql), parameters);
      assert.deepStrictEqual(rows, objectMode(sql, parameters), sql);
      for (const [i, row] of rows.entries())
        assert.deepEqual(Object.keys(row as object), Object.keys(objectMode(sql, parameters)[i] as object), sql);
    }
  });

  it('leaves the statement in object mode for its other users', () => {
    const statement = prepare('select a from t order by a');
    readRows(statement, []);
    assert.deepEqual(statement.get(), { a: 1 });
  });

  it("never lets a column named __proto__ set a row object's prototype", () => {
    const sql = `select json_object('x', 1) as "__proto__", b from t order by a`;
    const rows = readRows(prepare(sql), []) as object[];
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    assert.deepStrictEqual(rows, objectMode(sql));
  });

  it('follows a table whose columns changed after its statement was prepared: added, renamed, dropped', () => {
    const statement = prepare('select * from t order by a');
    const check = () => assert.deepStrictEqual(readRows(statement, []), objectMode('select * from t order by a'));
    check();
    for (const ddl of [
      `alter table t add column e text default 'added'`,
      'alter table t rename column b to bb',
      'alter table t drop column c',
      `alter table t add column "__proto__" text default 'sneaky'`,
    ]) {
      sqlite.exec(ddl);
      reader.stale();
      check();
    }
    assert.ok(Object.hasOwn(readRows(statement, [])[0] as object, 'bb'));
  });

  it('runs a statement once, even when its columns changed since it was last read', () => {
    sqlite.exec('create table w (n integer)');
    const statement = prepare('insert into w (n) values (1) returning *');
    readRows(statement, []);
    sqlite.exec(`alter table w add column "__proto__" text`);
    reader.stale();
    readRows(statement, []);
    assert.deepEqual(sqlite.prepare('select count(*) as n from w').get(), { n: 2 });
  });

  it('agrees with object mode for any column names and values', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 8 }), (columns) => {
        const sql = `select ${columns.map((_, i) => `? as "${columns[i][0].replaceAll('"', '""')}"`).join(', ')}`;
        const parameters = columns.map(([, v]) => v);
        assert.deepStrictEqual(readRows(sqlite.prepare(sql), parameters), objectMode(sql, parameters));
      }),
      { numRuns: 300 },
    );
  });

  it('follows a column renamed by another connection, through the group commit driver', async () => {
    const file = join(dir, 'driver.db');
    const { db } = openSqlite(file);
    try {
      await sql`create table r (a integer, b text)`.execute(db);
      await sql`insert into r values (1, 'x')`.execute(db);
      // Committed at the end of the turn (the group commit).
      await new Promise((resolve) => setImmediate(resolve));
      const read = async () => (await sql`select * from r`.execute(db)).rows;
      assert.deepStrictEqual(await read(), [{ a: 1, b: 'x' }]);
      const other = new BetterSqlite3(file);
      other.exec('alter table r rename column b to renamed');
      other.close();
      // The next turn's snapshot sees the new schema.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepStrictEqual(await read(), [{ a: 1, renamed: 'x' }]);
    } finally {
      await db.destroy();
    }
  });
});
