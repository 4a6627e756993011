// What route modules depend on: the typed Fastify instance and plugin, and the dependencies app.ts builds once.
// A leaf: it imports only types, so route files never import the server that mounts them.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Queryable } from '../db/engine.js';
import type { Database } from '../db/schema.js';
import type { Limiter } from './rate-limit/limits.js';
import type { ReadCache } from './read-cache.js';

/** The server (and every plugin scope in it) with TypeBox schemas typing requests and replies. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A route module: registered with a prefix, it receives an `Api` with no cast. */
export type ApiPlugin = FastifyPluginAsyncTypebox;

/** Who is calling: the business a secret (or a dashboard session) belongs to, and its plan. */
export interface Caller {
  readonly businessId: string;
  readonly clientId: string;
  readonly plan: string;
  /** Custom enterprise limits, "second/minute/day", or null for the plan's. */
  readonly ratelimits: string | null;
  /** The key's scopes (`customers:read`, `leads:write`); absent or null is full access (http/authorize.ts). */
  readonly scopes?: readonly string[] | null;
  /** Set for a publishable key (`pk_`): the browser origins it is accepted from. It may only create leads. */
  readonly origins?: readonly string[] | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` (http/auth.ts) on every route under /business, and by the dashboard's session check. */
    caller: Caller;
    /**
     * The handle a write handler runs its queries on: a keyed request's transaction, which claims the key and stores
     * the response with the handler's writes (http/idempotency.ts), else the shared handle. Reads take `deps.db`.
     */
    readonly db: Queryable;
  }
}

/** What route modules need, passed explicitly, never looked up. */
export interface Deps {
  /** The configuration, read and checked once at start. */
  config: Config;
  db: Kysely<Database>;
  /** Resolves once every write so far is on disk (group commit); awaited before any write is acknowledged. */
  durable: () => Promise<void>;
  /** Moves whenever a credential or business may have changed; authentication's cache checks it (db/versions.ts). */
  credentialsVersion: () => number | undefined;
  limiter: Limiter;
  /** Kept list answers, exact while the records they show are unchanged. */
  readCache: ReadCache;
  /** The read version of a business's records in some tables (Db.readVersion); kept answers are tagged with it. */
  readVersion: Db['readVersion'];
  /** PUBLIC_URL, or the address this server listens at: what booking-page links start with. */
  publicUrl: () => string;
  /** Tells the webhook sender that a write committed: it looks for deliveries to send at once. */
  wakeWebhooks: () => void;
  /** Present when REDIS_URL is set; /readyz checks it. */
  redis?: Redis;
}
