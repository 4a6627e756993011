// SQLite reads off the event loop: a few worker threads, each with its own connection to the same file (WAL), run
// lists and searches, so one slow search never stalls the requests beside it. Each job carries the request budget:
// a job still queued past it is dropped, and a worker still running one is replaced by a fresh worker.
import { Worker } from 'node:worker_threads';
import type { PageReader } from './reads.js';
import type { RecordTableName } from './schema.js';

interface Job {
  message: { table: RecordTableName; businessId: string; query: object };
  deadline: number;
  resolve(result: { rows: unknown[]; total: number }): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

/** A read cancelled past its budget; db/errors.ts counts it as "not now" (503), like a busy database. */
function cancelled(): Error {
  return Object.assign(new Error('read cancelled past the request budget'), { code: 'SQLITE_INTERRUPT' });
}

export interface ReadPoolOptions {
  /** The database file. */
  path: string;
  /** How many worker threads (each holds one connection). */
  size: number;
  /** The request budget (REQUEST_TIMEOUT_MS): a job is dropped or cancelled this long after it was asked for. */
  budgetMs: number;
  /** Passed to each worker's handle (db/reads.ts). */
  scanBelow: number;
}

export class ReadPool implements PageReader {
  readonly #options: ReadPoolOptions;
  /** Workers start on the first read, so a server that only writes (or a test) pays nothing for them. */
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #closed = false;

  constructor(options: ReadPoolOptions) {
    this.#options = options;
  }

  listPage(table: RecordTableName, businessId: string, query: object): Promise<{ rows: unknown[]; total: number }> {
    if (this.#closed) return Promise.reject(Object.assign(new Error('database closed'), { code: 'SQLITE_BUSY' }));
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + this.#options.budgetMs;
      this.#queue.push({ message: { table, businessId, query }, deadline, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stops every worker (their connections close with them); reads asked for after this fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(cancelled());
    await Promise.all(this.#slots.splice(0).map((slot) => this.#stop(slot)));
  }

  #dispatch() {
    while (this.#slots.length < this.#options.size) this.#slots.push(this.#start());
    for (const slot of this.#slots) {
      if (slot.job) continue;
      let job = this.#queue.shift();
      // Past its budget while waiting: its client has had its 503 already.
      while (job && job.deadline <= Date.now()) {
        job.reject(cancelled());
        job = this.#queue.shift();
      }
      if (!job) return;
      slot.job = job;
      slot.timer = setTimeout(() => this.#cancel(slot), job.deadline - Date.now());
      slot.worker.postMessage(job.message);
    }
  }

  #start(): Slot {
    const worker = new Worker(new URL('./read-worker.js', import.meta.url), {
      workerData: { path: this.#options.path, scanBelow: this.#options.scanBelow },
    });
    const slot: Slot = { worker };
    worker.on('message', (reply: { result?: { rows: unknown[]; total: number }; error?: { message: string } }) => {
      const job = this.#finish(slot);
      if (reply.error) job?.reject(Object.assign(new Error(reply.error.message), reply.error));
      else job?.resolve(reply.result!);
      this.#dispatch();
    });
    // A worker that dies (it cannot open the file, it runs out of memory) fails its job and is replaced.
    worker.on('error', (error) => this.#replace(slot, error));
    worker.on('exit', () => this.#replace(slot, cancelled()));
    return slot;
  }

  #finish(slot: Slot): Job | undefined {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = slot.timer = undefined;
    return job;
  }

  /**
   * Past the budget: better-sqlite3 cannot interrupt a statement, so the worker is terminated and a fresh one takes
   * its place at once. The terminated thread ends when its statement returns; its answer is never read.
   */
  #cancel(slot: Slot) {
    this.#replace(slot, cancelled());
    void this.#stop(slot);
  }

  #replace(slot: Slot, error: Error) {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    this.#finish(slot)?.reject(error);
    this.#slots.splice(index, 1);
    if (!this.#closed && this.#queue.length > 0) this.#dispatch();
  }

  async #stop(slot: Slot) {
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }
}
