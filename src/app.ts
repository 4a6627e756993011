// Composition root: builds the logger, the database (migrated) and the HTTP server; close() shuts them down in order.
import type { Logger } from 'pino';
import { type Config, serverUrl } from './config.js';
import { connect, type Db } from './db/connect.js';
import { migrateToLatest } from './db/migrations/index.js';
import { indexPendingSearch } from './db/search-index.js';
import type { Api } from './http/deps.js';
import { MemoryLimiter } from './http/rate-limit/memory.js';
import { openRedis, RedisLimiter } from './http/rate-limit/redis.js';
import { ReadCache } from './http/read-cache.js';
import { buildServer } from './http/server.js';
import { createLogger } from './logger.js';
import { deleteExpiredKeys } from './modules/idempotency/idempotency.store.js';
import { WebhookSender } from './modules/webhook/delivery.js';

export interface App {
  readonly config: Config;
  readonly database: Db;
  readonly server: Api;
  readonly logger: Logger;
  /** Kept answers; its counts say how many reads it saved. */
  readonly readCache: ReadCache;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/** Migrations run without the serving timeouts (an index over many rows may take minutes), on PostgreSQL over their own connection. */
async function migrate(config: Config, database: Db): Promise<string[]> {
  if (database.engine !== 'postgres') return migrateToLatest(database);
  const migrating = await connect(config.DATABASE_URL, 1);
  try {
    return await migrateToLatest(migrating);
  } finally {
    await migrating.close();
  }
}

/**
 * PostgreSQL's statement timeout: DATABASE_QUERY_TIMEOUT_MS, never past the request budget, so that no single statement
 * works on long after its client has had the 503 (one that starts late in a request may still run a budget past it;
 * 0 leaves statements unbounded). Background work (the webhook sender, the hourly clean-ups) has the same bound.
 */
export function queryTimeout(config: Pick<Config, 'DATABASE_QUERY_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS'>): number {
  const queryMs = config.DATABASE_QUERY_TIMEOUT_MS;
  return queryMs === 0 ? 0 : Math.min(queryMs, config.REQUEST_TIMEOUT_MS);
}

export async function createApp(config: Config, logger: Logger = createLogger(config)): Promise<App> {
  const database = await connect(
    config.DATABASE_URL,
    config.DATABASE_POOL_SIZE,
    { connectMs: config.DATABASE_CONNECT_TIMEOUT_MS, queryMs: queryTimeout(config) },
    { workers: config.SQLITE_READ_WORKERS, budgetMs: config.REQUEST_TIMEOUT_MS, scanBelow: config.SEARCH_SCAN_BELOW },
  );
  const applied = await migrate(config, database);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  // From here on, the caches can tell when what they keep has changed.
  await database.watch();
  const redis = config.REDIS_URL ? openRedis(config.REDIS_URL, logger) : undefined;
  const limiter = redis ? new RedisLimiter(redis, logger) : new MemoryLimiter();
  const readCache = new ReadCache(config.READ_CACHE_MB * 2 ** 20);
  // Known once listening when PUBLIC_URL is not set (PORT may be 0).
  let publicUrl = config.PUBLIC_URL ?? serverUrl(config);
  const webhooks = new WebhookSender(database.db, config, logger, () => database.durable());
  const server = await buildServer(
    {
      config,
      db: database.db,
      durable: () => database.durable(),
      credentialsVersion: () => database.credentialsVersion(),
      readVersion: (businessId, tables, of) => database.readVersion(businessId, tables, of),
      limiter,
      readCache,
      publicUrl: () => publicUrl,
      wakeWebhooks: () => webhooks.wake(),
      redis,
    },
    logger,
  );
  // Expired idempotency keys go hourly; a node that restarts often also sweeps at start.
  const sweep = () =>
    deleteExpiredKeys(database.db).catch((error) => logger.warn({ err: error }, 'idempotency clean-up failed'));
  void sweep();
  const sweeper = setInterval(sweep, 3600_000).unref();
  // SQLite: records written since the last pass join the trigram index (search finds them before that too).
  // One pass at a time; close() waits for the one running.
  let running: Promise<unknown> | undefined;
  const indexSearch = () =>
    (running ??= indexPendingSearch(database.db)
      .catch((error) => logger.warn({ err: error }, 'search indexing failed'))
      .finally(() => (running = undefined)));
  if (config.WEBHOOK_SENDER === 'on') webhooks.start();
  const indexing =
    database.engine === 'sqlite' && config.SEARCH_INDEX_MS > 0
      ? setInterval(() => void indexSearch(), config.SEARCH_INDEX_MS).unref()
      : undefined;
  return {
    config,
    database,
    server,
    logger,
    readCache,
    async listen() {
      await server.listen({ port: config.PORT, host: config.HOST });
      const address = server.server.address();
      const url = serverUrl(config, typeof address === 'object' && address ? address.port : config.PORT);
      if (!config.PUBLIC_URL) publicUrl = url;
      return url;
    },
    async close() {
      clearInterval(sweeper);
      clearInterval(indexing);
      await webhooks.stop();
      await running;
      await server.close();
      await limiter.close();
      await database.close();
    },
  };
}
