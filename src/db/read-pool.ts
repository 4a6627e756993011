// SQLite reads off the event loop: a few worker threads, each with its own connection to the same file (WAL), run
// lists and searches, so one slow search never stalls the requests beside it. Each job carries the request budget:
// a job still queued past it is dropped; one running past it is answered 503 at once, and its statement stops itself
// (read-worker.ts); a worker whose statement has not stopped within STOP_GRACE_MS is replaced by a fresh worker.
import { Worker } from 'node:worker_threads';
import { pastBudget } from './errors.js';
import type { PageReader } from './reads.js';
import type { RecordTableName } from './schema.js';

/** What a worker reads (read-worker.ts): a page of records, or a page of events. */
export type ReadJob =
  | { read: 'page'; table: RecordTableName; businessId: string; query: object }
  | { read: 'events'; businessId: string; paging: object; query: object };

/** A job as a worker receives it: with the instant its budget ends (Date.now() is the same clock in every thread). */
export type SentJob = ReadJob & { deadline: number };

interface Job {
  message: ReadJob;
  /** A search of a large business, which may cost as much as its matches: it never takes the last free worker. */
  heavy: boolean;
  deadline: number;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded (its first message): until then no job is sent to it, so none can time out in it. */
  ready: boolean;
  /** Its job, from the moment it is sent until the worker answers (after a cancel too: until then it is busy). */
  job?: Job;
  /** Fires at the job's deadline, then, once it is cancelled, at the end of the worker's grace to stop. */
  timer?: NodeJS.Timeout;
}

/** A read given up because the pool closed or its worker died; db/errors.ts counts it as "not now" (503). */
function cancelled(): Error {
  return Object.assign(new Error('read cancelled'), { code: 'SQLITE_INTERRUPT' });
}

/** The longest close() waits for a worker still in a statement. */
const CLOSE_WAIT_MS = 2000;
/**
 * How long a worker whose job was cancelled has to stop its statement before it is replaced. A search checks its
 * budget about every 1,024 rows it evaluates (db/search.ts), a millisecond or so of scanning; a statement that never
 * checks (a count under several filters) runs on meanwhile.
 */
const STOP_GRACE_MS = 1000;

export interface ReadPoolOptions {
  /** The database file. */
  path: string;
  /** How many worker threads (each holds one connection). */
  size: number;
  /** The request budget (REQUEST_TIMEOUT_MS): a job is dropped or cancelled this long after it was asked for. */
  budgetMs: number;
  /** Passed to each worker's handle (db/reads.ts). */
  scanBelow: number;
  /**
   * The main connection's pending commit (GroupCommitDriver.committed()): a job waits for it before it is queued, so
   * that a list sees every write this process made before asking, acknowledged or not; undefined: none pending.
   */
  committed?: () => Promise<void> | undefined;
  /** The longest close() waits for a worker still in a statement (CLOSE_WAIT_MS unless said). */
  closeWaitMs?: number;
  /** How long a cancelled job's worker has to stop before it is replaced (STOP_GRACE_MS unless said). */
  stopGraceMs?: number;
  /** False: workers never stop a statement themselves, as one that never checks (tests of the grace). */
  selfStop?: boolean;
}

export class ReadPool implements PageReader {
  readonly #options: ReadPoolOptions;
  /** Reads asked of the pool, by kind, since it was made: how a test tells that a read ran off the event loop. */
  readonly asked: Record<ReadJob['read'], number> = { page: 0, events: 0 };
  #started = 0;
  /** Workers start on the first read, so a server that only writes (or a test) pays nothing for them. */
  readonly #slots: Slot[] = [];
  #queue: Job[] = [];
  #closed = false;
  /**
   * Workers told to stop whose statement may still run (better-sqlite3 cannot interrupt one), each with its exit: each
   * still holds its thread, heap and connection until the statement returns. Replacements start only while the
   * draining workers and the pool's together stay within twice its size (never fewer than one worker), so a burst of
   * hopeless searches costs about twice the pool's memory, not a worker each.
   */
  readonly #draining = new Map<Worker, Promise<void>>();

  constructor(options: ReadPoolOptions) {
    this.#options = options;
  }

  /** Workers started since it was made: how a test tells that a cancelled read did not cost a thread. */
  get started(): number {
    return this.#started;
  }

  listPage(
    table: RecordTableName,
    businessId: string,
    query: object,
    heavy: boolean,
  ): ReturnType<PageReader['listPage']> {
    // The worker answers with what readPage() made (read-worker.ts).
    return this.#ask({ read: 'page', table, businessId, query }, heavy) as ReturnType<PageReader['listPage']>;
  }

  listEvents(businessId: string, paging: object, query: object): ReturnType<PageReader['listEvents']> {
    // The worker answers with what readEvents() made.
    return this.#ask({ read: 'events', businessId, paging, query }, false) as ReturnType<PageReader['listEvents']>;
  }

  #ask(message: ReadJob, heavy: boolean): Promise<unknown> {
    this.asked[message.read]++;
    if (this.#closed) return Promise.reject(Object.assign(new Error('database closed'), { code: 'SQLITE_BUSY' }));
    const committed = this.#options.committed?.();
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + this.#options.budgetMs;
      const job = { message, heavy, deadline, resolve, reject };
      // Only when a write group is open; otherwise queued in this very call, as before.
      if (committed) void committed.then(() => this.#enqueue(job));
      else this.#enqueue(job);
    });
  }

  /** Starts every worker now rather than on the first read (each takes a few hundred ms to load). */
  start(): void {
    if (!this.#closed) this.#dispatch();
  }

  /**
   * Stops every worker and waits for them to exit, their connections closed with them; reads asked for after this
   * fail. A worker mid-statement exits only when its statement returns (terminate() takes effect only when its
   * JavaScript runs again): it is waited for closeWaitMs at most, then left to the process's exit, so that shutdown
   * never hangs on one long search.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(cancelled());
    for (const slot of this.#slots.splice(0)) {
      this.#finish(slot)?.reject(cancelled());
      this.#drain(slot);
    }
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.#options.closeWaitMs ?? CLOSE_WAIT_MS)),
    );
    await Promise.race([Promise.all(this.#draining.values()), bound]);
    clearTimeout(timer);
  }

  #enqueue(job: Job) {
    if (this.#closed) return job.reject(cancelled());
    this.#queue.push(job);
    this.#dispatch();
  }

  #dispatch() {
    const room = Math.max(1, this.#options.size * 2 - this.#draining.size);
    while (this.#slots.length < Math.min(this.#options.size, room)) this.#slots.push(this.#start());
    // Past its budget while waiting: its client has had its 503 already.
    const now = Date.now();
    for (const job of this.#queue.filter((j) => j.deadline <= now)) job.reject(pastBudget());
    this.#queue = this.#queue.filter((j) => j.deadline > now);
    for (const slot of this.#slots) {
      if (slot.job || !slot.ready) continue;
      const job = this.#next();
      if (!job) return;
      slot.job = job;
      slot.timer = setTimeout(() => this.#cancel(slot), job.deadline - Date.now());
      slot.worker.postMessage({ ...job.message, deadline: job.deadline } satisfies SentJob);
    }
  }

  /**
   * The next job to run: lists and small businesses' searches first, in order; a large business's search only while
   * another worker stays free for them, so a burst of expensive searches (a 1-character term at 1M rows counts ~1M
   * rows) never holds every worker.
   */
  #next(): Job | undefined {
    let index = this.#queue.findIndex((j) => !j.heavy);
    if (index === -1) {
      const searching = this.#slots.filter((slot) => slot.job?.heavy).length;
      if (searching >= Math.max(1, this.#options.size - 1)) return undefined;
      index = 0;
    }
    return this.#queue.splice(index, 1)[0];
  }

  #start(): Slot {
    this.#started++;
    const worker = new Worker(new URL('./read-worker.js', import.meta.url), {
      workerData: {
        path: this.#options.path,
        scanBelow: this.#options.scanBelow,
        selfStop: this.#options.selfStop ?? true,
      },
    });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (reply: { ready?: true; result?: unknown; error?: { message: string } }) => {
      // Loaded. A job sent while it loaded would have run past its budget on a busy machine and had the loading
      // worker terminated as if stuck in a statement, and its replacement too: on a slow CI machine lists came
      // back 14 s after one cancelled search.
      if (reply.ready) {
        slot.ready = true;
        return this.#dispatch();
      }
      // A cancelled job was rejected at its deadline: settling it again does nothing, and the worker is free.
      const job = this.#finish(slot);
      if (reply.error) job?.reject(Object.assign(new Error(reply.error.message), reply.error));
      else job?.resolve(reply.result);
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
   * Past the budget: the client is answered now, and the worker, its statement stopping itself (read-worker.ts), stays
   * busy until it answers. If it has not within the grace (a statement that never checks), it is terminated and a
   * fresh one takes its place; better-sqlite3 cannot interrupt a statement, so the terminated thread ends at its next
   * check (the termination is raised there) or, one that never checks, when its statement returns; its answer is
   * never read.
   */
  #cancel(slot: Slot) {
    slot.job?.reject(pastBudget());
    slot.timer = setTimeout(() => {
      this.#drain(slot);
      this.#replace(slot, pastBudget(), true);
    }, this.#options.stopGraceMs ?? STOP_GRACE_MS);
  }

  /** Takes a worker out, failing its job; a fresh one starts now after a cancel, else when a read needs it. */
  #replace(slot: Slot, error: Error, restart = false) {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    this.#finish(slot)?.reject(error);
    this.#slots.splice(index, 1);
    if (!this.#closed && (restart || this.#queue.length > 0)) this.#dispatch();
  }

  /** Terminates a worker taken out of the pool; it counts as draining until it has exited. */
  #drain({ worker }: Slot) {
    worker.removeAllListeners('exit');
    const exit = () => {
      this.#draining.delete(worker);
      if (!this.#closed) this.#dispatch();
    };
    const exited = worker.terminate().then(exit, exit);
    this.#draining.set(worker, exited);
  }
}
