// Per-process counters: the limiter of a single node, and every node's fallback while Redis is away.
import { type Decision, decide, type Limiter, type Window } from './limits.js';

export class MemoryLimiter implements Limiter {
  private readonly counters = new Map<string, { start: number; count: number }>();
  private sweeps = 0;

  async consume(businessId: string, windows: readonly Window[], now = Date.now()): Promise<Decision> {
    const slots = windows.map((w) => {
      const key = `${businessId}:${w.ms}`;
      const start = Math.floor(now / w.ms) * w.ms;
      let slot = this.counters.get(key);
      if (!slot || slot.start !== start) {
        slot = { start, count: 0 };
        this.counters.set(key, slot);
      }
      return slot;
    });
    const allowed = slots.every((slot, i) => slot.count < windows[i].limit);
    if (allowed) for (const slot of slots) slot.count += 1;
    if (++this.sweeps % 10_000 === 0) this.sweep(now);
    // After counting, as Redis reports it: the counts including this request.
    return decide(
      windows,
      slots.map((s) => s.count),
      now,
      allowed,
    );
  }

  /** Forgets windows that ended over a day ago, so memory stays bounded by active businesses. */
  private sweep(now: number) {
    for (const [key, slot] of this.counters) if (slot.start < now - 2 * 86_400_000) this.counters.delete(key);
  }

  async close() {}
}
