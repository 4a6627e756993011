// Speed at a million records: kept totals (record_counts, maintained by triggers on every write) on both engines,
// and on SQLite an FTS5 trigram index per table for substring search (PostgreSQL has its pg_trgm index from 0002).
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';
import { textType } from './0001_init.js';

/**
 * The filters whose totals are kept, per table, as they were when this migration was released: a migration never
 * changes with the code. Counting another filter takes a new migration; test/counted-filters.test.ts checks that the
 * triggers of a migrated database count exactly what the modules declare counted (src/modules/filters.ts).
 */
export const COUNTED_FILTERS: Record<string, readonly string[]> = {
  customers: ['type', 'active'],
  leads: ['status', 'source'],
  contacts: [],
  quotes: ['status', 'customerid'],
  contracts: ['status', 'type', 'customerid'],
  appointments: ['status', 'category'],
  bookings: ['status', 'appointmentid', 'customerid'],
};
const TABLES = Object.keys(COUNTED_FILTERS);
/** PostgreSQL spreads each total over this many rows, so concurrent writers of one business rarely wait on one row lock. */
const PG_SLOTS = 8;

const raw = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

async function sqliteCounts(db: Kysely<unknown>) {
  const upsert = (ref: 'new' | 'old', col: string, delta: 1 | -1) => {
    const val = col === '' ? `''` : `cast(${ref}.${col} as text)`;
    const when = col === '' ? '' : `where ${ref}.${col} is not null`;
    return `insert into record_counts (businessid, tablename, col, val, slot, n)
      select ${ref}.businessid, '%T', '${col}', ${val}, 0, ${delta} ${when || 'where true'}
      on conflict (businessid, tablename, col, val, slot) do update set n = n + ${delta};`;
  };
  for (const table of TABLES) {
    const cols = ['', ...COUNTED_FILTERS[table]];
    const body = (ref: 'new' | 'old', delta: 1 | -1) =>
      cols
        .map((c) => upsert(ref, c, delta))
        .join('\n')
        .replaceAll('%T', table);
    await raw(db, `create trigger ${table}_count_insert after insert on ${table} begin ${body('new', 1)} end`);
    await raw(db, `create trigger ${table}_count_delete after delete on ${table} begin ${body('old', -1)} end`);
    for (const col of COUNTED_FILTERS[table]) {
      await raw(
        db,
        `create trigger ${table}_count_${col} after update of ${col} on ${table} when old.${col} is not new.${col} begin
          ${upsert('old', col, -1).replaceAll('%T', table)}
          ${upsert('new', col, 1).replaceAll('%T', table)}
        end`,
      );
    }
  }
}

async function postgresCounts(db: Kysely<unknown>) {
  await raw(
    db,
    `create function mteja_count_rows() returns trigger language plpgsql as $$
    declare
      fcol text;
      myslot int := floor(random() * ${PG_SLOTS})::int;
      o jsonb;
      nw jsonb;
    begin
      if TG_OP <> 'INSERT' then o := to_jsonb(OLD); end if;
      if TG_OP <> 'DELETE' then nw := to_jsonb(NEW); end if;
      if TG_OP = 'INSERT' or TG_OP = 'DELETE' then
        insert into record_counts as rc values (coalesce(nw, o)->>'businessid', TG_TABLE_NAME, '', '', myslot, case when TG_OP = 'INSERT' then 1 else -1 end)
        on conflict (businessid, tablename, col, val, slot) do update set n = rc.n + excluded.n;
      end if;
      if TG_NARGS = 0 then return null; end if;
      foreach fcol in array TG_ARGV loop
        if o is not null and o->>fcol is not null and (nw is null or (nw->>fcol) is distinct from (o->>fcol)) then
          insert into record_counts as rc values (o->>'businessid', TG_TABLE_NAME, fcol, o->>fcol, myslot, -1)
          on conflict (businessid, tablename, col, val, slot) do update set n = rc.n - 1;
        end if;
        if nw is not null and nw->>fcol is not null and (o is null or (nw->>fcol) is distinct from (o->>fcol)) then
          insert into record_counts as rc values (nw->>'businessid', TG_TABLE_NAME, fcol, nw->>fcol, myslot, 1)
          on conflict (businessid, tablename, col, val, slot) do update set n = rc.n + 1;
        end if;
      end loop;
      return null;
    end $$`,
  );
  for (const table of TABLES) {
    const args = COUNTED_FILTERS[table].map((c) => `'${c}'`).join(', ');
    await raw(
      db,
      `create trigger ${table}_counts after insert or update or delete on ${table} for each row execute function mteja_count_rows(${args})`,
    );
  }
}

/** Totals for the rows already there when the migration runs. */
async function backfill(db: Kysely<unknown>) {
  for (const table of TABLES) {
    await raw(
      db,
      `insert into record_counts select businessid, '${table}', '', '', 0, count(*) from ${table} group by businessid`,
    );
    for (const col of COUNTED_FILTERS[table]) {
      await raw(
        db,
        `insert into record_counts select businessid, '${table}', '${col}', cast(${col} as text), 0, count(*) from ${table} where ${col} is not null group by businessid, ${col}`,
      );
    }
  }
}

async function sqliteSearchIndex(db: Kysely<unknown>) {
  for (const table of TABLES) {
    // External content: the index holds trigrams only; the text stays in the table. Its key is the table's rowid.
    await raw(
      db,
      `create virtual table ${table}_fts using fts5(searchtext, content='${table}', content_rowid='rowid', tokenize='trigram case_sensitive 1')`,
    );
    await raw(
      db,
      `create trigger ${table}_fts_insert after insert on ${table} begin insert into ${table}_fts (rowid, searchtext) values (new.rowid, new.searchtext); end`,
    );
    await raw(
      db,
      `create trigger ${table}_fts_delete after delete on ${table} begin insert into ${table}_fts (${table}_fts, rowid, searchtext) values ('delete', old.rowid, old.searchtext); end`,
    );
    await raw(
      db,
      `create trigger ${table}_fts_update after update of searchtext on ${table} begin
        insert into ${table}_fts (${table}_fts, rowid, searchtext) values ('delete', old.rowid, old.searchtext);
        insert into ${table}_fts (rowid, searchtext) values (new.rowid, new.searchtext);
      end`,
    );
    await raw(db, `insert into ${table}_fts (${table}_fts) values ('rebuild')`);
  }
}

export const countsAndFts: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    await db.schema
      .createTable('record_counts')
      .addColumn('businessid', T, (c) => c.notNull())
      .addColumn('tablename', T, (c) => c.notNull())
      .addColumn('col', T, (c) => c.notNull())
      .addColumn('val', T, (c) => c.notNull())
      .addColumn('slot', 'integer', (c) => c.notNull())
      .addColumn('n', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('record_counts_pkey', ['businessid', 'tablename', 'col', 'val', 'slot'])
      .execute();
    await backfill(db);
    if (engineOf(db) === 'postgres') {
      await postgresCounts(db);
    } else {
      await sqliteCounts(db);
      await sqliteSearchIndex(db);
    }
  },
  async down(db: Kysely<unknown>) {
    const postgres = engineOf(db) === 'postgres';
    for (const table of TABLES) {
      if (postgres) await raw(db, `drop trigger if exists ${table}_counts on ${table}`);
      else {
        for (const t of [
          'count_insert',
          'count_delete',
          'fts_insert',
          'fts_delete',
          'fts_update',
          ...COUNTED_FILTERS[table].map((c) => `count_${c}`),
        ]) {
          await raw(db, `drop trigger if exists ${table}_${t}`);
        }
        await raw(db, `drop table if exists ${table}_fts`);
      }
    }
    if (postgres) await raw(db, 'drop function if exists mteja_count_rows()');
    await db.schema.dropTable('record_counts').execute();
  },
};
