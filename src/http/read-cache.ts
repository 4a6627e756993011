// Kept answers: the serialised body of a read (a list page, a record's details), per business and URL, tagged with
// the read version of the tables it was read from (Db.readVersion). An answer is served only while that version is
// unchanged, so it is exactly what the database would answer now; any write to those tables, on any node, moves it.
// Least recently used answers go first once the kept bodies pass the byte budget. Bodies are kept as bytes (Buffers):
// outside the JavaScript heap, so the answers the cache churns through do not swell the heap between collections (kept
// as strings, the server's peak RSS rose by 100 MB in one scenario of a 32 MB cache), and a hit is sent as it is,
// without encoding it again. Bodies from GZIP_FROM bytes (pages) are kept gzipped, as Varnish keeps them: a page of 20
// records keeps in about a third of its size, so the same budget keeps three times the pages. A client that accepts
// gzip gets those bytes as they are (`content-encoding: gzip`); any other gets them gunzipped.
import { gunzipSync, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Bodies this size and larger (a page of records, not one record's details) are kept gzipped. */
export const GZIP_FROM = 2048;

interface Kept {
  version: string;
  body: Buffer;
  gzipped: boolean;
}

/** A body to send, and whether it is gzipped (only ever for a client that accepts gzip). */
export interface Answer {
  body: Buffer;
  gzipped: boolean;
}

/**
 * A copy in an allocation of its own: Buffer.from() cuts bodies under 4 KB from shared 8 KB slabs, and zlib's output
 * is cut from its 16 KB chunks; one kept body would hold the whole slab or chunk alive, what else was cut from it
 * long gone, and the byte budget would count a fraction of what it holds.
 */
function own(bytes: Buffer | string): Buffer {
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(bytes));
  if (typeof bytes === 'string') body.write(bytes);
  else bytes.copy(body);
  return body;
}

export class ReadCache {
  readonly #budget: number;
  readonly #kept = new Map<string, Kept>();
  /** Answers being read now, so that requests for the same one wait for it instead of reading it again. */
  readonly #reading = new Map<string, Promise<Buffer>>();
  #bytes = 0;
  /** Answers served from a kept body, joined to a read under way, and read: `mteja serve` logs them on SIGUSR2. */
  readonly counts = { hits: 0, joined: 0, misses: 0 };

  /** @param budgetBytes the most the kept bodies may hold (0 keeps nothing). */
  constructor(budgetBytes: number) {
    this.#budget = budgetBytes;
  }

  /** False when the budget is 0: then callers need not even read a version. */
  get keeps(): boolean {
    return this.#budget > 0;
  }

  /**
   * The kept body for `key` at `version`, else the body `read` makes (kept for the next request), as bytes; gzipped
   * only where `gzipOk` (the client accepts gzip) and it was kept so.
   */
  async answer(key: string, version: string, read: () => Promise<string>, gzipOk = false): Promise<Answer> {
    const kept = this.#kept.get(key);
    if (kept && kept.version === version) {
      // Most recently used goes last.
      this.#kept.delete(key);
      this.#kept.set(key, kept);
      this.counts.hits++;
      if (!kept.gzipped || gzipOk) return { body: kept.body, gzipped: kept.gzipped };
      return { body: gunzipSync(kept.body), gzipped: false };
    }
    const flight = `${version}\n${key}`;
    const reading = this.#reading.get(flight);
    if (reading) {
      this.counts.joined++;
      return { body: await reading, gzipped: false };
    }
    this.counts.misses++;
    const promise = read().then((text) => {
      if (Buffer.byteLength(text) < GZIP_FROM) {
        const body = own(text);
        this.#keep(key, { version, body, gzipped: false });
        return body;
      }
      const body = Buffer.from(text);
      // Level 1: a 10 KB page in ~50 µs (a tenth of what reading it cost), within a few percent of level 6's size.
      this.#keep(key, { version, body: own(gzipSync(body, { level: 1 })), gzipped: true });
      return body;
    });
    this.#reading.set(flight, promise);
    try {
      return { body: await promise, gzipped: false };
    } finally {
      this.#reading.delete(flight);
    }
  }

  #keep(key: string, entry: Kept) {
    const size = entry.body.byteLength + key.length;
    if (size > this.#budget / 8) return;
    const old = this.#kept.get(key);
    if (old) {
      this.#bytes -= old.body.byteLength + key.length;
      this.#kept.delete(key);
    }
    this.#kept.set(key, entry);
    this.#bytes += size;
    for (const [k, v] of this.#kept) {
      if (this.#bytes <= this.#budget) break;
      this.#kept.delete(k);
      this.#bytes -= v.body.byteLength + k.length;
    }
  }
}

/**
 * Answers `request` with the body kept under `key` at `version`, else the one `read` makes: gzipped where the client
 * accepts gzip and it was kept so. Either way the bytes depend on Accept-Encoding, which Vary tells caches on the way.
 */
export async function sendKept(
  cache: ReadCache,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  version: string,
  read: () => Promise<string>,
): Promise<FastifyReply> {
  const gzipOk = negotiate(request.headers['accept-encoding'] ?? '', ['gzip']) === 'gzip';
  const { body, gzipped } = await cache.answer(key, version, read, gzipOk);
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.send(body);
}
