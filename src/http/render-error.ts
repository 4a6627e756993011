// The error renderer: every failure leaves as the contract's envelope (those Fastify and node:http meet before a route
// runs included); a 5xx never shows its internals.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isPastBudget, isUnavailable } from '../db/errors.js';
import { failure } from './envelope.js';
import { AppError, badId, invalid, SUBMISSION_PROBLEMS, timedOut, unavailable } from './errors.js';
import { type FieldProblem, fieldProblems, problemMap } from './validation.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Builds the 400 for a body that breaks the route's schema, where a resource words it its own way (leads). */
    invalidBody?: (problems: FieldProblem[]) => AppError;
  }
}

const submissionProblems = (problems: FieldProblem[]) => invalid(SUBMISSION_PROBLEMS, problemMap(problems));

const BODY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body must be a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is larger than 1 MiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    const schema = (request.routeOptions.schema as Record<string, object> | undefined)?.[context] ?? {};
    const problems = fieldProblems(error.validation as never, schema);
    // A path id is worded as the contract words it ("Invalid customer ID format"), whatever its length or case.
    if (context === 'params') return badId(resourceOf(request.routeOptions.url ?? ''));
    if (context === 'body') {
      if (problems.some((p) => p.field === '')) return invalid('Request body must be a JSON object');
      return (request.routeOptions.config.invalidBody ?? submissionProblems)(problems);
    }
    return invalid('Invalid query parameters', problemMap(problems));
  }
  const known = error.code && BODY_ERRORS[error.code];
  if (known) return invalid(known);
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return invalid('Malformed JSON in request body', undefined, error.message);
  }
  if (isPastBudget(error)) return timedOut();
  if (isUnavailable(error)) return unavailable();
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new AppError(status, STATUS_CODES[status] ?? 'Bad request');
  return new AppError(
    500,
    'Internal server error',
    undefined,
    `Something went wrong on our side; request id ${request.id}`,
  );
}

export function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error, request);
  if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
  if (appError.extra?.headers) reply.headers(appError.extra.headers);
  return reply
    .code(appError.status)
    .send({ ...failure(appError.error, appError.errors, appError.detail), ...appError.extra?.body });
}

/** The resource a route with an id serves: `/business/customer/details/:id` -> `customer`. */
function resourceOf(url: string): string {
  const segments = url.split('/');
  return segments[segments.length - 3] ?? 'record';
}

/**
 * Fastify's own refusals before routing (`frameworkErrors`): a URL that is not valid percent-encoding, or a path
 * parameter longer than `maxParamLength`.
 */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid percent-encoded UTF-8' : 'Bad request';
  return reply.code(400).send(failure(message));
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request timed out'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'Content-Length is not valid'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'Content-Length and Transfer-Encoding cannot both be sent'],
};

/**
 * node:http's `clientError`: a request it could not parse never reaches Fastify, so the answer is written to the
 * socket here, in the envelope, and the connection is closed (as node itself does).
 */
export function clientError(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy(error);
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Malformed HTTP request'];
  const body = JSON.stringify(failure(message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function routeNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(404)
    .send(failure('Route not found', undefined, `${request.method} ${request.url.split('?')[0]} does not exist`));
}
