// Kept answers: the serialised body of a read (a list page, a record's details), per business and URL, tagged with
// the read version of the tables it was read from (Db.readVersion). An answer is served only while that version is
// unchanged, so it is exactly what the database would answer now; any write to those tables, on any node, moves it.
// Bodies are kept as bytes (Buffers): outside the JavaScript heap, so the answers the cache churns through do not
// swell the heap between collections (kept as strings, the server's peak RSS rose by 100 MB in one scenario of a 32 MB
// cache), and a hit is sent as it is, without encoding it again.
// Pages past the plain share are kept gzipped, as zswap keeps cold pages. Answers enter plain; once plain answers pass
// PLAIN_SHARE of the budget, the least recently used ones that are pages (from GZIP_FROM bytes; not one record's
// details, which are dropped) are gzipped to about a third; past the whole budget, the least recently used gzipped
// ones go. What was kept or used most recently among the plain stays plain and costs nothing to send; the rest costs a
// gunzip (~20 µs for 10 KB) rather than a read, and the budget keeps about twice the pages once they would not all
// fit. A gzipped page stays gzipped when used: made plain again, it would push another out to be gzipped (~40 µs).
// A gzipped body goes as it is to a client that accepts gzip (`content-encoding: gzip`, as Varnish sends what it keeps
// gzipped), gunzipped to any other. Gzipping every page as it was kept made every hit of a list that fitted plain pay that gunzip: the
// benchmark's page list fell from 54% to 33% of the ceiling.
// A version covers a scope (one business's tables, as a page or as records): once a request sees it move, every answer
// kept under the old one can never be served again, and they all go at once. Left to the LRU order, a business
// writing 250 times a second filled the plain share with answers no request could use, and each later answer
// gzipped one of them (~40 µs) to make room. A request that read the version just before (PostgreSQL's reads of
// it may answer out of order) moves nothing back. What the scopes remember only hastens what goes: an answer is
// served only at the version it was read at, so forgetting a scope (past MAX_SCOPES) never serves a stale one.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Bodies this size and larger (a page of records, not one record's details) are gzipped rather than dropped. */
export const GZIP_FROM = 2048;
/** The part of the budget plain answers may hold: the other half keeps about three times its size in gzipped pages,
 * so pages up to about twice the budget are kept whole, the most recent of them plain. */
const PLAIN_SHARE = 0.5;
/** Level 1 and a 16 KB window: a 10 KB page in ~40 µs, within 2% of level 6's size; its ~100 KB of state stays below
 * malloc's mmap threshold, so the allocations of one gzip after another are reused, not mapped and unmapped. */
const GZIP = { level: 1, windowBits: 14, memLevel: 6 };
/** Scopes remembered (a few per business for thousands of businesses); past it the least recently moved go. */
const MAX_SCOPES = 10_000;

interface Kept {
  version: string;
  scope: string;
  body: Buffer;
  gzipped: boolean;
}

/** The version an answer is read at, and what it covers: the same scope always has the same kind of version. */
export interface Tag {
  scope: string;
  version: string;
}

/** What the cache remembers of a scope: the version a request saw last, the one before it, the keys kept under it. */
interface Scope {
  version: string;
  previous?: string;
  keys: Set<string>;
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
  /** Each least recently used first. */
  readonly #plain = new Map<string, Kept>();
  readonly #gzipped = new Map<string, Kept>();
  /** Answers being read now, so that requests for the same one wait for it instead of reading it again. */
  readonly #reading = new Map<string, Promise<Buffer>>();
  /** Per scope, least recently moved first. */
  readonly #scopes = new Map<string, Scope>();
  #plainBytes = 0;
  #gzippedBytes = 0;
  /** Answers served from a kept body, joined to a read under way, and read: `mteja serve` logs them on SIGUSR2. */
  readonly counts = { hits: 0, joined: 0, misses: 0 };

  /** @param budgetBytes the most the kept bodies may hold (0 keeps nothing). */
  constructor(budgetBytes: number) {
    this.#budget = budgetBytes;
  }

  /** How many answers are kept, plain and gzipped, and the bytes they count against the budget. */
  get held(): { plain: number; gzipped: number; bytes: number } {
    return { plain: this.#plain.size, gzipped: this.#gzipped.size, bytes: this.#plainBytes + this.#gzippedBytes };
  }

  /** False when the budget is 0: then callers need not even read a version. */
  get keeps(): boolean {
    return this.#budget > 0;
  }

  /**
   * The kept body for `key` at `tag`, else the body `read` makes (kept for the next request), as bytes; gzipped
   * only where `gzipOk` (the client accepts gzip) and it was kept so.
   */
  async answer(key: string, tag: Tag, read: () => Promise<string>, gzipOk = false): Promise<Answer> {
    const { scope, version } = tag;
    this.#seen(tag);
    const kept = this.#plain.get(key) ?? this.#gzipped.get(key);
    if (kept && kept.version === version) {
      // Most recently used goes last, in its own part.
      const part = kept.gzipped ? this.#gzipped : this.#plain;
      part.delete(key);
      part.set(key, kept);
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
      const body = own(text);
      // Kept unless a request has seen the scope move on while it was read: then nothing could ever use it.
      const seen = this.#scopes.get(scope);
      if (!seen || seen.version === version) this.#keep(key, { version, scope, body, gzipped: false });
      return body;
    });
    this.#reading.set(flight, promise);
    try {
      return { body: await promise, gzipped: false };
    } finally {
      this.#reading.delete(flight);
    }
  }

  /** A request saw `tag`: if its scope moved on, what was kept under the old version goes. */
  #seen({ scope, version }: Tag) {
    const seen = this.#scopes.get(scope);
    if (seen?.version === version || seen?.previous === version) return;
    if (seen) for (const key of seen.keys) this.#drop(key);
    this.#remember(scope, { version, previous: seen?.version, keys: new Set() });
  }

  #remember(scope: string, record: Scope) {
    this.#scopes.delete(scope);
    this.#scopes.set(scope, record);
    if (this.#scopes.size <= MAX_SCOPES) return;
    for (const oldest of this.#scopes.keys()) {
      if (this.#scopes.size <= MAX_SCOPES * 0.9) break;
      this.#scopes.delete(oldest);
    }
  }

  #keep(key: string, entry: Kept) {
    const size = entry.body.byteLength + key.length;
    if (size > this.#budget / 8) return;
    this.#drop(key);
    this.#plain.set(key, entry);
    this.#plainBytes += size;
    const scope = this.#scopes.get(entry.scope);
    if (scope) scope.keys.add(key);
    else this.#remember(entry.scope, { version: entry.version, keys: new Set([key]) });
    // Plain answers past their share: the least recently used pages are gzipped, anything else dropped.
    for (const [k, v] of this.#plain) {
      if (this.#plainBytes <= this.#budget * PLAIN_SHARE || k === key) break;
      this.#plain.delete(k);
      this.#plainBytes -= v.body.byteLength + k.length;
      if (v.body.byteLength < GZIP_FROM) {
        this.#forget(k, v);
        continue;
      }
      v.body = own(gzipSync(v.body, GZIP));
      v.gzipped = true;
      this.#gzipped.set(k, v);
      this.#gzippedBytes += v.body.byteLength + k.length;
    }
    // Past the whole budget: the least recently used gzipped ones go.
    for (const [k, v] of this.#gzipped) {
      if (this.#plainBytes + this.#gzippedBytes <= this.#budget) break;
      this.#gzipped.delete(k);
      this.#gzippedBytes -= v.body.byteLength + k.length;
      this.#forget(k, v);
    }
  }

  /** `key` is no longer kept: its scope stops listing it (and keeps its versions, to know the next move). */
  #forget(key: string, { scope }: Kept) {
    this.#scopes.get(scope)?.keys.delete(key);
  }

  #drop(key: string) {
    const plain = this.#plain.get(key);
    if (plain) {
      this.#plain.delete(key);
      this.#plainBytes -= plain.body.byteLength + key.length;
      this.#forget(key, plain);
    }
    const gzipped = this.#gzipped.get(key);
    if (gzipped) {
      this.#gzipped.delete(key);
      this.#gzippedBytes -= gzipped.body.byteLength + key.length;
      this.#forget(key, gzipped);
    }
  }
}

/**
 * Whether an Accept-Encoding header allows gzip (RFC 9110, 12.5.3): listed with a weight above 0, or not listed and
 * `*` weighted above 0. A negotiator choosing the best of what it may send let `*` allow gzip after `gzip;q=0`.
 */
export function acceptsGzip(header: string | undefined): boolean {
  let star = false;
  for (const part of (header ?? '').split(',')) {
    const [name, ...parameters] = part.split(';');
    // A weight that is not a number allows nothing: plain bytes are never wrong.
    const q = parameters.map((p) => /^\s*q\s*=(.*)$/i.exec(p)?.[1]).find((v) => v !== undefined);
    const allowed = q === undefined || Number(q.trim() || Number.NaN) > 0;
    const coding = name.trim().toLowerCase();
    if (coding === 'gzip' || coding === 'x-gzip') return allowed;
    if (coding === '*') star = allowed;
  }
  return star;
}

/**
 * Answers `request` with the body kept under `key` at `tag`, else the one `read` makes: gzipped where the client
 * accepts gzip and it was kept so. Either way the bytes depend on Accept-Encoding, which Vary tells caches on the way.
 * No tag (nothing is kept: the cache is off, or the answer is not worth keeping): the body `read` makes, plain.
 */
export async function sendKept(
  cache: ReadCache,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  tag: Tag | undefined,
  read: () => Promise<string>,
): Promise<FastifyReply> {
  reply.type('application/json; charset=utf-8');
  if (!tag) return reply.send(await read());
  const gzipOk = acceptsGzip(request.headers['accept-encoding']);
  const { body, gzipped } = await cache.answer(key, tag, read, gzipOk);
  reply.header('vary', 'accept-encoding');
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.send(body);
}
