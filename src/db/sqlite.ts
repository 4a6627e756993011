// The embedded engine: one better-sqlite3 file in WAL mode, foreign keys on, a busy timeout, every acknowledged
// commit synced, and group commit so that many acknowledged writes share one fsync.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { type Database, RECORD_TABLES, type RecordTableName } from './schema.js';
import { GroupCommitDriver, groupCommitDialect } from './sqlite-driver.js';

export interface SqliteHandle {
  db: Kysely<Database>;
  durable: () => Promise<void>;
  /** Moves when another connection commits: the CLI revoking a key while the server runs, say. */
  dataVersion: () => number;
  /** Starts counting this connection's writes to records (once migrated). */
  watchWrites: () => Promise<void>;
  /** How many writes this connection has made to a business's records in `tables` since watchWrites(). */
  writesTo: (businessId: string, tables: readonly RecordTableName[]) => number;
}

/**
 * Counts this connection's inserts, updates and deletes per business and table: temporary triggers (this connection
 * only) call a function of this process. Writes by other connections show in dataVersion() instead.
 */
function countWrites(
  sqlite: BetterSqlite3.Database,
  driver: GroupCommitDriver,
): Pick<SqliteHandle, 'watchWrites' | 'writesTo'> {
  const counts = new Map<string, number>();
  sqlite.function('mteja_wrote', { deterministic: false }, (table, businessId) => {
    const key = `${businessId}\n${table}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return null;
  });
  return {
    // Temporary DDL is transactional: made inside a transaction that later rolled back, the triggers would be gone.
    watchWrites: () =>
      driver.outsideTransaction(() => {
        for (const table of RECORD_TABLES) {
          for (const [op, ref] of [
            ['insert', 'new'],
            ['update', 'new'],
            ['delete', 'old'],
          ]) {
            sqlite.exec(
              `create temp trigger if not exists ${table}_wrote_${op} after ${op} on main.${table} begin select mteja_wrote('${table}', ${ref}.businessid); end`,
            );
          }
        }
      }),
    writesTo(businessId, tables) {
      let sum = 0;
      for (const table of tables) sum += counts.get(`${businessId}\n${table}`) ?? 0;
      return sum;
    },
  };
}

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for ":memory:". */
export function openSqlite(path: string): SqliteHandle {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A commit writes the WAL; the driver fsyncs it off the event loop and acknowledges the group's writes only after
  // that, so an acknowledged write survives a power cut as with FULL. SQLite syncs around every checkpoint itself.
  // An in-memory database has nothing to sync.
  sqlite.pragma(sqlite.memory ? 'synchronous = FULL' : 'synchronous = NORMAL');
  const driver = new GroupCommitDriver(sqlite);
  return {
    db: new Kysely<Database>({ dialect: groupCommitDialect(driver) }),
    durable: () => driver.durable(),
    dataVersion: () => driver.dataVersion(),
    ...countWrites(sqlite, driver),
  };
}
