// The one place that picks the engine from DATABASE_URL.
import { type Kysely, PostgresAdapter } from 'kysely';
import { CredentialListener, localCredentialChanges, lostWritesEpoch } from './changes.js';
import { readVersion as keptReadVersion } from './counts.js';
import { openPostgres } from './postgres.js';
import type { Database, RecordTableName } from './schema.js';
import { openSqlite } from './sqlite.js';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** The PostgreSQL schema mteja lives in (public unless DATABASE_URL says ?schema=); undefined on SQLite. */
  readonly schema?: string;
  /** Resolves once every write made so far is on disk: call it before acknowledging a write. */
  durable(): Promise<void>;
  /**
   * A number that moves whenever a credential or business may have changed, in this process or any other; undefined
   * while that cannot be known (then nothing may be cached). See changes.ts.
   */
  credentialsVersion(): number | undefined;
  /**
   * The read version of a business's records in `tables`: it moves with every insert, update and delete in them,
   * from any connection or node, so an answer read at one version is still exact while the version is the same.
   */
  readVersion(businessId: string, tables: readonly RecordTableName[]): Promise<string>;
  /**
   * Starts watching for the changes the two versions above follow; the server calls it once the schema is migrated,
   * before it serves. Until then nothing may be cached: both versions say so (undefined, or a version never repeated).
   */
  watch(): Promise<void>;
  close(): Promise<void>;
}

/** Connects to the database a DATABASE_URL names: `sqlite:PATH` or `postgres://…` (pool of `poolSize`). */
export async function connect(url: string, poolSize = 10): Promise<Db> {
  if (url.startsWith('sqlite:')) {
    const { db, durable, dataVersion, watchWrites, writesTo } = openSqlite(url.slice('sqlite:'.length) || ':memory:');
    // data_version moves on another connection's commit: then anything may have changed. This connection's own writes
    // are counted as they happen (credentials by the business store, records by temporary triggers).
    let seen = dataVersion();
    let others = 0;
    const foreign = () => {
      const current = dataVersion();
      if (current !== seen) {
        seen = current;
        others++;
      }
      return others;
    };
    let watching = false;
    let unwatched = 0;
    const credentialsVersion = () => (watching ? foreign() + localCredentialChanges() : undefined);
    // A failed group commit takes writes this connection already read back; lostWritesEpoch() moves with it.
    const readVersion = async (businessId: string, tables: readonly RecordTableName[]) =>
      watching ? `${foreign()}:${lostWritesEpoch()}:${writesTo(businessId, tables)}` : `unwatched:${++unwatched}`;
    const watch = async () => {
      await watchWrites();
      watching = true;
    };
    return { db, engine: 'sqlite', durable, credentialsVersion, readVersion, watch, close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = await openPostgres(url, poolSize);
    // PostgreSQL acknowledges a commit once it is durable: nothing to wait for.
    const durable = () => Promise.resolve();
    const schema = new URL(url).searchParams.get('schema') ?? 'public';
    // The LISTEN connection opens in watch(), so the CLI's short-lived connections never make one.
    let listener: CredentialListener | undefined;
    const credentialsVersion = () => {
      const heard = listener?.version();
      return heard === undefined ? undefined : heard + localCredentialChanges();
    };
    const watch = async () => {
      if (listener) return;
      const plain = new URL(url);
      plain.searchParams.delete('schema');
      listener = new CredentialListener(plain.toString(), schema);
      await listener.start();
    };
    const close = async () => {
      await listener?.close();
      await db.destroy();
    };
    // Kept in record_counts by triggers (migration 0007), so every node reads the same version.
    const readVersion = async (businessId: string, tables: readonly RecordTableName[]) =>
      String(await keptReadVersion(db, businessId, tables));
    return { db, engine: 'postgres', schema, durable, credentialsVersion, readVersion, watch, close };
  }
  throw new Error(`Unsupported DATABASE_URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}

/** The engine behind a handle or transaction, for the few queries that differ (search). */
export function engineOf(db: Pick<Kysely<Database>, 'getExecutor'>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
