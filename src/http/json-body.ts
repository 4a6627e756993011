// The one body parser (application/json): refuses compressed bodies and bytes that are not UTF-8, then hands the
// text to Fastify's own JSON parser (secure-json-parse: prototype-polluting keys are an error).
import { isUtf8 } from 'node:buffer';
import type { FastifyBodyParser, FastifyRequest } from 'fastify';
import { AppError, invalid } from './errors.js';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Bodies are sent uncompressed: a Content-Encoding other than `identity` is a 415 rather than bytes read as if they
 * were JSON. (Request bodies are at most 1 MiB; a client gains little by compressing them, and a server that inflates
 * them must guard against bombs.)
 */
export const unsupportedEncoding = () =>
  new AppError(415, 'Content-Encoding is not supported: send the request body uncompressed');

/** The parser to register for application/json (parseAs 'buffer'), around `json`, Fastify's default JSON parser. */
export function jsonBodyParser(json: FastifyBodyParser<string>) {
  return (request: FastifyRequest, body: Buffer, done: Done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return done(unsupportedEncoding());
    // Decoding as text would turn every invalid byte into U+FFFD and store that instead of what was sent.
    if (!isUtf8(body)) return done(invalid('Request body is not valid UTF-8'));
    json.call(request.server, request, body.toString('utf8'), done);
  };
}
