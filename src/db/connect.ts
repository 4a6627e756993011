// The one place that picks the engine from DATABASE_URL.
import { PostgresAdapter, type Kysely } from 'kysely';
import { openPostgres } from './postgres.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** The PostgreSQL schema mteja lives in (public unless DATABASE_URL says ?schema=); undefined on SQLite. */
  readonly schema?: string;
  /** Resolves once every write made so far is on disk: call it before acknowledging a write. */
  durable(): Promise<void>;
  close(): Promise<void>;
}

/** Connects to the database a DATABASE_URL names: `sqlite:PATH` or `postgres://…` (pool of `poolSize`). */
export async function connect(url: string, poolSize = 10): Promise<Db> {
  if (url.startsWith('sqlite:')) {
    const { db, durable } = openSqlite(url.slice('sqlite:'.length) || ':memory:');
    return { db, engine: 'sqlite', durable, close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = await openPostgres(url, poolSize);
    // PostgreSQL acknowledges a commit once it is durable: nothing to wait for.
    const durable = () => Promise.resolve();
    return { db, engine: 'postgres', schema: new URL(url).searchParams.get('schema') ?? 'public', durable, close: () => db.destroy() };
  }
  throw new Error(`Unsupported DATABASE_URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}

/** The engine behind a handle or transaction, for the few queries that differ (search). */
export function engineOf(db: Pick<Kysely<Database>, 'getExecutor'>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
