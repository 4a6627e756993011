// Rate-limit plans: requests per second, minute and day for each plan; enterprise businesses carry their own.

export interface Window {
  /** Window length in milliseconds. */
  ms: number;
  limit: number;
}

export const WINDOW_MS = [1000, 60_000, 86_400_000] as const;

/** Per second / minute / day, from the Cashfin plans. Enterprise's numbers are custom; these apply until set. */
export const PLAN_LIMITS: Record<string, readonly [number, number, number]> = {
  free: [5, 60, 1000],
  starter: [10, 300, 10_000],
  professional: [25, 1000, 100_000],
  enterprise: [100, 5000, 1_000_000],
};

/** Parses "100/5000/1000000" (second/minute/day); undefined when malformed. */
export function parseLimits(text: string): [number, number, number] | undefined {
  const match = /^(\d{1,10})\/(\d{1,10})\/(\d{1,12})$/.exec(text.trim());
  if (!match) return undefined;
  const numbers = match.slice(1).map(Number) as [number, number, number];
  return numbers.every((n) => n > 0) ? numbers : undefined;
}

const known = new Map<string, readonly Window[]>();

/** The three windows of a business: its plan's numbers, or its own when it is on enterprise with custom limits. Parsed once per distinct setting. */
export function windowsFor(plan: string, custom: string | null): readonly Window[] {
  const key = `${plan}\n${custom ?? ''}`;
  let windows = known.get(key);
  if (!windows) {
    const limits = (plan === 'enterprise' && custom && parseLimits(custom)) || PLAN_LIMITS[plan] || PLAN_LIMITS.free;
    windows = Object.freeze(WINDOW_MS.map((ms, i) => Object.freeze({ ms, limit: limits[i] })));
    if (known.size >= 1000) known.clear();
    known.set(key, windows);
  }
  return windows;
}

export interface Decision {
  allowed: boolean;
  /** The headers' window: the one closest to running out (or, when denied, the one that denies longest). */
  limit: number;
  remaining: number;
  /** Unix seconds when that window starts afresh. */
  reset: number;
  /** When denied: whole seconds until a request will succeed. */
  retryAfter: number;
}

/** Decides from the counts before this request (fixed windows starting at multiples of their length). */
export function decide(windows: readonly Window[], counts: number[], now: number, allowed: boolean): Decision {
  const ends = windows.map((w) => (Math.floor(now / w.ms) + 1) * w.ms);
  if (!allowed) {
    let worst = -1;
    for (let i = 0; i < windows.length; i++)
      if (counts[i] >= windows[i].limit && (worst < 0 || ends[i] > ends[worst])) worst = i;
    return {
      allowed,
      limit: windows[worst].limit,
      remaining: 0,
      reset: Math.ceil(ends[worst] / 1000),
      retryAfter: Math.max(1, Math.ceil((ends[worst] - now) / 1000)),
    };
  }
  let closest = 0;
  const remaining = windows.map((w, i) => Math.max(0, w.limit - counts[i]));
  for (let i = 1; i < windows.length; i++) if (remaining[i] < remaining[closest]) closest = i;
  return {
    allowed,
    limit: windows[closest].limit,
    remaining: remaining[closest],
    reset: Math.ceil(ends[closest] / 1000),
    retryAfter: 0,
  };
}

/** Where the counters live: this process, or Redis for every node. */
export interface Limiter {
  consume(businessId: string, windows: readonly Window[], now?: number): Promise<Decision>;
  close(): Promise<void>;
}
