// A webhook receiver for tests: a real node:http server on 127.0.0.1 that records what it is sent and answers as told.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; businessid: string; data: Record<string, unknown>; previous?: object };
}

/**
 * The payload of a request whose Standard Webhooks signature `secret` verifies, checked as a receiver would, with the
 * standardwebhooks library; it throws when the signature does not verify.
 */
export function standardVerified(got: Pick<Received, 'headers' | 'body'>, secret: string): unknown {
  const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
  return new Webhook(secret).verify(got.body, headers);
}

/** What to answer a request with: a status, or 'hang' to never answer. */
export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer; the default answers 200. A promise is answered once it settles: a slow receiver. */
  answer: (request: Received, index: number) => Answer | Promise<Answer>;
  /** Resolves once `done(received)` holds, or rejects after `ms`. */
  until(done: (received: Received[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    async until(done, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!done(receiver.received)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: still waiting after ${ms} ms; got ${receiver.received.map((r) => r.json.type)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const got: Received = { path: req.url ?? '/', headers: req.headers, body, json: JSON.parse(body) };
      const index = receiver.received.push(got) - 1;
      const reply = (answer: Answer) => {
        if (answer === 'hang') {
          hanging.add(res);
          return;
        }
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'not today');
      };
      const answer = receiver.answer(got, index);
      // A plain answer goes out on this turn, as it always did; only a promise waits.
      if (typeof answer === 'object') void answer.then(reply);
      else reply(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
