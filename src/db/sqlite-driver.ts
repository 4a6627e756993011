// SQLite with group commit: writes that arrive together share one transaction and one fsync of the WAL, and are
// acknowledged (through durable()) only once that commit is on disk. Also caches prepared statements by their SQL.

import { closeSync, fsync, openSync } from 'node:fs';
import type { RunResult, Database as Sqlite, Statement } from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

const STATEMENT_CACHE = 500;

/**
 * Each SQL text prepared once per connection, the STATEMENT_CACHE most recently added kept: Kysely's own SQLite
 * dialect prepares every query anew (a sixth of a list page's time on a read worker). The group commit driver and
 * the read workers (read-worker.ts) both prepare through it.
 */
export function preparedOnce(sqlite: Sqlite): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/** Makes one row object from a row read as an array: one object literal with the statement's column names. */
type RowMaker = (values: unknown[]) => unknown;

/** The statement's maker, or null where a literal would not make object mode's object (a column named __proto__). */
function rowMaker(statement: Statement): RowMaker | null {
  const names = statement.columns().map((column) => column.name);
  if (names.includes('__proto__')) return null;
  return new Function(
    'r',
    `return {${names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ')}};`,
  ) as RowMaker;
}

/**
 * A connection's rows as objects, read as arrays (better-sqlite3's raw mode) and made by one object literal per
 * statement: object mode sets each row's columns one property at a time, which cost half as much again (a page of
 * 20 customers: 150 µs against 96, docs/benchmarks.md). The objects are object mode's: a later column of the same
 * name wins, as there, and a statement with a column named `__proto__` is read in object mode.
 * A statement's columns follow the schema (SQLite prepares it again after a change), so each maker is kept with the
 * schema version it was made under, read once per snapshot and again after any statement of this connection that
 * is not a read. Not for statements set to pluck() or expand(): their mode is not restored.
 */
export class RowReader {
  readonly #makers = new WeakMap<Statement, { schema: number; make: RowMaker | null }>();
  readonly #schemaVersion: Statement;
  /** The schema version of this connection's snapshot; undefined: read it before the next rows. */
  #schema: number | undefined;

  constructor(sqlite: Sqlite) {
    this.#schemaVersion = sqlite.prepare('pragma schema_version').pluck();
  }

  /** A snapshot begins, or a statement that may have changed the schema ran here: the version is read again. */
  stale(): void {
    this.#schema = undefined;
  }

  rows(statement: Statement, parameters: readonly unknown[]): unknown[] {
    this.#schema ??= this.#schemaVersion.get() as number;
    const maker = this.#makers.get(statement);
    if (maker?.make && maker.schema === this.#schema) {
      statement.raw(true);
      try {
        return (statement.all(parameters) as unknown[][]).map(maker.make);
      } finally {
        statement.raw(false);
      }
    }
    // Its first read under this schema: in object mode, then its maker from the columns SQLite prepared it with (a
    // statement prepared before a change reports its old columns until it runs again).
    const rows = statement.all(parameters);
    if (maker?.schema !== this.#schema)
      this.#makers.set(statement, { schema: this.#schema, make: rowMaker(statement) });
    return rows;
  }
}

/**
 * A connection as Kysely's SQLite dialect uses it, its statements prepared once and their rows read by a RowReader:
 * the read workers' (read-worker.ts).
 */
export function dialectDatabase(sqlite: Sqlite) {
  const prepare = preparedOnce(sqlite);
  const rows = new RowReader(sqlite);
  return {
    prepare: (sql: string) => {
      const statement = prepare(sql);
      return {
        reader: statement.reader,
        all: (parameters: readonly unknown[]) => rows.rows(statement, parameters),
        // BEGIN (a job's snapshot) among them.
        run: (parameters: readonly unknown[]) => {
          const result = statement.run(parameters);
          rows.stale();
          return result;
        },
        iterate: (parameters: readonly unknown[]) => statement.iterate(parameters),
      };
    },
    close: () => sqlite.close(),
  };
}

/** One lock for the single connection: held for a statement, or for a whole explicit transaction. */
class Mutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;
  async lock() {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }
  unlock() {
    const release = this.#release;
    this.#held = this.#release = undefined;
    release?.();
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommitDriver implements Driver {
  readonly #sqlite: Sqlite;
  readonly #mutex = new Mutex();
  readonly #prepare: (sql: string) => Statement;
  readonly #rows: RowReader;
  #waiters: Waiter[] = [];
  #scheduled = false;
  /** True while this turn's transaction holds writes (not only a read snapshot). */
  #writing = false;
  /** An explicit transaction is open: its writes are not made until it commits. */
  #explicit = false;
  /** The group holds writes made outside an open transaction, or by a committed one: reads here already see them. */
  #made = false;
  /** Settles when this turn's write group ends, committed or rolled back; made by the first committed() call. */
  #groupEnd: { promise: Promise<void>; resolve(): void } | undefined;
  #dataVersion: Statement | undefined;
  /** The WAL file acknowledged writes are synced in; undefined for an in-memory database. */
  readonly #walPath: string | undefined;
  #walFd: number | undefined;
  #syncing = 0;
  #idle: (() => void)[] = [];
  /** The fsync started last, while it runs. */
  #lastSync: Promise<void> | undefined;
  /** A group with writes was committed without an fsync (nobody was waiting for it). */
  #unsynced = false;
  readonly #connection: DatabaseConnection;
  /** Failed commits that took writes this connection had already read back. */
  #lostWrites = 0;

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
    this.#prepare = preparedOnce(sqlite);
    this.#rows = new RowReader(sqlite);
    this.#walPath = sqlite.memory ? undefined : `${sqlite.name}-wal`;
    this.#connection = {
      executeQuery: async <R>(query: CompiledQuery) => this.#execute(query) as QueryResult<R>,
      streamQuery: <R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> =>
        this.#stream(query) as AsyncIterableIterator<QueryResult<R>>,
    };
  }

  async init() {}

  async acquireConnection() {
    await this.#mutex.lock();
    return this.#connection;
  }

  async releaseConnection() {
    this.#mutex.unlock();
  }

  // An explicit transaction is a savepoint inside the current group, so it shares the group's fsync.
  async beginTransaction() {
    this.#openGroup();
    this.#sqlite.exec('savepoint mteja_tx');
    this.#explicit = true;
  }

  async commitTransaction() {
    this.#sqlite.exec('release mteja_tx');
    this.#explicit = false;
    this.#made = true;
    this.#schedule();
  }

  async rollbackTransaction() {
    this.#explicit = false;
    if (this.#sqlite.inTransaction) {
      this.#sqlite.exec('rollback to mteja_tx');
      this.#sqlite.exec('release mteja_tx');
    }
    this.#schedule();
  }

  async savepoint(_: DatabaseConnection, name: string) {
    this.#sqlite.exec(`savepoint "${name.replaceAll('"', '')}"`);
  }

  async rollbackToSavepoint(_: DatabaseConnection, name: string) {
    this.#sqlite.exec(`rollback to "${name.replaceAll('"', '')}"`);
  }

  async releaseSavepoint(_: DatabaseConnection, name: string) {
    this.#sqlite.exec(`release "${name.replaceAll('"', '')}"`);
  }

  async destroy() {
    await this.#mutex.lock();
    try {
      this.#commit();
      if (this.#syncing > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
      if (this.#walFd !== undefined) closeSync(this.#walFd);
      this.#sqlite.close();
    } finally {
      this.#mutex.unlock();
    }
  }

  /**
   * Runs `work` holding the connection with no transaction open (this turn's group or snapshot is committed first);
   * `prepare` gives its statements from the connection's cache.
   */
  async outsideTransaction(work: (prepare: (sql: string) => Statement) => void): Promise<void> {
    await this.#mutex.lock();
    try {
      this.#commit();
      work(this.#prepare);
    } finally {
      this.#rows.stale();
      this.#mutex.unlock();
    }
  }

  /** Moves when a commit fails and takes writes this connection already read back: what was kept from them is stale. */
  lostWrites(): number {
    return this.#lostWrites;
  }

  /** Resolves when every write made so far is committed to disk; rejects if that commit failed. */
  durable(): Promise<void> {
    // Writes still in this turn's group: after its commit and fsync.
    if (this.#writing) return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
    // Committed, but nobody waited, so not synced yet: sync now.
    if (this.#unsynced) return new Promise((resolve, reject) => this.#sync([{ resolve, reject }]));
    // Committed and being synced (every sync starts at or after the last commit): when that fsync returns.
    return this.#lastSync ?? Promise.resolve();
  }

  /**
   * Other connections (the read workers) see only committed rows: a read there after an in-process write that was not
   * waited for through durable() waits for this first. Resolves once every write made so far (outside a transaction
   * still open, whose writes no one else may see yet) is committed, without waiting for the fsync; undefined when no
   * such write awaits its commit, so a read with none in flight pays not even a microtask. It resolves, never rejects,
   * when the group fails: the rollback has ended it, readers elsewhere see the state before it, as this connection
   * now does too; the writers hear of the failure from durable().
   */
  committed(): Promise<void> | undefined {
    if (!this.#made) return undefined;
    if (!this.#groupEnd) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#groupEnd = { promise, resolve };
    }
    return this.#groupEnd.promise;
  }

  #execute(query: CompiledQuery): QueryResult<unknown> {
    const statement = this.#prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.readonly) {
      this.#openRead();
      if (statement.reader) return { rows: this.#rows.rows(statement, parameters) };
      statement.run(parameters);
      // BEGIN among them: a new snapshot, whose schema may be another's.
      this.#rows.stale();
      return { rows: [] };
    }
    this.#openGroup();
    let rows: unknown[] = [];
    let result: RunResult | undefined;
    try {
      if (statement.reader) rows = this.#rows.rows(statement, parameters);
      else {
        result = statement.run(parameters);
        // DDL (a migration) among them.
        this.#rows.stale();
      }
    } catch (error) {
      // A constraint failure undoes only its statement; an I/O failure can undo the whole group.
      if (!this.#sqlite.inTransaction) this.#fail(error);
      else this.#schedule();
      throw error;
    }
    if (!this.#explicit) this.#made = true;
    this.#schedule();
    if (!result) return { rows };
    return { numAffectedRows: BigInt(result.changes), insertId: BigInt(result.lastInsertRowid), rows };
  }

  async *#stream(query: CompiledQuery): AsyncIterableIterator<QueryResult<unknown>> {
    this.#openRead();
    for (const row of this.#prepare(query.sql).iterate(query.parameters as unknown[])) yield { rows: [row] };
  }

  /** PRAGMA data_version, read in this turn's snapshot: it moves when another connection has committed. */
  dataVersion(): number {
    this.#openRead();
    this.#dataVersion ??= this.#sqlite.prepare('pragma data_version').pluck();
    return this.#dataVersion.get() as number;
  }

  /**
   * Reads share one snapshot per turn of the event loop: a deferred transaction opened by the first read and ended
   * with the turn. Taking and dropping the WAL read lock per statement cost about as much as a small indexed query.
   */
  #openRead() {
    if (this.#sqlite.inTransaction) return;
    this.#sqlite.exec('begin');
    this.#rows.stale();
    this.#schedule();
  }

  /** The write group of this turn: a read-only snapshot is ended first, so the write never waits on a stale one. */
  #openGroup() {
    if (this.#writing) return;
    if (this.#sqlite.inTransaction) this.#sqlite.exec('commit');
    this.#sqlite.exec('begin immediate');
    this.#rows.stale();
    this.#writing = true;
  }

  /** Commits at the end of this turn of the event loop, after every write that arrived in it. */
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(async () => {
      await this.#mutex.lock();
      this.#scheduled = false;
      try {
        this.#commit();
      } finally {
        this.#mutex.unlock();
      }
    });
  }

  #commit() {
    const waiters = this.#waiters;
    this.#waiters = [];
    const wrote = this.#writing;
    if (!this.#sqlite.inTransaction) {
      this.#endGroup();
      for (const w of waiters) w.resolve();
      return;
    }
    try {
      this.#sqlite.exec('commit');
    } catch (error) {
      if (this.#sqlite.inTransaction) this.#sqlite.exec('rollback');
      this.#endGroup();
      // What was read back from the lost writes may be cached.
      this.#lostWrites++;
      for (const w of waiters) w.reject(error);
      return;
    }
    this.#endGroup();
    // Writes nobody waits for (the search indexer's) are synced when someone asks, by the next group's fsync, or by
    // SQLite's own at the next checkpoint or close.
    if (wrote && waiters.length > 0) this.#sync(waiters);
    else {
      if (wrote) this.#unsynced = true;
      for (const w of waiters) w.resolve();
    }
  }

  /**
   * Acknowledges a committed group once the WAL is on disk. The commit itself only writes the WAL (synchronous=NORMAL);
   * the fsync runs in libuv's thread pool, so the event loop goes on serving (and committing the next group) while
   * the disk flushes. SQLite itself syncs the WAL before every checkpoint and the database file after it.
   */
  #sync(waiters: Waiter[]) {
    this.#unsynced = false;
    if (this.#walPath === undefined) {
      for (const w of waiters) w.resolve();
      return;
    }
    this.#walFd ??= openSync(this.#walPath, 'r');
    const fd = this.#walFd;
    this.#syncing++;
    const synced = new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
    this.#lastSync = synced;
    void synced
      .then(
        () => {
          for (const w of waiters) w.resolve();
        },
        (error) => {
          for (const w of waiters) w.reject(error);
        },
      )
      .finally(() => {
        if (this.#lastSync === synced) this.#lastSync = undefined;
        if (--this.#syncing === 0) for (const idle of this.#idle.splice(0)) idle();
      });
  }

  /** The write group is over (committed or rolled back): what it wrote, or nothing of it, is what readers see. */
  #endGroup() {
    this.#writing = this.#made = false;
    const end = this.#groupEnd;
    this.#groupEnd = undefined;
    end?.resolve();
  }

  #fail(error: unknown) {
    this.#endGroup();
    this.#lostWrites++;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
  }
}

/** Kysely's SQLite dialect with the group-commit driver in place of its own. */
export function groupCommitDialect(driver: GroupCommitDriver): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
