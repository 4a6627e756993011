// Test harness: the real server on a temporary database, spoken to over real HTTP, as a client would.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { type App, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { dropSchema } from '../../src/db/postgres.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createBusiness } from '../../src/modules/business/business.store.js';

/** The engines every contract suite runs against. */
export interface Engine {
  name: string;
  /** A fresh, empty database for one test server; `dir` is a temporary folder it may use. */
  databaseUrl(dir: string): string;
  /** Removes what databaseUrl made outside `dir`. */
  cleanup(url: string): Promise<void>;
}

const NO_POSTGRES = 'TEST_DATABASE_URL is not set: PostgreSQL suites skipped';

export const sqlite: Engine = {
  name: 'sqlite',
  databaseUrl: (dir) => `sqlite:${join(dir, 'mteja.db')}`,
  cleanup: async () => {},
};

/**
 * A suite skipped as a whole (`describe(name, { skip: reason })`) is not in the summary's `skipped` count: this
 * declares one skipped test beside it, so a run without PostgreSQL, Redis or a browser says so. Call at the top level.
 */
export function countSkipped(name: string, reason: string | false | undefined): void {
  if (reason) test(name, { skip: reason });
}

let reported = false;

/**
 * SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (each server gets its own schema, dropped after).
 * Without it, the file's PostgreSQL suites show in the summary as one skipped test, not as nothing: the first call
 * (at the top of a test file, where its suites are declared) declares it; startServer() defaults to `sqlite` so
 * as not to be that first call inside a running test.
 */
export function engines(): Engine[] {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    if (!reported) countSkipped(`${basename(process.argv[1] ?? 'suite', '.test.js')} [postgres]`, NO_POSTGRES);
    reported = true;
    return [sqlite];
  }
  const postgres: Engine = {
    name: 'postgres',
    databaseUrl: () => {
      const url = new URL(base);
      url.searchParams.set('schema', `mteja_test_${process.pid}_${randomBytes(4).toString('hex')}`);
      return url.toString();
    },
    cleanup: (url) => dropSchema(url),
  };
  return [sqlite, postgres];
}

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** The secret to send; null sends no Authorization header. Defaults to the first business's secret. */
  secret?: string | null;
}

export interface TestServer {
  url: string;
  app: App;
  db: Kysely<Database>;
  databaseUrl: string;
  /** The first business, made at start. */
  businessId: string;
  secret: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  /** Another business with its own credential. */
  newBusiness(name?: string): Promise<{ businessId: string; secret: string; clientId: string }>;
  close(): Promise<void>;
}

/** A configuration as the server would read it from the environment: port 0, silent, no demo, plus `env`. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', LOG_LEVEL: 'silent', MTEJA_DEMO: 'false', DATABASE_POOL_SIZE: '4', ...env });
}

/** A server on a fresh database of `engine`; `env` adds settings, as the environment would. */
export async function startServer(engine: Engine = sqlite, env: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mteja-test-'));
  const databaseUrl = engine.databaseUrl(dir);
  const config = testConfig({ ...env, DATABASE_URL: databaseUrl });
  const app = await createApp(config, createLogger(config));
  const url = await app.listen();
  const db = app.database.db;

  const newBusiness = async (name = 'Test Business') => {
    // Limits no test reaches; the rate-limit tests make their own businesses with real plans.
    const made = await createBusiness(db, { name, plan: 'enterprise', limits: '1000000/100000000/1000000000' });
    return { businessId: made.business._id, secret: made.clientsecret, clientId: made.credential.clientid };
  };
  const first = await newBusiness('First Business');

  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers };
    const secret = options.secret === undefined ? first.secret : options.secret;
    if (secret !== null) headers.authorization ??= secret;
    let body: string | Buffer | undefined = options.raw;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  return {
    url,
    app,
    db,
    databaseUrl,
    businessId: first.businessId,
    secret: first.secret,
    request,
    newBusiness,
    async close() {
      await app.close();
      await engine.cleanup(databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid customer body with a unique email. */
let sequence = 0;
export function customerBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    name: `Customer ${sequence}`,
    email: `customer${sequence}.${process.pid}@example.com`,
    phone: '+254712345678',
    country: 'Kenya',
    currency: 'KES',
    ...overrides,
  };
}
