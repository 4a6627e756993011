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
  close(): Promise<void>;
}

/** Connects to the database a DATABASE_URL names: `sqlite:PATH` or `postgres://…` (pool of `poolSize`). */
export async function connect(url: string, poolSize = 10): Promise<Db> {
  if (url.startsWith('sqlite:')) {
    const db = openSqlite(url.slice('sqlite:'.length) || ':memory:');
    return { db, engine: 'sqlite', close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = await openPostgres(url, poolSize);
    return { db, engine: 'postgres', schema: new URL(url).searchParams.get('schema') ?? 'public', close: () => db.destroy() };
  }
  throw new Error(`Unsupported DATABASE_URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}

/** The engine behind a handle or transaction, for the few queries that differ (search). */
export function engineOf(db: Pick<Kysely<Database>, 'getExecutor'>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
