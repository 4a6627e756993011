// SQLite rows are read as arrays and made into objects by one literal per statement (db/sqlite-driver.ts readRows):
// the objects must be exactly those better-sqlite3's own object mode makes, whatever the columns are called.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { preparedOnce, readRows } from '../src/db/sqlite-driver.js';

describe('rows read as arrays (SQLite)', () => {
  let dir: string;
  let sqlite: BetterSqlite3.Database;
  let prepare: (sql: string) => BetterSqlite3.Statement;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mteja-read-rows-'));
    sqlite = new BetterSqlite3(join(dir, 'rows.db'));
    prepare = preparedOnce(sqlite);
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

  it('follows a table whose columns changed after its statement was prepared', () => {
    const statement = prepare('select * from t order by a');
    readRows(statement, []);
    sqlite.exec(`alter table t add column e text default 'added'`);
    assert.deepStrictEqual(readRows(statement, []), objectMode('select * from t order by a'));
    assert.equal((readRows(statement, [])[0] as { e: string }).e, 'added');
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
});
