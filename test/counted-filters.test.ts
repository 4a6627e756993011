// The kept totals' triggers (migration 0005, frozen) count exactly the filters the code reads kept totals for
// (COUNTED_FILTERS, from each module's `counted: true` filters): a filter counted in code but not by a trigger
// would answer lists with a wrong total. On SQLite each counted column also moves the list anchors' `moves` (0017).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrations/index.js';
import { RECORD_TABLES } from '../src/db/schema.js';
import { COUNTED_FILTERS } from '../src/modules/filters.js';
import { engines } from './helpers/server.js';

/** Per table, the filter columns its triggers keep totals for, read back from the migrated database. */
async function countedByTriggers(url: string): Promise<Record<string, string[]>> {
  const database = await connect(url, 1);
  try {
    await migrateToLatest(database);
    const counted: Record<string, string[]> = {};
    for (const table of RECORD_TABLES) {
      if (database.engine === 'sqlite') {
        // One insert trigger upserts the base total ('') and one total per counted column; one update trigger per column.
        const { rows } = await sql<{ name: string; sql: string }>`
          select name, sql from sqlite_master where type = 'trigger' and tbl_name = ${table} and name like ${`${table}_count_%`}`.execute(
          database.db,
        );
        const insert = rows.find((r) => r.name === `${table}_count_insert`);
        assert.ok(insert, `${table} has no count_insert trigger`);
        const onInsert = [...insert.sql.matchAll(/select new\.businessid, '[a-z]+', '([a-z]*)'/g)].map((m) => m[1]);
        const onUpdate = rows
          .map((r) => r.name.slice(`${table}_count_`.length))
          .filter((name) => name !== 'insert' && name !== 'delete');
        assert.deepEqual(
          onInsert.filter((c) => c !== '').sort(),
          [...onUpdate].sort(),
          `${table}: insert and update triggers differ`,
        );
        // A delete, and a change of each counted column, bump `moves`: read workers' list anchors (migration 0017)
        // are good only while no record moves within a list other than by an insert at its head.
        const moved = await sql<{ name: string }>`
          select name from sqlite_master where type = 'trigger' and tbl_name = ${table} and name like ${`${table}_moved_%`}`.execute(
          database.db,
        );
        assert.deepEqual(
          moved.rows.map((r) => r.name.slice(`${table}_moved_`.length)).sort(),
          ['delete', ...onUpdate].sort(),
          `${table}: moved triggers`,
        );
        counted[table] = onUpdate.sort();
      } else {
        const { rows } = await sql<{ def: string }>`
          select pg_get_triggerdef(t.oid) as def from pg_trigger t
          join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = ${database.schema} and c.relname = ${table} and t.tgname = ${`${table}_counts`}`.execute(
          database.db,
        );
        assert.equal(rows.length, 1, `${table} has no counts trigger`);
        const args = /mteja_count_rows\(([^)]*)\)/.exec(rows[0].def)?.[1] ?? '';
        counted[table] = [...args.matchAll(/'([a-z]+)'/g)].map((m) => m[1]).sort();
      }
    }
    return counted;
  } finally {
    await database.close();
  }
}

for (const engine of engines()) {
  describe(`kept totals (${engine.name})`, () => {
    it('are kept by triggers for exactly the filters COUNTED_FILTERS names', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mteja-counted-'));
      const url = engine.databaseUrl(dir);
      try {
        const expected = Object.fromEntries(RECORD_TABLES.map((t) => [t, [...COUNTED_FILTERS[t]].sort()]));
        assert.deepEqual(await countedByTriggers(url), expected);
      } finally {
        await engine.cleanup(url);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
