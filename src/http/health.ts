// Health: /healthz says the process is alive; /readyz that it can reach its database (and Redis when configured).
import { sql } from 'kysely';
import { Type } from 'typebox';
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

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

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
        summary: 'Readiness: the database (and Redis, when configured) answer',
        security: [],
        response: { 200: Ready, 503: NotReady },
      },
    },
    async (_request, reply) => {
      const problems: Record<string, string> = {};
      await within(sql`select 1`.execute(db), 2000).catch(
        (error: Error) => (problems.database = `unreachable: ${error.message.split('\n')[0]}`),
      );
      if (redis)
        await within(redis.ping(), 2000).catch(
          (error: Error) => (problems.redis = `unreachable: ${error.message.split('\n')[0]}`),
        );
      if (Object.keys(problems).length > 0) return reply.code(503).send(failure('Service unavailable', problems));
      return ok({ status: 'ready', database: 'ok', ...(redis ? { redis: 'ok' } : {}) });
    },
  );
}
