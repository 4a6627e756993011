// How a handle's lists are read: the size below which a business is searched by scanning its own rows, and on
// SQLite the pool of read workers its lists run on. Kept per handle by its adapter, which its transactions share.
import type { Kysely } from 'kysely';
import type { ListAnchors } from './list-anchors.js';
import type { RecordTableName } from './schema.js';

/** Runs a list (rows and exact total, one snapshot) somewhere other than the event loop: records, or events. */
export interface PageReader {
  /** `heavy`: a search whose cost may be its matches in a large business (see read-pool.ts). */
  listPage(
    table: RecordTableName,
    businessId: string,
    query: object,
    heavy: boolean,
  ): Promise<{ rows: unknown[]; total: number; next?: readonly [string, string] }>;
  /** A page of a business's events (their bodies as stored) and their total (modules/event/event.store.ts, readEvents). */
  listEvents(businessId: string, paging: object, query: object): Promise<{ bodies: string[]; total: number }>;
}

export interface Reads {
  /**
   * A business with fewer records than this in a table is searched by scanning its own rows (its list index), so
   * its cost is its own size; a larger one through the table's trigram index. Measured in docs/benchmarks.md.
   */
  scanBelow: number;
  /** SQLite: the read workers lists and searches run on; undefined runs them on the handle itself. */
  pool?: PageReader;
  /** A read worker's: where deep pages of its lists start (list-anchors.ts). Only where every read is a snapshot. */
  anchors?: ListAnchors;
}

export const DEFAULT_SCAN_BELOW = 20_000;

const byAdapter = new WeakMap<object, Reads>();

/** Sets how lists on `db` (and every transaction of it) are read. */
export function setReads(db: Pick<Kysely<unknown>, 'getExecutor'>, reads: Reads): void {
  byAdapter.set(db.getExecutor().adapter, reads);
}

/** How lists on `db` are read: what setReads() said, else the main thread and the default threshold. */
export function readsOf(db: Pick<Kysely<unknown>, 'getExecutor'>): Reads {
  return byAdapter.get(db.getExecutor().adapter) ?? { scanBelow: DEFAULT_SCAN_BELOW };
}
