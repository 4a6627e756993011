// The post thread (see post-thread.ts): makes the attempts it is sent, at most `perEndpoint` at once for an endpoint
// and `overall` in all, each endpoint's in the order sent, and answers with how each went, BATCH_MS's answers in one
// message. Pacing here, not on the API's loop, starts an endpoint's next attempt as soon as one is answered: paced
// from the API's loop, each waited for a turn of it, and a busy node sent fewer webhooks than it made events.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Poster, type PostOptions } from './post.js';
import { BATCH_MS, type PostDone, type PostJob } from './post-thread.js';

/**
 * Linux: this thread runs at a lower priority (nice 10) than the API's, so that on a node whose cores are all busy the
 * API's requests come first and webhooks take what is left. They wait in the outbox meanwhile, already durable. With
 * a core to spare nothing changes. Elsewhere (no /proc/thread-self) the thread keeps the process's priority.
 */
function yieldToTheApi() {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
  } catch {
    // Not Linux, or not allowed: the same priority as the API.
  }
}
yieldToTheApi();

const options = workerData as PostOptions;
const poster = new Poster(options);
const answers: PostDone[] = [];
/** Per endpoint: attempts waiting for a slot, and attempts on the wire. */
const waiting = new Map<string, PostJob[]>();
const busy = new Map<string, number>();
let total = 0;
/** Told to stop: what waits is dropped and nothing more starts (the node's leases on them run out). */
let stopping = false;

function answer(done: PostDone) {
  if (answers.length === 0) setTimeout(() => parentPort!.postMessage(answers.splice(0)), BATCH_MS);
  answers.push(done);
}

/** Starts what the endpoints have room for, each endpoint in turn, so that none waits behind another's backlog. */
function pump() {
  if (stopping) return;
  for (const [endpointId, queue] of waiting) {
    while (queue.length > 0 && (busy.get(endpointId) ?? 0) < options.perEndpoint && total < options.overall)
      start(queue.shift()!);
    if (queue.length === 0) waiting.delete(endpointId);
    if (total >= options.overall) return;
  }
}

function start({ n, request }: PostJob) {
  const { endpointid } = request;
  busy.set(endpointid, (busy.get(endpointid) ?? 0) + 1);
  total++;
  void poster.post(request).then((result) => {
    total--;
    const left = busy.get(endpointid)! - 1;
    if (left === 0) busy.delete(endpointid);
    else busy.set(endpointid, left);
    // The endpoint's turn comes last now: another endpoint waiting for a slot goes first.
    const queue = waiting.get(endpointid);
    if (queue) {
      waiting.delete(endpointid);
      waiting.set(endpointid, queue);
    }
    answer({ n, result });
    pump();
  });
}

parentPort!.on('message', (message: PostJob[] | 'stop') => {
  if (message === 'stop') {
    stopping = true;
    waiting.clear();
    poster.close();
    parentPort!.close();
    return;
  }
  for (const job of message) {
    const queue = waiting.get(job.request.endpointid) ?? [];
    queue.push(job);
    waiting.set(job.request.endpointid, queue);
  }
  pump();
});
