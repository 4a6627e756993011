// The embedded engine: one better-sqlite3 file in WAL mode, foreign keys on, a busy timeout, every acknowledged
// commit synced, and group commit so that many acknowledged writes share one fsync.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type KyselyPlugin } from 'kysely';
import type { Database } from './schema.js';
import { checkBudgetWith } from './search.js';
import { GroupCommitDriver, groupCommitDialect } from './sqlite-driver.js';

export interface SqliteHandle {
  db: Kysely<Database>;
  /** The group-commit driver: durable(), data_version, lost writes. */
  driver: GroupCommitDriver;
  /** The connection itself, for what Kysely cannot do: user functions and temporary triggers (db/versions.ts). */
  sqlite: BetterSqlite3.Database;
}

/** Each handle's connection and driver, for the few jobs Kysely cannot do (search-index.ts). */
const handles = new WeakMap<object, SqliteHandle>();

/** The connection and driver behind a SQLite handle made by openSqlite; undefined for anything else. */
export const sqliteHandleOf = (db: object): SqliteHandle | undefined => handles.get(db);

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for ":memory:". */
export function openSqlite(path: string, plugins: KyselyPlugin[] = []): SqliteHandle {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // exec(), not pragma(): pragma() prepares a statement and leaves it to the garbage collector, and on Node 24.19 to
  // 24.21 a better-sqlite3 statement freed by the collector can abort the process (RemoveEnvironmentCleanupHook,
  // nodejs/node#65446). Every command opens the database, so every command left four such statements behind.
  sqlite.exec('pragma journal_mode = WAL');
  sqlite.exec('pragma foreign_keys = ON');
  sqlite.exec('pragma busy_timeout = 5000');
  // Each request's transaction is a savepoint inside its turn's group (sqlite-driver.ts), and a savepoint keeps the
  // pages it changes in a sub-journal. With temporary files on disk, that journal spilled to a file once past 64 KiB,
  // and from then on each page a savepoint changed was written there, a system call each; in memory it is only
  // copied, and emptied as each savepoint is released. Measured in process (100,000
  // creates of a customer-like row and a delivery, 20 a group): 65 -> 44 µs each; over HTTP, creates 3.1k -> 3.9k/s
  // (bench/webhooks.ts, no endpoint). The read workers' connections (read-worker.ts) keep sorts on disk. The search
  // indexer's FTS5 merges change many pages at once: it writes outside any transaction, so it keeps no such journal
  // (search-index.ts).
  sqlite.exec('pragma temp_store = MEMORY');
  // A commit writes the WAL; the driver fsyncs it off the event loop and acknowledges the group's writes only after
  // that, so an acknowledged write survives a power cut as with FULL. SQLite syncs around every checkpoint itself.
  // An in-memory database has nothing to sync.
  sqlite.exec(sqlite.memory ? 'pragma synchronous = FULL' : 'pragma synchronous = NORMAL');
  // Search statements ask every 1,024 rows whether their read is still within its budget (db/search.ts); reads on
  // this connection are not cancelled mid-statement.
  checkBudgetWith(sqlite, () => true);
  const driver = new GroupCommitDriver(sqlite);
  const handle = { db: new Kysely<Database>({ dialect: groupCommitDialect(driver), plugins }), driver, sqlite };
  handles.set(handle.db, handle);
  return handle;
}
