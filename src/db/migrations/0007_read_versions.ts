// Read versions (PostgreSQL): the base row of each kept total (record_counts, col = '') also counts every insert,
// update and delete of that business's records in that table, in the same transaction as the write, so every node
// sees the same version. A kept list answer is tagged with the version it was read at and served only while it is
// unchanged (src/http/read-cache.ts). SQLite has one writer process and counts in memory instead (src/db/sqlite.ts).
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

const PG_SLOTS = 8;

const raw = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

/** PostgreSQL: the row trigger of 0005, now bumping v as well (in a random one of the 8 slots, like the totals). */
async function postgresVersions(db: Kysely<unknown>) {
  await raw(
    db,
    `create or replace function mteja_count_rows() returns trigger language plpgsql as $$
    declare
      fcol text;
      myslot int := floor(random() * ${PG_SLOTS})::int;
      o jsonb;
      nw jsonb;
    begin
      if TG_OP <> 'INSERT' then o := to_jsonb(OLD); end if;
      if TG_OP <> 'DELETE' then nw := to_jsonb(NEW); end if;
      insert into record_counts as rc (businessid, tablename, col, val, slot, n, v)
        values (coalesce(nw, o)->>'businessid', TG_TABLE_NAME, '', '', myslot, case TG_OP when 'INSERT' then 1 when 'DELETE' then -1 else 0 end, 1)
        on conflict (businessid, tablename, col, val, slot) do update set n = rc.n + excluded.n, v = rc.v + 1;
      if TG_NARGS = 0 then return null; end if;
      foreach fcol in array TG_ARGV loop
        if o is not null and o->>fcol is not null and (nw is null or (nw->>fcol) is distinct from (o->>fcol)) then
          insert into record_counts as rc (businessid, tablename, col, val, slot, n) values (o->>'businessid', TG_TABLE_NAME, fcol, o->>fcol, myslot, -1)
          on conflict (businessid, tablename, col, val, slot) do update set n = rc.n - 1;
        end if;
        if nw is not null and nw->>fcol is not null and (o is null or (nw->>fcol) is distinct from (o->>fcol)) then
          insert into record_counts as rc (businessid, tablename, col, val, slot, n) values (nw->>'businessid', TG_TABLE_NAME, fcol, nw->>fcol, myslot, 1)
          on conflict (businessid, tablename, col, val, slot) do update set n = rc.n + 1;
        end if;
      end loop;
      return null;
    end $$`,
  );
}

export const readVersions: Migration = {
  async up(db: Kysely<unknown>) {
    if (engineOf(db) !== 'postgres') return;
    await db.schema
      .alterTable('record_counts')
      .addColumn('v', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await postgresVersions(db);
  },
  async down(db: Kysely<unknown>) {
    if (engineOf(db) === 'postgres')
      throw new Error('0007_read_versions: restore mteja_count_rows from 0005 to go down');
  },
};
