// One webhook attempt on the wire: signed both ways, POSTed to the address checked (never to another the name resolves
// to later), answered or failed within the timeout. Runs on the post thread (post-thread.ts), which keeps each
// endpoint's connections alive between attempts.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { VERSION } from '../../version.js';
import { within } from '../../within.js';
import { signatureHeaders } from './signing.js';
import { resolveTarget, type Target } from './ssrf.js';

/** Request and response bodies are logged up to this many characters. */
export const LOGGED_BODY = 4096;
/** The contract's `mteja-webhooks/<version>`: receivers may tell one release's behaviour from another's. */
export const USER_AGENT = `mteja-webhooks/${VERSION}`;

/** What an attempt needs: the event's body and id, the endpoint's URL and the secrets that sign now. */
export interface PostRequest {
  endpointid: string;
  eventid: string;
  body: string;
  url: string;
  /** The current secret first; during a rotation's overlap the previous one too. */
  secrets: string[];
}

/** How it went: an answer's status and (cut) body, or the error; `error` is null only for a 2xx. */
export interface PostResult {
  /** When the attempt started (ISO): it may have waited on the post thread for its endpoint's turn first. */
  at: string;
  status: number | null;
  body: string | null;
  error: string | null;
  latencyms: number;
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** At most this many attempts at once per endpoint, and as many connections to it. */
  perEndpoint: number;
  /** At most this many attempts at once in all. */
  overall: number;
}

/**
 * POSTs `body` to the checked address and reads up to LOGGED_BODY of the answer. The whole exchange, from connecting to
 * the answer's end, has `timeoutMs`, then fails saying `late`: a receiver that answers a byte at a time is cut off like
 * one that never answers (Node's own request timeout counts only the silence between bytes: a slow drip passed as a
 * success, and held its endpoint's slot as long as it liked).
 */
function send(
  target: Target,
  headers: Record<string, string>,
  body: string,
  agent: HttpAgent,
  timeoutMs: number,
  late: string,
) {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    let timedOut: Error | undefined;
    const req = request(target.url, { method: 'POST', headers, lookup, agent }, (res) => {
      let text = '';
      let cut = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < LOGGED_BODY) text += chunk;
        else {
          // Enough of it is logged: the rest is not waited for.
          cut = true;
          res.destroy();
        }
      });
      const done = () => {
        clearTimeout(deadline);
        if (timedOut && !cut) reject(timedOut);
        else resolve({ status: res.statusCode ?? 0, body: text.slice(0, LOGGED_BODY) });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    const deadline = setTimeout(() => {
      timedOut = new Error(late);
      req.destroy(timedOut);
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end(body);
  });
}

export class Poster {
  /** Kept-alive connections per endpoint and scheme, each to an address checked the same way. */
  readonly #agents = new Map<string, HttpAgent>();

  constructor(private readonly options: PostOptions) {}

  #agent(endpointId: string, https: boolean): HttpAgent {
    const key = `${endpointId} ${https}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      const options = { keepAlive: true, maxSockets: this.options.perEndpoint, timeout: 30_000 };
      agent = https ? new HttpsAgent(options) : new HttpAgent(options);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  async post(request: PostRequest): Promise<PostResult> {
    const started = Date.now();
    const at = new Date(started).toISOString();
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signatureHeaders(request.secrets, request.eventid, request.body),
    };
    try {
      // The timeout is the whole attempt's: resolving the name (which cannot be cancelled, only no longer waited for)
      // and the exchange share it.
      const { timeoutMs } = this.options;
      const late = `No answer within ${timeoutMs} ms`;
      const target = await within(resolveTarget(request.url, this.options.allowPrivate), timeoutMs, late);
      const agent = this.#agent(request.endpointid, target.url.protocol === 'https:');
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) throw new Error(late);
      const answer = await send(target, headers, request.body, agent, left, late);
      const error = answer.status < 200 || answer.status > 299 ? `Answered ${answer.status}` : null;
      return { at, status: answer.status, body: answer.body, error, latencyms: Date.now() - started };
    } catch (failure) {
      const error = (failure as Error).message || String(failure);
      return { at, status: null, body: null, error, latencyms: Date.now() - started };
    }
  }

  close() {
    for (const agent of this.#agents.values()) agent.destroy();
  }
}
