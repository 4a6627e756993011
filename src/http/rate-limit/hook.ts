// The rate-limit step after authentication: headers on every authenticated response, 429 past any window.
// A publishable key (a web page's) is also limited per client address, so one visitor cannot spend the business's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimited } from '../errors.js';
import { type Limiter, parseLimits, WINDOW_MS, type Window, windowsFor } from './limits.js';

/** The windows of "second/minute/day" (PUBLISHABLE_RATE_LIMIT, checked by the config's schema). */
export function windowsOf(limits: string): readonly Window[] {
  const numbers = parseLimits(limits) ?? [1, 10, 100];
  return WINDOW_MS.map((ms, i) => ({ ms, limit: numbers[i] }));
}

export function rateLimit(limiter: Limiter, perAddress: readonly Window[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { businessId, plan, ratelimits, origins } = request.caller;
    if (origins) {
      const visitor = await limiter.consume(`${businessId}:address:${request.ip}`, perAddress);
      if (!visitor.allowed) throw rateLimited(visitor.retryAfter);
    }
    const decision = await limiter.consume(businessId, windowsFor(plan, ratelimits));
    reply.headers({
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(decision.reset),
    });
    if (!decision.allowed) throw rateLimited(decision.retryAfter);
  };
}
