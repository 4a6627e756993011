// Versions: the two numbers that let a process keep answers and still never serve a stale one. Each Db has its own.
// - credentials: moves whenever a credential or business may have changed, in this process or any other; the
//   authentication cache (http/auth.ts) keeps who a secret belongs to only while it is unchanged.
// - read(business, tables): moves with every insert, update and delete of that business's records in those tables,
//   from any connection or node; kept list and details answers (http/read-cache.ts) are tagged with it. A record's
//   details are tagged with a version that inserts into its own table leave alone (they add other records), so that
//   a business taking new customers keeps serving its existing ones' details.
// Sources: this Db's own writes (a Kysely plugin; SQLite temporary triggers for records), another SQLite connection's
// commits (PRAGMA data_version: the CLI revoking a key), a failed SQLite group commit, and on PostgreSQL every
// node's commits (LISTEN mteja_credentials, migration 0006; record_counts.v, migration 0007).
import type BetterSqlite3 from 'better-sqlite3';
import {
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from 'kysely';
import type pg from 'pg';
import { type Queryable, runCompiled } from './engine.js';
import { clientTimeouts, dropConnection, type PostgresTimeouts, SafeClient } from './postgres.js';
import { SameTurn } from './same-turn.js';
import { RECORD_TABLES, type RecordTableName } from './schema.js';
import type { GroupCommitDriver } from './sqlite-driver.js';

/** What a kept answer shows: a page of records (any write moves it), or one record (its own table's inserts do not). */
export type ReadOf = 'page' | 'record';

export interface Versions {
  /** Undefined while changes cannot be followed (before watch(), or while PostgreSQL's LISTEN is down): cache nothing. */
  credentials(): number | undefined;
  /**
   * Before watch(), a value never repeated, so nothing read then is served again. `of: 'record'`: inserts into
   * `tables[0]` leave it alone; undefined where a record is not worth keeping (its version would cost as much to
   * read as the record itself).
   */
  read(businessId: string, tables: readonly RecordTableName[], of?: ReadOf): Promise<string | undefined>;
  /** Starts following changes; called once the schema is migrated, before the server serves. */
  watch(): Promise<void>;
  close(): Promise<void>;
}

/** The tables whose changes move the credentials version: who a secret belongs to, and its business's plan. */
const CREDENTIAL_TABLES = new Set(['credentials', 'businesses']);

function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'TableNode')
    return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  if (node.kind === 'AliasNode') return tableOf((node as unknown as { node: OperationNode }).node);
  return undefined;
}

function writtenTable(node: RootOperationNode): string | undefined {
  switch (node.kind) {
    case 'InsertQueryNode':
      return tableOf(node.into);
    case 'UpdateQueryNode':
      return tableOf(node.table);
    case 'DeleteQueryNode':
      return tableOf(node.from.froms[0]);
    default:
      return undefined;
  }
}

/**
 * Counts this Db's writes to credentials and businesses, as they return: no store has to remember to signal one.
 * A write inside a transaction counts before its commit; the next version move (another node's NOTIFY, or the next
 * write) covers a read that ran in between, as it did when stores signalled by hand.
 */
export class CredentialWrites implements KyselyPlugin {
  #count = 0;
  readonly #pending = new WeakSet<QueryId>();

  get count(): number {
    return this.#count;
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    const table = writtenTable(node);
    if (table !== undefined && CREDENTIAL_TABLES.has(table)) this.#pending.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.has(queryId)) {
      this.#pending.delete(queryId);
      this.#count++;
    }
    return result;
  }
}

/**
 * SQLite: one process writes through one connection. Its own record writes are counted per business and table by
 * temporary triggers (this connection only) calling a function of this process; a commit by any other connection
 * moves PRAGMA data_version, and then anything may have changed; a failed group commit takes writes this connection
 * already read back, so whatever was kept from them is dropped too.
 */
export function sqliteVersions(
  sqlite: BetterSqlite3.Database,
  driver: GroupCommitDriver,
  credentialWrites: CredentialWrites,
): Versions {
  // Per business and table: every write, and the updates and deletes alone.
  const writes = new Map<string, number>();
  const changes = new Map<string, number>();
  sqlite.function('mteja_wrote', { deterministic: false }, (table, businessId, op) => {
    const key = `${businessId}\n${table}`;
    writes.set(key, (writes.get(key) ?? 0) + 1);
    if (op !== 'insert') changes.set(key, (changes.get(key) ?? 0) + 1);
    return null;
  });
  let seen = driver.dataVersion();
  let others = 0;
  const foreign = () => {
    const current = driver.dataVersion();
    if (current !== seen) {
      seen = current;
      others++;
    }
    return others;
  };
  let watching = false;
  let unwatched = 0;
  return {
    credentials: () => (watching ? foreign() + driver.lostWrites() + credentialWrites.count : undefined),
    async read(businessId, tables, of = 'page') {
      if (!watching) return `unwatched:${++unwatched}`;
      let own = 0;
      tables.forEach((table, i) => {
        own += (of === 'record' && i === 0 ? changes : writes).get(`${businessId}\n${table}`) ?? 0;
      });
      return `${foreign()}:${driver.lostWrites()}:${own}`;
    },
    // Temporary DDL is transactional: made inside a transaction that later rolled back, the triggers would be gone.
    async watch() {
      await driver.outsideTransaction(() => {
        for (const table of RECORD_TABLES) {
          for (const [op, ref] of [
            ['insert', 'new'],
            ['update', 'new'],
            ['delete', 'old'],
          ]) {
            sqlite.exec(
              `create temp trigger if not exists ${table}_wrote_${op} after ${op} on main.${table} begin select mteja_wrote('${table}', ${ref}.businessid, '${op}'); end`,
            );
          }
        }
      });
      watching = true;
    },
    close: async () => {},
  };
}

/**
 * PostgreSQL: every node reads the same versions. Record writes bump record_counts.v in the writing transaction
 * (migration 0007); credential changes are heard on a LISTEN connection (opened by watch(), so the CLI's short-lived
 * connections never make one), plus this Db's own writes, which it knows before the notification arrives.
 */
export function postgresVersions(
  db: Queryable,
  url: string,
  schema: string,
  credentialWrites: CredentialWrites,
  timeouts: PostgresTimeouts = { connectMs: 0, queryMs: 0 },
): Versions {
  let listener: CredentialListener | undefined;
  // Pages of one business asked for in the same turn read its version once (db/same-turn.ts).
  const versions = new SameTurn<{ businessId: string; tables: readonly string[] }, '', string>(
    async ({ businessId, tables }) => {
      const build = () =>
        sql`
        select sum(v) as v from record_counts
        where businessid = ${businessId} and tablename in (${sql.join(tables)}) and col = '' and val = ''`.compile(db);
      const { rows } = await runCompiled<{ v: number | string | null }>(db, `readVersion ${tables.join()}`, build, [
        businessId,
        ...tables,
      ]);
      return new Map([['', String(Number(rows[0]?.v ?? 0))]]);
    },
  );
  return {
    credentials() {
      const heard = listener?.version();
      return heard === undefined ? undefined : heard + credentialWrites.count;
    },
    // Every write moves it. A record is not kept: the version is a query, a round trip like reading the record by
    // its key, so a hit saved nothing and a miss paid twice (1M records, 50 connections: details 5,195 req/s kept,
    // 7,257 not). A page, whose read walks an index and counts, is worth it.
    async read(businessId, tables, of = 'page') {
      if (of === 'record') return undefined;
      return versions.ask(`${businessId}\n${tables.join()}`, { businessId, tables }, '');
    },
    async watch() {
      if (listener) return;
      const plain = new URL(url);
      plain.searchParams.delete('schema');
      listener = new CredentialListener(plain.toString(), schema, timeouts);
      await listener.start();
    },
    async close() {
      await listener?.close();
    },
  };
}

/** How often the LISTEN connection is asked whether it still hears, and how long it has to answer. */
const HEARTBEAT_MS = 2000;
const HEARTBEAT_TIMEOUT_MS = 2000;

/**
 * A LISTEN connection counting notifications for one schema. While it is not connected its version is undefined,
 * and callers must not cache; after a reconnect the count moves on, so nothing cached before is trusted. A reset
 * connection says so at once; one cut off silently (a network partition) is found by a heartbeat query that gets no
 * answer in time, and is treated the same: it may have missed notifications.
 */
class CredentialListener {
  readonly #url: string;
  readonly #schema: string;
  readonly #timeouts: PostgresTimeouts;
  #client: pg.Client | undefined;
  #connected = false;
  #heard = 0;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(url: string, schema: string, timeouts: PostgresTimeouts) {
    this.#url = url;
    this.#schema = schema;
    this.#timeouts = timeouts;
    this.#heartbeat = setInterval(() => this.#check(), HEARTBEAT_MS).unref();
  }

  #check() {
    const client = this.#client;
    if (!client || !this.#connected) return;
    let timer: NodeJS.Timeout | undefined;
    Promise.race([
      client.query('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no heartbeat')), HEARTBEAT_TIMEOUT_MS);
      }),
    ])
      .catch(() => this.#lost(client))
      .finally(() => clearTimeout(timer));
  }

  /** Notifications heard for this schema (moving on each reconnect too), or undefined while not listening. */
  version(): number | undefined {
    return this.#connected ? this.#heard : undefined;
  }

  async start(): Promise<void> {
    const client = new SafeClient({
      connectionString: this.#url,
      application_name: 'mteja-listen',
      ...clientTimeouts(this.#timeouts),
      // A connection attempt that hangs (a partition) must fail, so that the next one is made.
      connectionTimeoutMillis: this.#timeouts.connectMs || HEARTBEAT_TIMEOUT_MS,
    });
    client.on('notification', (message) => {
      if (message.payload === this.#schema) this.#heard++;
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    this.#client = client;
    try {
      await client.connect();
      await client.query('listen mteja_credentials');
      this.#heard++;
      this.#connected = !this.#closed;
    } catch {
      this.#lost(client);
    }
  }

  #lost(client: pg.Client) {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#connected = false;
    dropConnection(client);
    if (!this.#closed) this.#retry = setTimeout(() => void this.start(), 1000).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#connected = false;
    clearTimeout(this.#retry);
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
