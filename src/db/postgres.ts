// PostgreSQL: a pg pool behind Kysely. `?schema=NAME` in DATABASE_URL confines mteja to one schema (tests use it).
import { Kysely, type KyselyPlugin, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a pool of `poolSize` connections; with `?schema=NAME` the schema is created and put first on the search path. */
export async function openPostgres(
  url: string,
  poolSize: number,
  plugins: KyselyPlugin[] = [],
): Promise<Kysely<Database>> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA.test(schema))
    throw new Error('DATABASE_URL: schema must be a lower-case SQL identifier');
  const admin = new pg.Client({ connectionString: parsed.toString() });
  await admin.connect();
  try {
    if (schema) await admin.query(`create schema if not exists "${schema}"`);
    await ensureTrigramExtension(admin);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    // public stays on the path for extensions (pg_trgm's operator classes live there).
    options: schema ? `-c search_path="${schema}",public` : undefined,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
}

/**
 * Substring search needs pg_trgm. It is made here, outside any migration transaction, because two processes
 * starting at once on a new database race to create it and the loser must be able to look again.
 */
async function ensureTrigramExtension(client: pg.Client) {
  for (let attempt = 0; ; attempt++) {
    const { rowCount } = await client.query(`select 1 from pg_extension where extname = 'pg_trgm'`);
    if (rowCount) return;
    try {
      await client.query('create extension if not exists pg_trgm schema public');
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/** Drops a schema made through `?schema=`; for test clean-up. */
export async function dropSchema(url: string): Promise<void> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  if (!schema || !SCHEMA.test(schema)) return;
  parsed.searchParams.delete('schema');
  const admin = new pg.Client({ connectionString: parsed.toString() });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await admin.end();
  }
}
