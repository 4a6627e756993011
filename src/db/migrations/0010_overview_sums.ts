// The overview at a million records: per business, table, status and bucket (a quote's or contract's currency, a
// booking's UTC day), how many records and the sum of their money in cents, kept by triggers in the same transaction
// as every write (like record_counts of 0005), and backfilled from the rows already there. And an index of bookings
// by status and start, for the scheduled bookings of the days ahead.
import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';
import { textType } from './0001_init.js';

/**
 * What is summed, per table, as it was when this migration was released (a migration never changes with the code):
 * the column whose value is the bucket (its first `chars` characters; 0 for all of it), and the money column summed
 * in cents ('' for none). A booking's starttime is an ISO instant in UTC, so its first 10 characters are its UTC day.
 */
const SUMMED: Record<string, { bucket: string; chars: number; cents: string }> = {
  quotes: { bucket: 'currency', chars: 0, cents: 'total' },
  contracts: { bucket: 'currency', chars: 0, cents: 'value' },
  bookings: { bucket: 'starttime', chars: 10, cents: '' },
};
const TABLES = Object.keys(SUMMED);
/** PostgreSQL spreads each sum over this many rows, so concurrent writers of one business rarely wait on one row lock. */
const PG_SLOTS = 8;

const raw = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

/** SQLite's expressions for a row's bucket and cents. Money is stored rounded to cents, so round() only drops float noise. */
function sqliteTerms(table: string, ref: 'new' | 'old' | '') {
  const { bucket, chars, cents } = SUMMED[table];
  const col = (c: string) => (ref ? `${ref}.${c}` : c);
  return {
    bucket: chars ? `substr(${col(bucket)}, 1, ${chars})` : col(bucket),
    cents: cents ? `cast(round(${col(cents)} * 100) as integer)` : '0',
  };
}

async function sqliteSums(db: Kysely<unknown>) {
  for (const table of TABLES) {
    const add = (ref: 'new' | 'old', sign: 1 | -1) => {
      const { bucket, cents } = sqliteTerms(table, ref);
      return `insert into kept_sums (businessid, tablename, status, bucket, slot, n, cents)
        values (${ref}.businessid, '${table}', ${ref}.status, ${bucket}, 0, ${sign}, ${sign} * ${cents})
        on conflict (businessid, tablename, status, bucket, slot) do update set n = n + excluded.n, cents = cents + excluded.cents;`;
    };
    const { bucket, cents } = SUMMED[table];
    const columns = ['status', bucket, ...(cents ? [cents] : [])];
    const changed = columns.map((c) => `old.${c} is not new.${c}`).join(' or ');
    await raw(db, `create trigger ${table}_sum_insert after insert on ${table} begin ${add('new', 1)} end`);
    await raw(db, `create trigger ${table}_sum_delete after delete on ${table} begin ${add('old', -1)} end`);
    await raw(
      db,
      `create trigger ${table}_sum_update after update of ${columns.join(', ')} on ${table} when ${changed} begin
        ${add('old', -1)} ${add('new', 1)} end`,
    );
  }
}

async function postgresSums(db: Kysely<unknown>) {
  // Arguments: the bucket column, how many of its characters (0 for all), the money column ('' for none).
  await raw(
    db,
    `create function mteja_sum_rows() returns trigger language plpgsql as $$
    declare
      myslot int := floor(random() * ${PG_SLOTS})::int;
      bcol text := TG_ARGV[0];
      chars int := TG_ARGV[1]::int;
      ccol text := TG_ARGV[2];
      o jsonb;
      nw jsonb;
      obucket text;
      nbucket text;
      ocents numeric := 0;
      ncents numeric := 0;
    begin
      if TG_OP <> 'INSERT' then
        o := to_jsonb(OLD);
        obucket := case when chars > 0 then left(o->>bcol, chars) else o->>bcol end;
        if ccol <> '' then ocents := round(((o->>ccol)::float8)::numeric * 100); end if;
      end if;
      if TG_OP <> 'DELETE' then
        nw := to_jsonb(NEW);
        nbucket := case when chars > 0 then left(nw->>bcol, chars) else nw->>bcol end;
        if ccol <> '' then ncents := round(((nw->>ccol)::float8)::numeric * 100); end if;
      end if;
      if TG_OP = 'UPDATE' and o->>'status' = nw->>'status' and obucket = nbucket and ocents = ncents then
        return null;
      end if;
      if o is not null then
        insert into kept_sums as ks values (o->>'businessid', TG_TABLE_NAME, o->>'status', obucket, myslot, -1, -ocents)
        on conflict (businessid, tablename, status, bucket, slot) do update set n = ks.n + excluded.n, cents = ks.cents + excluded.cents;
      end if;
      if nw is not null then
        insert into kept_sums as ks values (nw->>'businessid', TG_TABLE_NAME, nw->>'status', nbucket, myslot, 1, ncents)
        on conflict (businessid, tablename, status, bucket, slot) do update set n = ks.n + excluded.n, cents = ks.cents + excluded.cents;
      end if;
      return null;
    end $$`,
  );
  for (const table of TABLES) {
    const { bucket, chars, cents } = SUMMED[table];
    const columns = ['status', bucket, ...(cents ? [cents] : [])].join(', ');
    await raw(
      db,
      `create trigger ${table}_sums after insert or delete or update of ${columns} on ${table}
        for each row execute function mteja_sum_rows('${bucket}', '${chars}', '${cents}')`,
    );
  }
}

/** Sums for the rows already there when the migration runs: a business with a million rows is exact at once. */
async function backfill(db: Kysely<unknown>) {
  const postgres = engineOf(db) === 'postgres';
  for (const table of TABLES) {
    const { bucket, chars, cents } = SUMMED[table];
    const bucketOf = chars ? `substr(${bucket}, 1, ${chars})` : bucket;
    // The same arithmetic as the triggers: PostgreSQL reads the double as numeric, SQLite rounds the double.
    const centsOf = !cents ? '0' : postgres ? `round(${cents}::numeric * 100)` : sqliteTerms(table, '').cents;
    await raw(
      db,
      `insert into kept_sums (businessid, tablename, status, bucket, slot, n, cents)
        select businessid, '${table}', status, ${bucketOf}, 0, count(*), sum(${centsOf}) from ${table}
        group by businessid, status, ${bucketOf}`,
    );
  }
}

export const overviewSums: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    await db.schema
      .createTable('kept_sums')
      .addColumn('businessid', T, (c) => c.notNull())
      .addColumn('tablename', T, (c) => c.notNull())
      .addColumn('status', T, (c) => c.notNull())
      .addColumn('bucket', T, (c) => c.notNull())
      .addColumn('slot', 'integer', (c) => c.notNull())
      .addColumn('n', 'bigint', (c) => c.notNull())
      // Exact and unbounded on PostgreSQL; an integer on SQLite (a float only past 2^63 cents).
      .addColumn('cents', 'numeric', (c) => c.notNull())
      .addPrimaryKeyConstraint('kept_sums_pkey', ['businessid', 'tablename', 'status', 'bucket', 'slot'])
      .execute();
    // Bookings by status in time order: the days ahead and the rest of today are read from the index alone.
    await db.schema
      .createIndex('bookings_by_status_starttime')
      .on('bookings')
      .columns(['businessid', 'status', 'starttime'])
      .execute();
    // Triggers first: on PostgreSQL creating them locks each table against writes until the migration commits, so
    // no write can land between the backfill's reading and the triggers' counting.
    if (engineOf(db) === 'postgres') await postgresSums(db);
    else await sqliteSums(db);
    await backfill(db);
  },
  async down(db: Kysely<unknown>) {
    const postgres = engineOf(db) === 'postgres';
    for (const table of TABLES) {
      if (postgres) await raw(db, `drop trigger if exists ${table}_sums on ${table}`);
      else for (const t of ['insert', 'delete', 'update']) await raw(db, `drop trigger if exists ${table}_sum_${t}`);
    }
    if (postgres) await raw(db, 'drop function if exists mteja_sum_rows()');
    await db.schema.dropIndex('bookings_by_status_starttime').execute();
    await db.schema.dropTable('kept_sums').execute();
  },
};
