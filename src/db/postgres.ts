// PostgreSQL: a pg pool behind Kysely. `?schema=NAME` in DATABASE_URL confines mteja to one schema (tests use it).
// A lost connection never takes the process down, and no query waits on the network longer than its timeouts.
import { Kysely, type KyselyPlugin, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** How long PostgreSQL may take; 0 waits for ever (the CLI's migrations and tools). */
export interface PostgresTimeouts {
  /** Opening a connection, and waiting for a free one when the pool is busy. */
  connectMs: number;
  /**
   * A statement: PostgreSQL cancels it past this (the connection stays usable), and a transaction left idle that long
   * is ended. A statement whose answer has not come a second later is taken to be lost on the network: its
   * connection is closed, and the pool opens a fresh one for the next query.
   */
  queryMs: number;
}

const NO_TIMEOUTS: PostgresTimeouts = { connectMs: 0, queryMs: 0 };

/** What the client gives an answer beyond the server's own statement timeout before it gives up on the connection. */
const NETWORK_GRACE_MS = 1000;

/** pg's settings for one client under these timeouts. */
export function clientTimeouts({ connectMs, queryMs }: PostgresTimeouts): pg.ClientConfig {
  return {
    connectionTimeoutMillis: connectMs || undefined,
    statement_timeout: queryMs || undefined,
    idle_in_transaction_session_timeout: queryMs || undefined,
    query_timeout: queryMs ? queryMs + NETWORK_GRACE_MS : undefined,
    // Finds a connection that died silently while idle, where the operating system allows.
    keepAlive: true,
  };
}

/**
 * A pg client that outlives its connection. pg-pool listens for 'error' only while a client is idle: one that fails
 * while a query holds it (ECONNRESET mid-query, the server shutting down) emitted an unhandled 'error' and ended the
 * process. Its queries fail on their own; here the event is only acknowledged, and the pool drops the client when it
 * comes back unusable. A query that outlived query_timeout closes the connection, since its answer may never come.
 */
export class SafeClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    this.on('error', () => {});
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise)
        result.catch((error: Error) => {
          if (error?.message === 'Query read timeout') dropConnection(this);
        });
      return result;
    }) as pg.Client['query'];
  }
}

/** Closes a client's socket at once: end() would wait for a goodbye that a cut-off server never sends. */
export function dropConnection(client: pg.Client) {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/**
 * Opens a pool of `poolSize` connections; with `?schema=NAME` the schema is created and put first on the search path.
 * `timeouts` bound every wait on the database (none by default, for the CLI).
 */
export async function openPostgres(
  url: string,
  poolSize: number,
  plugins: KyselyPlugin[] = [],
  timeouts: PostgresTimeouts = NO_TIMEOUTS,
): Promise<Kysely<Database>> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA.test(schema))
    throw new Error('DATABASE_URL: schema must be a lower-case SQL identifier');
  const admin = new SafeClient({
    connectionString: parsed.toString(),
    connectionTimeoutMillis: timeouts.connectMs || undefined,
  });
  await admin.connect();
  try {
    if (schema) await admin.query(`create schema if not exists "${schema}"`);
    await ensureSearchExtensions(admin);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({
    Client: SafeClient as unknown as new () => pg.ClientBase,
    connectionString: parsed.toString(),
    max: poolSize,
    application_name: 'mteja',
    // public stays on the path for extensions (pg_trgm's operator classes live there).
    options: schema ? `-c search_path="${schema}",public` : undefined,
    ...clientTimeouts(timeouts),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
}

/**
 * Substring search needs pg_trgm, and btree_gin for the business beside the trigrams in each search index (migration
 * 0019). They are made here, outside any migration transaction, because two processes starting at once on a new
 * database race to create them and the loser must be able to look again. Both are trusted extensions: a database
 * owner may create them.
 */
async function ensureSearchExtensions(client: pg.Client) {
  for (const extension of ['pg_trgm', 'btree_gin']) {
    for (let attempt = 0; ; attempt++) {
      const { rowCount } = await client.query('select 1 from pg_extension where extname = $1', [extension]);
      if (rowCount) break;
      try {
        await client.query(`create extension if not exists ${extension} schema public`);
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
      }
    }
  }
}

/** Drops a schema made through `?schema=`; for test clean-up. */
export async function dropSchema(url: string): Promise<void> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  if (!schema || !SCHEMA.test(schema)) return;
  parsed.searchParams.delete('schema');
  const admin = new SafeClient({ connectionString: parsed.toString() });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await admin.end();
  }
}
