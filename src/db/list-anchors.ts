// Deep pages at the cost of shallow ones (SQLite read workers). A page at offset 19,980 of a newest-first list used to
// walk 19,980 index entries: SQLite cannot find the n-th entry of an index any faster. A read worker keeps instead,
// per list (business, table, filter), the keys it found every STEP positions, and starts a deep page at the nearest
// one before it. They stay exact without being found again:
// - a delete, or a change of a value lists are filtered on, moves records within a list: each bumps `moves` for its
//   business and table (migration 0017), and anchors kept under another `moves` are dropped;
// - otherwise a list only grows by inserts. A record is created with `createdat` = now, so its inserts land at the
//   head and shift every anchor by their number. The worker checks that: the list's kept total grew by d, and d
//   entries are newer than the head it saw last. If not (a clock that stepped back), the anchors are dropped.
// Each worker reads in one snapshot per job (read-worker.ts), so its anchors, the total and `moves` always agree.
import { keptMoves } from './counts.js';
import type { Queryable } from './engine.js';
import type { RecordTableName } from './schema.js';

/** A position in a newest-first list: (createdat, id). */
export type Key = readonly [string, string];

/** What the anchors of one list need from it; records.ts builds it over the list's own query. */
export interface AnchoredList {
  table: RecordTableName;
  businessId: string;
  /** The list's one filter as `column=value`, or '' for none: each list has its own anchors. */
  filter: string;
  /** Its exact total, kept by triggers (counts.ts). */
  total: number;
  /** Up to `limit` keys in the list's order, `skip` of them passed first, after `after` or from the head. */
  keys(after: Key | undefined, skip: number, limit: number): Promise<Key[]>;
  /** Up to `limit` keys newer than `than`, newest first. */
  newer(than: Key, limit: number): Promise<Key[]>;
}

/** Positions between two anchors: a deep page walks at most this many entries more than a first page does. */
export const STEP = 500;
/** Lists whose anchors one worker keeps, the least recently used dropped first: about 1 KB each per 10,000 deep. */
const LISTS_KEPT = 2_000;

interface Anchors {
  /** The `moves` of the list's business and table they were found under. */
  moves: number;
  total: number;
  /** The newest key when last checked; undefined: the list was empty. */
  head: Key | undefined;
  /** Inserts since the first anchor was found: anchor i stands at position (i + 1) × STEP + shift. */
  shift: number;
  keys: Key[];
}

export class ListAnchors {
  readonly #lists = new Map<string, Anchors>();

  /**
   * The anchor nearest before `offset` in `list`, with its position (< offset): a page at `offset` starts `offset -
   * position - 1` entries past its key. Undefined where the page is near the head, or the list is shorter.
   */
  async before(db: Queryable, list: AnchoredList, offset: number): Promise<{ key: Key; position: number } | undefined> {
    if (offset <= STEP) return undefined;
    const id = `${list.businessId}\n${list.table}\n${list.filter}`;
    const moves = await keptMoves(db, list.table, list.businessId);
    let anchors = this.#lists.get(id);
    this.#lists.delete(id);
    if (anchors && !(await stillExact(anchors, moves, list))) anchors = undefined;
    if (!anchors)
      anchors = { moves, total: list.total, head: (await list.keys(undefined, 0, 1))[0], shift: 0, keys: [] };
    if (anchors.keys.length === 0) anchors.shift = 0;
    this.#lists.set(id, anchors);
    if (this.#lists.size > LISTS_KEPT) this.#lists.delete(this.#lists.keys().next().value as string);

    const wanted = Math.floor((offset - 1 - anchors.shift) / STEP) - 1;
    while (anchors.keys.length <= wanted) {
      const last = anchors.keys.at(-1);
      const [next] = await list.keys(last, last ? STEP - 1 : STEP, 1);
      if (!next) break;
      anchors.keys.push(next);
    }
    const at = Math.min(wanted, anchors.keys.length - 1);
    if (at < 0) return undefined;
    return { key: anchors.keys[at]!, position: (at + 1) * STEP + anchors.shift };
  }
}

/** Whether `anchors` still stand where they were found, shifted by the inserts since (and if so, shifts them). */
async function stillExact(anchors: Anchors, moves: number, list: AnchoredList): Promise<boolean> {
  if (anchors.moves !== moves) return false;
  const inserted = list.total - anchors.total;
  if (inserted === 0) return true;
  if (inserted < 0 || anchors.head === undefined) return false;
  const newer = await list.newer(anchors.head, inserted + 1);
  if (newer.length !== inserted) return false;
  anchors.shift += inserted;
  anchors.total = list.total;
  anchors.head = newer[0];
  return true;
}
