// The embedded engine: one better-sqlite3 file in WAL mode, foreign keys on, a busy timeout, every commit synced,
// and group commit so that many acknowledged writes share one fsync.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { GroupCommitDriver, groupCommitDialect } from './sqlite-driver.js';

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for ":memory:". */
export function openSqlite(path: string): { db: Kysely<Database>; durable: () => Promise<void>; dataVersion: () => number } {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // FULL: a commit is on disk before it is acknowledged, so an acknowledged write survives a power cut too.
  sqlite.pragma('synchronous = FULL');
  const driver = new GroupCommitDriver(sqlite);
  return {
    db: new Kysely<Database>({ dialect: groupCommitDialect(driver) }),
    durable: () => driver.durable(),
    // Moves when another connection commits: the CLI revoking a key while the server runs, say.
    dataVersion: () => driver.dataVersion(),
  };
}
