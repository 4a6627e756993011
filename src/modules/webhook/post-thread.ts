// Webhook attempts off the API's event loop: signing, TLS and HTTP run on a thread of their own, so a node sending
// as many webhooks as it serves writes spends its own loop only on claiming and logging them. The thread is started
// on the first attempt; one that dies is started again, and the attempts it had in flight count as abandoned.
import { Worker } from 'node:worker_threads';
import type { PostOptions, PostRequest, PostResult } from './post.js';

/**
 * What goes to the thread and comes back, in one message each way per BATCH_MS: a message costs the API's loop
 * about 50 µs however small (one per turn was 8% of its time at 1,500 deliveries a second).
 */
export const BATCH_MS = 2;
/** One attempt asked for, and its answer. */
export type PostJob = { n: number; request: PostRequest };
export type PostDone = { n: number; result: PostResult };

export class PostThread {
  #worker: Worker | undefined;
  #stopped = false;
  #sequence = 0;
  readonly #waiting = new Map<number, { resolve(result: PostResult): void; reject(error: Error): void }>();
  /** Attempts asked for in this turn of the event loop: sent to the thread together, in one message. */
  #outbox: PostJob[] = [];

  constructor(private readonly options: PostOptions) {}

  /** Makes one attempt; rejects when the thread stopped or died before answering (the attempt is abandoned). */
  post(request: PostRequest): Promise<PostResult> {
    if (this.#stopped) return Promise.reject(new Error('webhook sender stopped'));
    const n = ++this.#sequence;
    return new Promise((resolve, reject) => {
      this.#waiting.set(n, { resolve, reject });
      if (this.#outbox.length === 0) setTimeout(() => this.#thread().postMessage(this.#outbox.splice(0)), BATCH_MS);
      this.#outbox.push({ n, request });
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./post-worker.js', import.meta.url), { workerData: this.options });
    worker.unref();
    worker.on('message', (done: PostDone[]) => {
      for (const { n, result } of done) {
        this.#waiting.get(n)?.resolve(result);
        this.#waiting.delete(n);
      }
    });
    const gone = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', () => gone(new Error('webhook post thread exited')));
    this.#worker = worker;
    return worker;
  }

  /** Stops the thread; attempts in flight are abandoned (their leases run out and they are sent again). */
  async stop(): Promise<void> {
    this.#stopped = true;
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(timer);
  }
}
