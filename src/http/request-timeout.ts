// The request budget: a request not answered within REQUEST_TIMEOUT_MS gets 503 "Request timed out", exactly once.
// (Fastify's own handlerTimeout is not used: on Node 20 a request's 'close' after its body is read clears its timer,
// so a POST never timed out.)
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from './envelope.js';
import { timedOut } from './errors.js';

const TIMER = Symbol('request timeout');
const ANSWERING = Symbol('answer under way');

type Timed = FastifyRequest & { [TIMER]?: NodeJS.Timeout; [ANSWERING]?: boolean };

/**
 * Adds the budget's two hooks at the root, before any other onSend hook. Past the budget, a request whose answer
 * has not begun is answered 503 on the socket directly and the reply is hijacked, so that whatever the handler returns
 * later goes nowhere (what it had started may still finish). An answer already in its onSend hooks is left to finish:
 * those wait on the database's own timeouts, and sending a second response there could only break the first.
 */
export function requestTimeout(app: FastifyInstance, ms: number) {
  app.addHook('onRequest', (request: Timed, reply, done) => {
    const timer = setTimeout(() => answer(request, reply, ms), ms);
    request[TIMER] = timer;
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
  app.addHook('onSend', (request: Timed, _reply, payload, done) => {
    request[ANSWERING] = true;
    done(null, payload);
  });
}

function answer(request: Timed, reply: FastifyReply, ms: number) {
  if (request[ANSWERING] || reply.sent || reply.raw.headersSent || reply.raw.destroyed) return;
  request.log.warn({ budgetMs: ms }, 'request timed out');
  const error = timedOut();
  const body = JSON.stringify(failure(error.error));
  reply.hijack();
  reply.raw.writeHead(error.status, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    // The handler may still be working: its connection ends with this answer, so a keep-alive client cannot hold a
    // draining server open for the keep-alive timeout (SIGTERM while a slow search ran waited 71 s).
    connection: 'close',
  });
  reply.raw.end(body);
}
