// Change signals: how a process learns that credentials or businesses changed, so that it may cache who a secret
// belongs to and still see a revocation on the next request. Three sources, summed into one number (db/connect.ts):
// - this process's own writes (the business store calls noteCredentialsChanged() after each one);
// - on SQLite, another process's commits (PRAGMA data_version moves, e.g. after `mteja keys revoke`);
// - on PostgreSQL, every node's commits (triggers NOTIFY mteja_credentials with the schema name; migration 0006).
import pg from 'pg';

let localChanges = 0;
let lostWrites = 0;

/** Called after any write to credentials or businesses in this process. */
export function noteCredentialsChanged(): void {
  localChanges++;
}

/**
 * Called when a commit fails and takes writes this process already read back (SQLite's group commit): whatever was
 * cached from them, callers or kept answers, must not be trusted. Both versions include it.
 */
export function noteLostWrites(): void {
  lostWrites++;
  localChanges++;
}

/** Moves with every noteLostWrites(). */
export const lostWritesEpoch = () => lostWrites;

/** This process's own changes: the part of every engine's version that needs no database. */
export const localCredentialChanges = () => localChanges;

/**
 * PostgreSQL: a LISTEN connection counting notifications for one schema. While it is not connected its version is
 * undefined, and callers must not cache; after a reconnect the count moves on, so nothing cached before is trusted.
 */
export class CredentialListener {
  readonly #url: string;
  readonly #schema: string;
  #client: pg.Client | undefined;
  #connected = false;
  #heard = 0;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(url: string, schema: string) {
    this.#url = url;
    this.#schema = schema;
  }

  /** Notifications heard for this schema (moving on each reconnect too), or undefined while not listening. */
  version(): number | undefined {
    return this.#connected ? this.#heard : undefined;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
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
    client.end().catch(() => {});
    if (!this.#closed) this.#retry = setTimeout(() => void this.start(), 1000).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#connected = false;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
