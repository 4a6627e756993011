// The one place that picks the engine from DATABASE_URL.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

export type Engine = 'sqlite';

export interface Db {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

/** Connects to the database a DATABASE_URL names (`sqlite:PATH`). */
export function connect(url: string): Db {
  if (url.startsWith('sqlite:')) {
    const db = openSqlite(url.slice('sqlite:'.length) || ':memory:');
    return { db, engine: 'sqlite', close: () => db.destroy() };
  }
  throw new Error(`Unsupported DATABASE_URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}
