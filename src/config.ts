// Configuration: one schema over process.env, checked once at start; every problem is listed.
import { type Static, type TObject, Type } from 'typebox';
import { StringEnum } from './http/schemas.js';
import { compileSchema } from './http/validation.js';
import { PLANS } from './modules/business/business.schema.js';

const LogLevel = StringEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const);

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port the HTTP server listens on' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 for all)' }),
  TRUST_PROXY: Type.String({
    pattern: '^(false|true|[1-9]|[0-9a-fA-F.:/]+(\\s*,\\s*[0-9a-fA-F.:/]+)*)$',
    default: 'false',
    description:
      'Behind a load balancer: the proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDRs, or how many hops); per-address limits then count clients, not the proxy. false trusts none; true trusts any sender, so only when nothing else can reach the port',
    'x-error': 'TRUST_PROXY must be false, true, a hop count 1-9, or comma-separated addresses or CIDRs',
  }),
  DATABASE_URL: Type.String({
    pattern: '^(sqlite:|postgres://|postgresql://)',
    default: 'sqlite:./data/mteja.db',
    description: 'sqlite:PATH for the embedded store, or postgres://user@host:port/database',
    'x-error': 'DATABASE_URL must start with sqlite: or postgres://',
  }),
  DATABASE_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 10,
    description: 'PostgreSQL connections per process',
  }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    maximum: 3_600_000,
    default: 10_000,
    description:
      'Longest a request may take: past it the client gets 503 "Request timed out" (work already started may still finish)',
  }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({
    minimum: 0,
    maximum: 3_600_000,
    default: 3000,
    description:
      'PostgreSQL: longest wait to open a connection, or for a free one when the pool is busy; then 503 (0: no limit)',
  }),
  DATABASE_QUERY_TIMEOUT_MS: Type.Integer({
    minimum: 0,
    maximum: 3_600_000,
    default: 5000,
    description:
      "PostgreSQL: statement_timeout and idle_in_transaction_session_timeout of the server's connections, never past REQUEST_TIMEOUT_MS; a query unanswered 1 s past it closes its connection (a network partition). Then 503 (0: no limit; migrations have none)",
  }),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description: 'Redis for rate limits shared by every node',
      'x-error': 'REDIS_URL must start with redis:// or rediss://',
    }),
  ),
  READ_CACHE_MB: Type.Integer({
    minimum: 0,
    maximum: 65536,
    default: 32,
    description:
      'Memory for kept list pages and (on SQLite) details answers, served while the records they show are unchanged (0 keeps none)',
  }),
  SEARCH_INDEX_MS: Type.Integer({
    minimum: 0,
    maximum: 3_600_000,
    default: 250,
    description:
      'SQLite: how often records written since the last pass join the trigram index (0: never; search still finds them)',
  }),
  PUBLISHABLE_RATE_LIMIT: Type.String({
    pattern: '^[1-9]\\d{0,9}/[1-9]\\d{0,9}/[1-9]\\d{0,11}$',
    default: '2/20/200',
    description:
      'Requests per second/minute/day one client address may make with a publishable key (pk_), on top of the business limits',
    'x-error': 'PUBLISHABLE_RATE_LIMIT must be three positive whole numbers as second/minute/day, e.g. 2/20/200',
  }),
  WEBHOOK_RETRY_SCHEDULE: Type.String({
    // The first is always 0: a delivery is handed to its node's sender as its write commits (delivery.store.ts).
    pattern: '^\\s*0+(ms|s|m|h)?\\s*(,\\s*\\d+(ms|s|m|h)?\\s*){0,19}$',
    default: '0,5s,5m,30m,2h,5h,10h,10h',
    description:
      'Webhook attempts: the wait before each, with jitter: the first, at once (0), each next after a failure; a delivery fails after the last',
    'x-error':
      'WEBHOOK_RETRY_SCHEDULE must be up to 20 comma-separated durations, the first 0 (the first attempt is made at once), such as 0,5s,5m,2h',
  }),
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({
    default: false,
    description:
      'Let webhook endpoints use plain http and loopback or private addresses (local development and tests only)',
  }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 10_000,
    description:
      "Longest a webhook attempt may take, from resolving the endpoint's name to the last byte read of its answer, before it counts as failed",
  }),
  WEBHOOK_SENDER: StringEnum(['on', 'off'] as const, {
    default: 'on',
    description:
      'Whether this node sends webhooks (on its own thread); with several nodes, off leaves sending to the others',
  }),
  SQLITE_READ_WORKERS: Type.Integer({
    minimum: 0,
    maximum: 64,
    default: 2,
    description:
      'SQLite: worker threads, each with its own connection, that run lists and searches off the event loop (0: on the main thread)',
  }),
  SEARCH_SCAN_BELOW: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    default: 20_000,
    description:
      'A business with fewer records than this in a table is searched by scanning its own rows, cheaper there than seeking its part of the trigram index (0: always the index)',
  }),
  LOG_LEVEL: { ...LogLevel, default: 'info' } as typeof LogLevel,
  DEFAULT_PLAN: StringEnum(PLANS, {
    default: 'enterprise',
    description:
      "Rate-limit plan of a business created without --plan (and of the demo business): enterprise allows 100 requests a second, 5,000 a minute and 1,000,000 a day; 'mteja business update ID --plan|--limits' changes one business",
  }),
  PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*[^/?#\\s])?$',
      description:
        "The address customers reach this server at, no trailing slash: booking-page links (an appointment type's bookingurl, manage links) start with it. Default: the server's own address",
      'x-error': 'PUBLIC_URL must be an http(s) address without a trailing slash, e.g. https://crm.example.com',
    }),
  ),
  BOOKING_PAGE_POSTS_PER_HOUR: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 10,
    description:
      'Bookings, cancellations and moves one address may send to the public booking pages in an hour (over Redis across nodes when REDIS_URL is set)',
  }),
  MTEJA_DEMO: Type.Boolean({ default: true, description: 'Create a demo business when the database has none' }),
  DASHBOARD_SECURE_COOKIES: Type.Boolean({
    default: false,
    description:
      'Mark the dashboard session cookie Secure (and send HSTS): set true when the dashboard is reached over HTTPS',
  }),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

export class ConfigError extends Error {}

function loader<S extends TObject>(schema: S) {
  const check = compileSchema(schema, { coerce: true });
  return (env: Record<string, string | undefined> = process.env): Readonly<Static<S>> => {
    const raw: Record<string, unknown> = {};
    for (const key of Object.keys(schema.properties)) {
      const value = env[key];
      if (value !== undefined && value !== '') raw[key] = value;
    }
    const problems = check(raw);
    if (problems) {
      const lines = Object.entries(problems).map(([key, message]) => `  ${key}: ${message}`);
      throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
    }
    return Object.freeze(raw as Static<S>);
  };
}

/** Reads the configuration from an environment (process.env by default); throws ConfigError listing every bad variable. */
export const loadConfig: (env?: Record<string, string | undefined>) => Config = loader(ConfigSchema);

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** WEBHOOK_RETRY_SCHEDULE in milliseconds: `0,5s,5m` → [0, 5000, 300000]; a bare number is milliseconds. */
export function retrySchedule(config: Pick<Config, 'WEBHOOK_RETRY_SCHEDULE'>): number[] {
  return config.WEBHOOK_RETRY_SCHEDULE.split(',').map((part) => {
    const [, n, unit = 'ms'] = /^\s*(\d+)(ms|s|m|h)?\s*$/.exec(part)!;
    return Number(n) * UNITS[unit];
  });
}

/** The address this server answers at, for what it prints: HOST and PORT, with a wildcard host as the loopback one. */
export function serverUrl(config: Pick<Config, 'HOST' | 'PORT'>, port = config.PORT): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** TRUST_PROXY as Fastify's trustProxy: none, any, the first N hops, or the trusted addresses and CIDRs. */
export function trustProxy(
  config: Pick<Config, 'TRUST_PROXY'>,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = config.TRUST_PROXY;
  if (value === 'false' || value === 'true') return value === 'true';
  if (/^[1-9]$/.test(value)) return (_address, hop) => hop < Number(value);
  return value.split(',').map((part) => part.trim());
}
