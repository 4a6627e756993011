// Shared counters in Redis: one atomic script per request checks all three windows and counts only if all allow.
// While Redis is unreachable the node falls back to its own counters, says so once, and returns when Redis does.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Decision, decide, type Limiter, type Window } from './limits.js';
import { MemoryLimiter } from './memory.js';

// KEYS: one counter per window. ARGV: the limits, then each window's length in ms (the counter's lifetime).
const SCRIPT = `
local counts = {}
for i = 1, #KEYS do
  counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if counts[i] >= tonumber(ARGV[i]) then
    return {0, unpack(counts)}
  end
end
for i = 1, #KEYS do
  counts[i] = redis.call('INCR', KEYS[i])
  if counts[i] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[#KEYS + i]) end
end
return {1, unpack(counts)}
`;

/** Opens a Redis client that fails fast while disconnected (no queueing), and keeps reconnecting. */
export function openRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  return redis;
}

export class RedisLimiter implements Limiter {
  private readonly fallback = new MemoryLimiter();
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {
    redis.defineCommand('mtejaRateLimit', { lua: SCRIPT });
  }

  async consume(businessId: string, windows: readonly Window[], now = Date.now()): Promise<Decision> {
    const keys = windows.map((w) => `mteja:rl:${businessId}:${w.ms}:${Math.floor(now / w.ms)}`);
    try {
      const args = [...keys, ...windows.map((w) => w.limit), ...windows.map((w) => w.ms)];
      const [allowed, ...counts] = (
        await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<number[]>>).mtejaRateLimit(
          keys.length,
          ...args,
        )
      ).map(Number);
      if (this.degraded) {
        this.degraded = false;
        this.logger.warn('redis is back: rate limits are shared by every node again');
      }
      return decide(windows, counts, now, allowed === 1);
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(
          { err: error },
          'redis unreachable: rate limits fall back to per-node counters until it returns',
        );
      }
      return this.fallback.consume(businessId, windows, now);
    }
  }

  async close() {
    this.redis.disconnect();
  }
}
