// The rate-limit step after authentication: headers on every authenticated response, 429 past any window.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimited } from '../errors.js';
import { type Limiter, windowsFor } from './limits.js';

export function rateLimit(limiter: Limiter) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { businessId, plan, ratelimits } = request.caller;
    const decision = await limiter.consume(businessId, windowsFor(plan, ratelimits));
    reply.headers({
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(decision.reset),
    });
    if (!decision.allowed) throw rateLimited(decision.retryAfter);
  };
}
