// PostgreSQL: reads asked for together go as one query. Under load most of a small read's time is the round trip and
// pg's per-query work, not the lookup: reads of the same kind that arrive in the same turn of the event loop share one
// query, started at the end of that turn (the DataLoader pattern). A caller only ever joins a query that starts after
// it asked, so it sees every write acknowledged before it asked, as a query of its own would.
import { type Kysely, sql } from 'kysely';
import { runCompiled } from './engine.js';
import type { Database, RecordTableName } from './schema.js';

interface Waiter<Out> {
  resolve(value: Out | undefined): void;
  reject(error: unknown): void;
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** The most inputs one query is given; more in a turn go in further queries. */
const MOST_INPUTS = 200;

/**
 * Gathers the inputs asked for under each key during a turn, then runs `read` once per key with all of them and the
 * `of` the first caller gave (what the key stands for: callers under one key give equal ones). `read` answers each
 * input it found; an input it leaves out gets undefined. When it fails, every caller of that run does.
 */
export class SameTurn<Of, In, Out> {
  readonly #read: (of: Of, inputs: In[]) => Promise<Map<In, Out>>;
  readonly #gathering = new Map<string, Map<In, Waiter<Out>[]>>();

  constructor(read: (of: Of, inputs: In[]) => Promise<Map<In, Out>>) {
    this.#read = read;
  }

  ask(key: string, of: Of, input: In): Promise<Out | undefined> {
    let waiting = this.#gathering.get(key);
    if (!waiting || waiting.size >= MOST_INPUTS) {
      const gathered = new Map<In, Waiter<Out>[]>();
      waiting = gathered;
      this.#gathering.set(key, gathered);
      setImmediate(() => {
        if (this.#gathering.get(key) === gathered) this.#gathering.delete(key);
        void this.#run(of, gathered);
      });
    }
    const callers = waiting;
    return new Promise((resolve, reject) => {
      const waiters = callers.get(input);
      if (waiters) waiters.push({ resolve, reject });
      else callers.set(input, [{ resolve, reject }]);
    });
  }

  async #run(of: Of, waiting: Map<In, Waiter<Out>[]>): Promise<void> {
    try {
      const found = await this.#read(of, [...waiting.keys()]);
      for (const [input, waiters] of waiting) {
        const value = found.get(input);
        // Callers asking for the same input each get their own copy of a row, so that none sees another's changes.
        waiters.forEach((waiter, i) => {
          waiter.resolve(i > 0 && isObject(value) ? ({ ...value } as Out) : value);
        });
      }
    } catch (error) {
      for (const waiters of waiting.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }
}

/** The lookups by id being gathered, per handle. */
const lookups = new WeakMap<object, SameTurn<{ table: RecordTableName; businessId: string }, string, unknown>>();

/** One record of a business by id, read with the others asked for in this turn (`db` is a handle, not a transaction). */
export function getRowThisTurn<Row>(
  db: Kysely<Database>,
  table: RecordTableName,
  businessId: string,
  id: string,
): Promise<Row | undefined> {
  let turn = lookups.get(db);
  if (!turn) {
    turn = new SameTurn(async ({ table, businessId }, ids) => {
      const build = () =>
        sql`select * from ${sql.table(table)} where businessid = ${businessId} and id = any(${ids})`.compile(db);
      const { rows } = await runCompiled<{ id: string }>(db, `getRowThisTurn ${table}`, build, [businessId, ids]);
      return new Map(rows.map((row) => [row.id, row]));
    });
    lookups.set(db, turn);
  }
  return turn.ask(`${table}\n${businessId}`, { table, businessId }, id) as Promise<Row | undefined>;
}
