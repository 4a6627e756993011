// Kept answers: the serialised body of a read (a list page, a record's details), per business and URL, tagged with
// the read version of the tables it was read from (Db.readVersion). An answer is served only while that version is
// unchanged, so it is exactly what the database would answer now; any write to those tables, on any node, moves it.
// Least recently used answers go first once the kept bodies pass the byte budget. Bodies are kept as bytes (Buffers):
// outside the JavaScript heap, so the answers the cache churns through do not swell the heap between collections (kept
// as strings, the server's peak RSS rose by 100 MB in one scenario of a 32 MB cache), and a hit is sent as it is,
// without encoding it again.

interface Kept {
  version: string;
  body: Buffer;
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

  /** The kept body for `key` at `version`, else the body `read` makes (kept for the next request), as bytes. */
  async answer(key: string, version: string, read: () => Promise<string>): Promise<Buffer> {
    const kept = this.#kept.get(key);
    if (kept && kept.version === version) {
      // Most recently used goes last.
      this.#kept.delete(key);
      this.#kept.set(key, kept);
      this.counts.hits++;
      return kept.body;
    }
    const flight = `${version}\n${key}`;
    const reading = this.#reading.get(flight);
    if (reading) {
      this.counts.joined++;
      return reading;
    }
    this.counts.misses++;
    const promise = read().then((text) => {
      // Each body its own allocation: Buffer.from() cuts bodies under 4 KB (a record's details) from shared 8 KB
      // slabs, and one kept body would hold its whole slab, the other answers cut from it long gone, alive.
      const body = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
      body.write(text);
      this.#keep(key, { version, body });
      return body;
    });
    this.#reading.set(flight, promise);
    try {
      return await promise;
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
