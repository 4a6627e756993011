// The one place that picks the engine from DATABASE_URL.
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import { openPostgres, type PostgresTimeouts } from './postgres.js';
import { ReadPool } from './read-pool.js';
import { DEFAULT_SCAN_BELOW, setReads } from './reads.js';
import type { Database, RecordTableName } from './schema.js';
import { openSqlite } from './sqlite.js';
import { CredentialWrites, postgresVersions, type ReadOf, sqliteVersions } from './versions.js';

export interface Db {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** The PostgreSQL schema mteja lives in (public unless DATABASE_URL says ?schema=); undefined on SQLite. */
  readonly schema?: string;
  /** Resolves once every write made so far is on disk: call it before acknowledging a write. */
  durable(): Promise<void>;
  /**
   * A number that moves whenever a credential or business may have changed, in this process or any other; undefined
   * while that cannot be known (then nothing may be cached). See versions.ts.
   */
  credentialsVersion(): number | undefined;
  /**
   * The read version of a business's records in `tables`: it moves with every insert, update and delete in them,
   * from any connection or node, so an answer read at one version is still exact while the version is the same.
   * With `of: 'record'`, for one record's details, inserts into the first table (the record's own) do not move it:
   * they add other records, and a record's answer changes only when it is updated or deleted. Undefined: not worth
   * keeping (PostgreSQL's records).
   */
  readVersion(businessId: string, tables: readonly RecordTableName[], of?: ReadOf): Promise<string | undefined>;
  /**
   * Starts watching for the changes the two versions above follow; the server calls it once the schema is migrated,
   * before it serves. Until then nothing may be cached: both versions say so (undefined, or a version never repeated).
   */
  watch(): Promise<void>;
  /** SQLite: starts the read workers now, so that the first list does not wait for them (serve calls it). */
  startReads(): void;
  close(): Promise<void>;
}

/** How the server reads lists (db/reads.ts); the CLI leaves it out: main thread, default threshold. */
export interface ReadOptions {
  /** SQLite: read worker threads for lists and searches (0: the main thread). */
  workers: number;
  /** The request budget a read is dropped or cancelled past. */
  budgetMs: number;
  /** Businesses with fewer records in a table are searched by scanning their own rows. */
  scanBelow: number;
}

/**
 * Connects to the database a DATABASE_URL names: `sqlite:PATH` or `postgres://…` (pool of `poolSize`). On
 * PostgreSQL, `timeouts` bound every wait (the server passes them; the CLI's long migrations wait for ever).
 */
export async function connect(
  url: string,
  poolSize = 10,
  timeouts?: PostgresTimeouts,
  reads?: ReadOptions,
): Promise<Db> {
  const credentialWrites = new CredentialWrites();
  const scanBelow = reads?.scanBelow ?? DEFAULT_SCAN_BELOW;
  if (url.startsWith('sqlite:')) {
    const { db, driver, sqlite } = openSqlite(url.slice('sqlite:'.length) || ':memory:', [credentialWrites]);
    const versions = sqliteVersions(sqlite, driver, credentialWrites);
    // An in-memory database is this connection's alone: its reads stay on the main thread.
    const pool =
      reads && reads.workers > 0 && !sqlite.memory
        ? new ReadPool({
            path: sqlite.name,
            size: reads.workers,
            budgetMs: reads.budgetMs,
            scanBelow,
            // Workers see only committed rows: a list waits for the writes this process made before it.
            committed: () => driver.committed(),
          })
        : undefined;
    setReads(db, { scanBelow, pool });
    return {
      db,
      engine: 'sqlite',
      durable: () => driver.durable(),
      credentialsVersion: versions.credentials,
      readVersion: versions.read,
      watch: versions.watch,
      startReads: () => pool?.start(),
      async close() {
        await pool?.close();
        await db.destroy();
      },
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = await openPostgres(url, poolSize, [credentialWrites], timeouts);
    setReads(db, { scanBelow });
    const schema = new URL(url).searchParams.get('schema') ?? 'public';
    const versions = postgresVersions(db, url, schema, credentialWrites, timeouts);
    return {
      db,
      engine: 'postgres',
      schema,
      // PostgreSQL acknowledges a commit once it is durable: nothing to wait for.
      durable: () => Promise.resolve(),
      credentialsVersion: versions.credentials,
      readVersion: versions.read,
      watch: versions.watch,
      startReads: () => {},
      async close() {
        await versions.close();
        await db.destroy();
      },
    };
  }
  throw new Error(`Unsupported DATABASE_URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}
