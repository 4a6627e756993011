// Test harness: the real server on a temporary database, spoken to over real HTTP, as a client would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createApp, createLogger, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { createBusiness } from '../../src/modules/business/business.store.js';

/** The engines every contract suite runs against. */
export interface Engine {
  name: string;
  /** A fresh, empty database for one test server; `dir` is a temporary folder it may use. */
  databaseUrl(dir: string): string;
}

export function engines(): Engine[] {
  return [{ name: 'sqlite', databaseUrl: (dir) => `sqlite:${join(dir, 'mteja.db')}` }];
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

export async function startServer(engine: Engine = engines()[0]): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mteja-test-'));
  const databaseUrl = engine.databaseUrl(dir);
  const config: Config = Object.freeze({ PORT: 0, HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', MTEJA_DEMO: false });
  const app = await createApp(config, createLogger(config));
  const url = await app.listen();
  const db = app.database.db;

  const newBusiness = async (name = 'Test Business') => {
    const made = await createBusiness(db, { name, plan: 'enterprise' });
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
