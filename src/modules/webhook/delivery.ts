// The sender: claims due deliveries and has them POSTed, a few at a time per endpoint so that a slow or dead endpoint
// never holds up another, logs each attempt and schedules the next. One per node. The deliveries its node's writes
// queue are handed to it once committed and claimed by id; every second it also looks for due ones (retries,
// redeliveries, another node's, the CLI's, any a crash left behind). Signing, HTTP and the pacing of attempts per
// endpoint run on the post thread.
import type { Logger } from 'pino';
import { type Config, retrySchedule } from '../../config.js';
import type { Queryable } from '../../db/engine.js';
import { pruneEvents } from '../event/event.store.js';
import { type Attempt, recordAttempts } from './attempt.store.js';
import { type Claimed, claimDue, handOffFor, madeDueCount, releaseLeases, takeHandoffs } from './delivery.store.js';
import { PostThread } from './post-thread.js';

/**
 * Attempts on the wire per endpoint, and in all (post-worker.ts keeps to them); deliveries a node holds (claimed, sent
 * to the post thread, answered and not logged yet) per endpoint, and in all.
 */
const PER_ENDPOINT = 16;
const OVERALL = 128;
const HELD_PER_ENDPOINT = 128;
const HELD = 1024;
const POLL_MS = 1000;
const EVENTS_KEPT_MS = 30 * 24 * 3600_000;

/** The wait before the attempt after `made` attempts, with ±10% jitter; null when the schedule is spent. */
export function nextDelay(schedule: readonly number[], made: number, random = Math.random): number | null {
  if (made >= schedule.length) return null;
  return Math.round(schedule[made] * (0.9 + 0.2 * random()));
}

export class WebhookSender {
  /** Per endpoint: deliveries sent to the post thread and not answered yet. */
  readonly #inflight = new Map<string, number>();
  #held = 0;
  /** Deliveries this node's writes queued (wake), to claim by id. */
  #handed: Claimed[] = [];
  /** Look for due deliveries on the next pass: the timer, a redelivery, or a last look that found some. */
  #poll = true;
  /** The last look found deliveries, or hand-offs found no room: look again as attempts end. */
  #backlog = false;
  #started = false;
  #stopped = false;
  #passing = false;
  #again = false;
  #timers: NodeJS.Timeout[] = [];
  #scheduled = false;
  #seenDue = 0;
  readonly #poster: PostThread;
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
    this.#poster = new PostThread({
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      perEndpoint: PER_ENDPOINT,
      overall: OVERALL,
    });
  }

  start() {
    this.#started = true;
    // What this node's writes queue is leased to it as if claimed with the most an endpoint may hold.
    handOffFor(this.db, this.#leaseMs());
    // Every second: what this node's writes queued outside a request (none woke it), and the due ones.
    this.#timers.push(setInterval(() => this.wake(true), POLL_MS).unref());
    const prune = () =>
      pruneEvents(this.db, new Date(Date.now() - EVENTS_KEPT_MS).toISOString()).catch((error) =>
        this.logger.warn({ err: error }, 'event clean-up failed'),
      );
    this.#timers.push(setInterval(prune, 3600_000).unref());
    void prune();
    this.#pass();
  }

  /**
   * After a request that may have written, and every second, at most once a turn of the event loop: takes the
   * deliveries this process's committed transactions queued (leased to it as they were queued) and sends them once
   * their group is on disk (durable()). `poll`, or a redelivery made others due: it looks for due ones too.
   */
  wake(poll = false) {
    if (poll) this.#poll = true;
    if (this.#scheduled || !this.#started || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const handed = takeHandoffs(this.db);
      const poll = this.#poll || madeDueCount(this.db) !== this.#seenDue;
      this.#seenDue = madeDueCount(this.db);
      if (handed.length === 0 && !poll) return;
      this.durable().then(
        () => {
          for (const delivery of handed) this.#handed.push(delivery);
          this.#pass(poll);
        },
        // Not committed: whatever of it was, the poll finds.
        () => undefined,
      );
    });
  }

  /** Stops claiming and abandons attempts in flight: their leases run out and they are sent again (at least once). */
  async stop() {
    this.#stopped = true;
    if (this.#started) handOffFor(this.db, undefined);
    for (const timer of this.#timers) clearInterval(timer);
    this.#handed = [];
    await this.#poster.stop();
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

  #pass(poll = false) {
    if (poll) this.#poll = true;
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

  /** What this node holds of an endpoint's deliveries and has not had answered: on the wire, or waiting for a slot. */
  #holding(endpointId: string) {
    return this.#inflight.get(endpointId) ?? 0;
  }

  /**
   * Held long enough for a delivery to wait its turn behind all the node may hold for its endpoint (HELD_PER_ENDPOINT,
   * PER_ENDPOINT at a time) and be tried: a claim's lease counted only what the claim took, and one claimed behind a
   * hundred held ones could run out, be claimed again and be sent twice. The overall cap (OVERALL of HELD) is the same
   * number of rounds.
   */
  #leaseMs() {
    const rounds = Math.ceil(HELD_PER_ENDPOINT / PER_ENDPOINT) + 1;
    return rounds * this.config.WEBHOOK_TIMEOUT_MS + 1000;
  }

  /** Room for more of an endpoint's deliveries on this node. */
  #room(endpointId: string) {
    return HELD_PER_ENDPOINT - this.#holding(endpointId);
  }

  async #claim() {
    do {
      this.#again = false;
      if (this.#handed.length > 0) await this.#claimHanded();
      if (this.#poll && !this.#stopped) {
        this.#poll = false;
        await this.#claimDue();
      }
    } while (this.#again && !this.#stopped);
  }

  /** Takes the handed-off deliveries (leased to this node as they were queued) there is room for; gives the rest back. */
  async #claimHanded() {
    const handed = this.#handed;
    this.#handed = [];
    const taken = new Map<string, number>();
    const wanted: Claimed[] = [];
    for (const delivery of handed) {
      const n = taken.get(delivery.endpointid) ?? 0;
      if (this.#held + wanted.length >= HELD || n >= this.#room(delivery.endpointid)) {
        this.#backlog = true;
        continue;
      }
      taken.set(delivery.endpointid, n + 1);
      wanted.push(delivery);
    }
    this.#held += wanted.length;
    this.#hold(wanted);
    if (wanted.length < handed.length) {
      const kept = new Set(wanted);
      const back = handed.filter((d) => !kept.has(d)).map((d) => d.id);
      await releaseLeases(this.db, back).catch((error) => this.logger.warn({ err: error }, 'webhook leases kept'));
    }
  }

  async #claimDue() {
    const free = HELD - this.#held;
    if (free <= 0) {
      this.#backlog = true;
      return;
    }
    const room = (endpointId: string) => this.#room(endpointId);
    const full = [...this.#inflight.keys()].filter((id) => room(id) <= 0);
    const claimed = await claimDue(
      this.db,
      free,
      room,
      // As long as a hand-off's: what is claimed waits behind all the node holds for its endpoint, not only this claim.
      new Date(Date.now() + this.#leaseMs()).toISOString(),
      full,
    );
    // Some found, or an endpoint had no room for more: there may be more behind them.
    this.#backlog = claimed.length > 0 || full.length > 0;
    if (claimed.length >= free) this.#poll = this.#again = true;
    if (claimed.length === 0) return;
    this.#held += claimed.length;
    await this.durable();
    this.#hold(claimed);
  }

  /**
   * Sends held deliveries (counted in #held, their leases on disk) to the post thread, which starts each as its
   * endpoint has room (PER_ENDPOINT, and OVERALL in all).
   */
  #hold(claimed: Claimed[]) {
    for (const delivery of claimed) this.#send(delivery);
  }

  #send(delivery: Claimed) {
    this.#inflight.set(delivery.endpointid, (this.#inflight.get(delivery.endpointid) ?? 0) + 1);
    // Answered, it no longer counts against its endpoint; it stays held until its attempt is logged (on PostgreSQL a
    // batch's log takes a round trip per delivery, and waiting for it held the next attempts back).
    let answered = false;
    const free = () => {
      if (answered) return;
      answered = true;
      const left = (this.#inflight.get(delivery.endpointid) ?? 1) - 1;
      if (left === 0) this.#inflight.delete(delivery.endpointid);
      else this.#inflight.set(delivery.endpointid, left);
    };
    this.#attempt(delivery)
      .then((attempt) => {
        free();
        return this.#stopped ? undefined : this.#log(delivery, attempt);
      })
      .catch((error) => this.logger.warn({ err: error, delivery: delivery.id }, 'webhook attempt not recorded'))
      .finally(() => {
        free();
        this.#held--;
        // Claim more when running low.
        if (!this.#stopped && this.#backlog && this.#holding(delivery.endpointid) <= PER_ENDPOINT) this.#pass(true);
      });
  }

  async #attempt(delivery: Claimed): Promise<Attempt> {
    const now = new Date().toISOString();
    const secrets = [delivery.secret];
    if (delivery.previoussecret && delivery.previousuntil && delivery.previousuntil > now)
      secrets.push(delivery.previoussecret);
    const { endpointid, eventid, body, url } = delivery;
    const result = await this.#poster.post({ endpointid, eventid, body, url, secrets });
    const ok = result.error === null;
    const delay = ok ? null : nextDelay(this.#schedule, delivery.attempts + 1);
    const retryAt = delay === null ? null : new Date(Date.now() + delay).toISOString();
    return {
      status: result.status,
      body: result.body,
      error: result.error,
      latencyms: result.latencyms,
      ok,
      // When it went on the wire, after any wait for its endpoint's turn on the post thread.
      at: result.at,
      retryAt,
    };
  }
}
