// What every query needs to know of the engine, and nothing else: the engine's name, a handle or transaction,
// transactions that nest, and hot queries compiled once. A leaf of db/: it imports only Kysely and the table types.
import { CompiledQuery, type Kysely, PostgresAdapter, type QueryResult, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

/** A database handle or an open transaction: store functions take either, so the caller decides. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/** The engine behind a handle or transaction, for the few queries that differ (search, migrations). */
export function engineOf(db: Pick<Kysely<unknown>, 'getExecutor'>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** What to do once a transaction has committed (afterCommit), by transaction; dropped with it when it rolls back. */
const committing = new WeakMap<object, (() => void)[]>();

/** Runs `work` in a transaction: a new one, or the caller's when `db` already is one. */
export async function inTransaction<T>(db: Queryable, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  let done: (() => void)[] | undefined;
  const result = await db.transaction().execute((trx) => {
    done = [];
    committing.set(trx, done);
    return work(trx);
  });
  for (const then of done ?? []) then();
  return result;
}

/** Whether afterCommit can tell when what `db` writes commits: a handle, or a transaction inTransaction opened. */
export function knowsCommit(db: Queryable): boolean {
  return !db.isTransaction || committing.has(db);
}

/**
 * Runs `then` once what `db` wrote is committed: when the transaction inTransaction opened commits (never, if it rolls
 * back), or at once for a handle outside a transaction. On SQLite "committed" is into the group commit's open group:
 * wait for durable() before telling anyone outside the process.
 */
export function afterCommit(db: Queryable, then: () => void): void {
  if (!knowsCommit(db)) throw new Error('afterCommit: a transaction not opened by inTransaction');
  const queue = committing.get(db);
  if (queue) queue.push(then);
  else then();
}

const compiled = new Map<string, string>();

/**
 * Runs a hot-path query that Kysely builds and compiles once per `shape` and engine; later calls reuse its SQL with
 * `parameters`. Building and compiling each time cost 5-8% of the CPU of a details request. The first call checks
 * that `parameters` are exactly what `build` binds, in the same order, so a caller whose list drifts from its builder
 * fails at once instead of running the SQL with its values in the wrong places.
 */
export function runCompiled<R>(
  db: Queryable,
  shape: string,
  build: () => CompiledQuery,
  parameters: readonly unknown[],
): Promise<QueryResult<R>> {
  const key = `${engineOf(db)}\n${shape}`;
  let text = compiled.get(key);
  if (text === undefined) {
    const query = build();
    const bound = query.parameters;
    if (bound.length !== parameters.length || bound.some((value, i) => !Object.is(value, parameters[i]))) {
      return Promise.reject(new Error(`runCompiled(${shape}): the parameters passed are not the ones the query binds`));
    }
    text = query.sql;
    compiled.set(key, text);
  }
  return db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
}
