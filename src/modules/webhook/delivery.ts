// The sender: claims due deliveries and POSTs them, a few at a time per endpoint so that a slow or dead endpoint
// never holds up another, logs each attempt and schedules the next. One per node; woken after a request that made
// deliveries, and every second otherwise (another node's or the CLI's deliveries, retries coming due).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Logger } from 'pino';
import { type Config, retrySchedule } from '../../config.js';
import type { Queryable } from '../../db/engine.js';
import { pruneEvents } from '../event/event.store.js';
import { type Attempt, type Claimed, claimDue, LOGGED_BODY, queuedCount, recordAttempts } from './delivery.store.js';
import { signatureHeaders } from './signing.js';
import { resolveTarget, type Target } from './ssrf.js';

/** Attempts in flight per endpoint, and in all; deliveries a node holds (claimed, in flight or waiting) per endpoint, and in all. */
const PER_ENDPOINT = 8;
const OVERALL = 64;
const HELD_PER_ENDPOINT = 64;
const HELD = 512;
const POLL_MS = 1000;
const EVENTS_KEPT_MS = 30 * 24 * 3600_000;
export const USER_AGENT = 'mteja-webhooks/1.0.0';

/** The wait before the attempt after `made` attempts, with ±10% jitter; null when the schedule is spent. */
export function nextDelay(schedule: readonly number[], made: number, random = Math.random): number | null {
  if (made >= schedule.length) return null;
  return Math.round(schedule[made] * (0.9 + 0.2 * random()));
}

/**
 * POSTs a body to the address checked, never to another the name resolves to later. A kept-alive connection of the
 * endpoint's agent was opened to an address checked the same way.
 */
function post(
  target: Target,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
  agent: HttpAgent,
) {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = send(target.url, { method: 'POST', headers, lookup, signal, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < LOGGED_BODY) text += chunk;
        else res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, body: text.slice(0, LOGGED_BODY) });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`No answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export class WebhookSender {
  /** Per endpoint: attempts in flight, and claimed deliveries waiting for a slot. */
  readonly #inflight = new Map<string, number>();
  readonly #waiting = new Map<string, Claimed[]>();
  #total = 0;
  #held = 0;
  #lastWake = 0;
  readonly #aborts = new Set<AbortController>();
  #stopped = false;
  #passing = false;
  #again = false;
  #seen = -1;
  #timers: NodeJS.Timeout[] = [];
  /** Kept-alive connections per endpoint (and scheme), at most PER_ENDPOINT each. */
  readonly #agents = new Map<string, HttpAgent>();
  /** Attempts made and not yet logged: written together, one transaction per batch. */
  #unlogged: { delivery: Claimed; attempt: Attempt }[] = [];
  #logging: Promise<void> | undefined;
  readonly #schedule: number[];

  constructor(
    private readonly db: Queryable,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly durable: () => Promise<void>,
  ) {
    this.#schedule = retrySchedule(config);
  }

  start() {
    this.#timers.push(setInterval(() => this.#pass(), POLL_MS).unref());
    const prune = () =>
      pruneEvents(this.db, new Date(Date.now() - EVENTS_KEPT_MS).toISOString()).catch((error) =>
        this.logger.warn({ err: error }, 'event clean-up failed'),
      );
    this.#timers.push(setInterval(prune, 3600_000).unref());
    void prune();
    this.#pass();
  }

  /**
   * Looks for work at once when this process queued deliveries since the last look; while attempts are in flight,
   * at most every 50 ms (their ends look too), so a burst of writes does not cost a claim query each.
   */
  wake() {
    if (queuedCount() === this.#seen) return;
    if (this.#total === 0 || Date.now() - this.#lastWake > 50) {
      this.#lastWake = Date.now();
      this.#pass();
    }
  }

  /** Stops claiming and abandons attempts in flight: their leases run out and they are sent again (at least once). */
  stop() {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    for (const abort of this.#aborts) abort.abort();
    this.#waiting.clear();
    for (const agent of this.#agents.values()) agent.destroy();
  }

  #agent(delivery: Claimed, https: boolean): HttpAgent {
    const key = `${delivery.endpointid} ${https}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      const options = { keepAlive: true, maxSockets: PER_ENDPOINT, timeout: 30_000 };
      agent = https ? new HttpsAgent(options) : new HttpAgent(options);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** Logs the attempts made since the last write, in one transaction; one write at a time. */
  #log(delivery: Claimed, attempt: Attempt): Promise<void> {
    this.#unlogged.push({ delivery, attempt });
    this.#logging ??= (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      while (this.#unlogged.length > 0 && !this.#stopped) {
        const batch = this.#unlogged;
        this.#unlogged = [];
        await recordAttempts(this.db, batch).catch((error) =>
          this.logger.warn({ err: error, deliveries: batch.length }, 'webhook attempts not recorded'),
        );
      }
    })().finally(() => (this.#logging = undefined));
    return this.#logging;
  }

  #pass() {
    if (this.#stopped) return;
    if (this.#passing) {
      this.#again = true;
      return;
    }
    this.#passing = true;
    this.#claim()
      .catch((error) => this.logger.warn({ err: error }, 'webhook claim failed'))
      .finally(() => {
        this.#passing = false;
        if (this.#again) {
          this.#again = false;
          this.#pass();
        }
      });
  }

  /** What this node holds of an endpoint's deliveries: in flight and waiting. */
  #holding(endpointId: string) {
    return (this.#inflight.get(endpointId) ?? 0) + (this.#waiting.get(endpointId)?.length ?? 0);
  }

  async #claim() {
    do {
      this.#again = false;
      this.#seen = queuedCount();
      const free = HELD - this.#held;
      if (free <= 0) return;
      // Held long enough for every claimed delivery to wait its turn behind the endpoint's attempts and be tried.
      const lease = (most: number) => {
        const rounds = Math.ceil(most / PER_ENDPOINT) + 1;
        return new Date(Date.now() + rounds * this.config.WEBHOOK_TIMEOUT_MS + 1000).toISOString();
      };
      const room = (endpointId: string) => HELD_PER_ENDPOINT - this.#holding(endpointId);
      const full = [...this.#inflight.keys()].filter((id) => room(id) <= 0);
      const claimed = await claimDue(this.db, free, room, lease, full);
      if (claimed.length > 0) await this.durable();
      for (const delivery of claimed) {
        const queue = this.#waiting.get(delivery.endpointid) ?? [];
        queue.push(delivery);
        this.#waiting.set(delivery.endpointid, queue);
        this.#held++;
      }
      for (const endpointId of new Set(claimed.map((d) => d.endpointid))) this.#drain(endpointId);
      // A full claim may have left more behind.
      if (claimed.length >= free) this.#again = true;
    } while (this.#again && !this.#stopped);
  }

  /** Starts the endpoint's waiting deliveries while it has fewer than PER_ENDPOINT in flight (and the node OVERALL). */
  #drain(endpointId: string) {
    const queue = this.#waiting.get(endpointId);
    while (queue?.length && (this.#inflight.get(endpointId) ?? 0) < PER_ENDPOINT && this.#total < OVERALL)
      this.#send(queue.shift()!);
    if (queue?.length === 0) this.#waiting.delete(endpointId);
  }

  #send(delivery: Claimed) {
    this.#inflight.set(delivery.endpointid, (this.#inflight.get(delivery.endpointid) ?? 0) + 1);
    this.#total++;
    const abort = new AbortController();
    this.#aborts.add(abort);
    this.#attempt(delivery, abort.signal)
      .then((attempt) => (this.#stopped ? undefined : this.#log(delivery, attempt)))
      .catch((error) => this.logger.warn({ err: error, delivery: delivery.id }, 'webhook attempt not recorded'))
      .finally(() => {
        this.#aborts.delete(abort);
        this.#total--;
        this.#held--;
        const left = (this.#inflight.get(delivery.endpointid) ?? 1) - 1;
        if (left === 0) this.#inflight.delete(delivery.endpointid);
        else this.#inflight.set(delivery.endpointid, left);
        if (this.#stopped) return;
        // A slot is free: this endpoint's next delivery, or another's, goes; claim more when running low.
        this.#drain(delivery.endpointid);
        for (const endpointId of this.#waiting.keys()) if (this.#total < OVERALL) this.#drain(endpointId);
        if (this.#holding(delivery.endpointid) <= PER_ENDPOINT) {
          this.#again = true;
          this.#pass();
        }
      });
  }

  async #attempt(delivery: Claimed, signal: AbortSignal): Promise<Attempt> {
    const started = Date.now();
    const at = new Date(started).toISOString();
    const secrets = [delivery.secret];
    if (delivery.previoussecret && delivery.previousuntil && delivery.previousuntil > at)
      secrets.push(delivery.previoussecret);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signatureHeaders(secrets, delivery.eventid, delivery.body),
    };
    let status: number | null = null;
    let body: string | null = null;
    let error: string | null = null;
    try {
      const target = await resolveTarget(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE);
      const agent = this.#agent(delivery, target.url.protocol === 'https:');
      const answer = await post(target, headers, delivery.body, this.config.WEBHOOK_TIMEOUT_MS, signal, agent);
      status = answer.status;
      body = answer.body;
      if (status < 200 || status > 299) error = `Answered ${status}`;
    } catch (failure) {
      error = (failure as Error).message || String(failure);
    }
    const ok = error === null;
    const delay = ok ? null : nextDelay(this.#schedule, delivery.attempts + 1);
    const retryAt = delay === null ? null : new Date(Date.now() + delay).toISOString();
    return { ok, status, body, latencyms: Date.now() - started, error, at, retryAt };
  }
}
