// Health: /healthz says the process is alive; /readyz that it can serve: its database answers. Redis is reported, not
// required: without it each node counts rate limits on its own and goes on serving, so a load balancer must not drain
// every node on Redis's account.
import { sql } from 'kysely';
import { Type } from 'typebox';
import { within } from '../within.js';
import type { Api, Deps } from './deps.js';
import { failure, ok } from './envelope.js';

const Health = Type.Object({ success: Type.Literal(true), data: Type.Object({ status: Type.String() }) });
const Ready = Type.Object({
  success: Type.Literal(true),
  data: Type.Object({ status: Type.String(), database: Type.String(), redis: Type.Optional(Type.String()) }),
});
const NotReady = Type.Object({
  success: Type.Literal(false),
  error: Type.String(),
  errors: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export function mountHealth(app: Api, { db, redis }: Deps) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['Operations'],
        operationId: 'healthz',
        summary: 'Liveness: the process is up',
        security: [],
        response: { 200: Health },
      },
    },
    async () => ok({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['Operations'],
        operationId: 'readyz',
        summary: 'Readiness: the database answers (Redis, when configured, is reported: "degraded" while it is down)',
        security: [],
        response: { 200: Ready, 503: NotReady },
      },
    },
    async (_request, reply) => {
      const reason = (error: Error) => `unreachable: ${error.message.split('\n')[0]}`;
      const database = await within(sql`select 1`.execute(db), 2000).then(() => 'ok', reason);
      if (database !== 'ok') return reply.code(503).send(failure('Service unavailable', { database }));
      if (!redis) return ok({ status: 'ready', database });
      const shared = await within(redis.ping(), 2000).then(() => 'ok', reason);
      // Serving, with rate limits counted per node until Redis is back: "degraded", for monitoring to alert on.
      return ok({ status: shared === 'ok' ? 'ready' : 'degraded', database, redis: shared });
    },
  );
}
