// The queries every business record shares: one by id, a newest-first page with its exact total, a change-aware update.
import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { keptTotal } from './counts.js';
import { engineOf, inTransaction, type Queryable, runCompiled } from './engine.js';
import { now } from './ids.js';
import type { AnchoredList, Key } from './list-anchors.js';
import { readsOf } from './reads.js';
import { getRowThisTurn } from './same-turn.js';
import type { Database, RecordTableName } from './schema.js';
import {
  inBusiness,
  indexCounts,
  indexedTotal,
  matchesSearch,
  type PagePlan,
  pagePlan as planPage,
  searchPlan,
} from './search.js';

/** An exact-match filter (`=`) or one end of a range (`>=` from, `<` to) on a column. */
export interface Condition {
  column: string;
  op: '=' | '>=' | '<';
  value: string | number;
  /** Its column's totals are kept per value (record_counts), so a list filtered on it alone needs no count. */
  counted?: boolean;
}

export interface PageQuery {
  page: number;
  limit: number;
  search?: string;
  where: Condition[];
  /** Records changed at or after this instant, oldest change first, instead of the newest-first list. */
  updatedsince?: string;
  /** Keyset: the page starts after the record with this order key (its order column's value, its id). */
  after?: readonly [string, string];
}

/** One page: its rows, the exact total of the list, and the order key of its last row when more follow. */
export interface Page<Row> {
  rows: Row[];
  total: number;
  next?: readonly [string, string];
}

// Kysely cannot type a table chosen at run time; these helpers stay inside the columns every record table has.
// biome-ignore lint/suspicious/noExplicitAny: a table chosen at run time has no static row type in Kysely.
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above, for its expressions.
type AnyEb = ExpressionBuilder<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: any record table's select, as above.
type AnySelect = SelectQueryBuilder<any, any, any>;

/**
 * A list's order: the contract's newest first (`createdat` then `_id`, descending), or with `updatedsince` the oldest
 * change first (`updatedat` then `_id`, ascending). Each has its index on (businessid, column, id).
 */
interface Order {
  column: 'createdat' | 'updatedat';
  direction: 'asc' | 'desc';
}
const NEWEST_FIRST: Order = { column: 'createdat', direction: 'desc' };
const OLDEST_CHANGE_FIRST: Order = { column: 'updatedat', direction: 'asc' };

const ordered = <Q extends AnySelect>(query: Q, { column, direction }: Order): Q =>
  query.orderBy(column, direction).orderBy('id', direction) as Q;

/** Past a keyset position in an order: (column, id) after the key, one row comparison both engines index. */
const pastKey =
  ({ column, direction }: Order, [value, id]: readonly [string, string]) =>
  (eb: AnyEb) =>
    eb(eb.refTuple(column, 'id'), direction === 'desc' ? '<' : '>', eb.tuple(value, id));

/**
 * A search and nothing else (no filter, no `updatedsince`): SQLite counts it from its business's range of the trigram
 * index alone, and may find its page by walking the business's newest-first list index (search.ts).
 */
const searchAlone = (query: PageQuery) => query.where.length === 0 && query.updatedsince === undefined;

/**
 * One page of a business's records in its order, the exact number of records that match, and the order key of its
 * last row when more follow (one row past the page is read to know). A page starts at an offset (`page`) or after
 * an order key (a cursor: O(limit) at any depth, and stable while records are added or changed).
 * The total comes from the kept counts when it can (no filter, or one `counted` filter), else from an indexed count.
 * The page is found in the list index first and only its rows are read (a deferred join), so deep pages stay cheap.
 */
export async function listPage<Row>(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  query: PageQuery,
): Promise<Page<Row>> {
  // SQLite: on a read worker (db/read-pool.ts), off the event loop, unless the caller is inside a transaction.
  const { pool } = readsOf(db);
  if (pool && !db.isTransaction) {
    // A search of a business past SEARCH_SCAN_BELOW may cost as much as its matches; the pool never lets such
    // searches take every worker. A smaller business's search costs at most a scan of its own rows.
    // A search that its business's range of the trigram index counts alone (search.ts) costs about as much as a list.
    const heavy =
      query.search !== undefined &&
      !(searchAlone(query) && indexCounts(db, query.search)) &&
      ((await keptTotal(db, table, businessId, [])) ?? 0) >= readsOf(db).scanBelow;
    return (await pool.listPage(table, businessId, query, heavy)) as Page<Row>;
  }
  return readPage<Row>(db, table, businessId, query);
}

/** listPage() on this handle itself; a read worker runs it inside one transaction, so rows and total agree. */
export async function readPage<Row>(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  query: PageQuery,
): Promise<Page<Row>> {
  const order = query.updatedsince === undefined ? NEWEST_FIRST : OLDEST_CHANGE_FIRST;
  const where: Condition[] = [...query.where];
  if (query.updatedsince !== undefined) where.push({ column: 'updatedat', op: '>=', value: query.updatedsince });
  const search = query.search === undefined ? undefined : await searchPlan(db, table, businessId, query.search);
  const matching = (plan: PagePlan | undefined) => {
    let base = (db as AnyDb).selectFrom(table).where(inBusiness(db, businessId, plan));
    for (const { column, op, value } of where) base = base.where(column, op, value);
    if (query.search !== undefined) base = base.where(matchesSearch(db, table, businessId, query.search, plan));
    return base;
  };
  const base = matching(search?.plan);
  const after = query.after;
  const offset = after ? 0 : (query.page - 1) * query.limit;

  // SQLite: every index carries the rowid, so a page's rowids come from an index alone, and its rows by rowid.
  // PostgreSQL: the page's ids, then its rows by primary key.
  const key = engineOf(db) === 'sqlite' ? 'rowid' : 'id';
  const columns = key === 'id' ? ['id', order.column] : [key, 'id', order.column];
  const kept = query.search === undefined ? await keptTotal(db, table, businessId, where) : undefined;
  // A search and nothing else, through SQLite's trigram index: counted from the business's range of it.
  const counted =
    search?.plan === 'index' && searchAlone(query)
      ? await indexedTotal(db, table, businessId, query.search!)
      : undefined;
  // No kept total (a search, several filters, updatedsince): the matches are counted from the index, then the page
  // found on its own. One query with a window count had to gather and sort every match before the first row (1.4 s
  // for `a` at 1M); and a cursor's page starts past its key, so a count over the page's query would miss the records
  // before it.
  const total =
    kept ?? counted ?? Number((await base.select((eb: AnyEb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  if (offset >= total) return { rows: [], total };
  // Through the trigram index, a page may be found by sorting every match, or by walking the business's list index in
  // order until the page is full (search.ts pagePlan chooses by the count).
  const pagePlan = search && planPage(db, search, total, offset + query.limit, searchAlone(query));
  const pageBase = pagePlan === search?.plan ? base : matching(pagePlan);
  // A deep page of a list with a kept total, on a read worker: from the nearest anchor before it (list-anchors.ts).
  const { anchors } = readsOf(db);
  const anchor =
    anchors && kept !== undefined && !after && order === NEWEST_FIRST
      ? await anchors.before(db, anchoredList(pageBase, table, businessId, where, kept), offset)
      : undefined;
  const start = after ?? anchor?.key;
  const from = start ? pageBase.where(pastKey(order, start)) : pageBase;
  const found: Record<string, unknown>[] = await ordered(from.select(columns), order)
    .limit(query.limit + 1)
    .offset(anchor ? offset - anchor.position - 1 : offset)
    .execute();
  const more = found.length > query.limit;
  if (more) found.length = query.limit;
  if (found.length === 0) return { rows: [], total };
  const last = found[found.length - 1];
  const next = more ? ([String(last[order.column]), String(last.id)] as const) : undefined;
  const keys = found.map((r) => r[key]);
  let page = (db as AnyDb).selectFrom(table).selectAll().where(key, 'in', keys);
  if (key === 'id') page = page.where('businessid', '=', businessId);
  // Put in the page's order here, by id: sorting whole rows in the database cost more than reading them.
  const byId = new Map((await page.execute()).map((row) => [String(row.id), row]));
  const rows = found.flatMap((r) => byId.get(r.id as string) ?? []);
  return { rows: rows as Row[], total, next };
}

/** A newest-first list with a kept total, as its anchors read it. */
function anchoredList(
  base: AnySelect,
  table: RecordTableName,
  businessId: string,
  where: readonly Condition[],
  total: number,
): AnchoredList {
  const keysOf = async (query: AnySelect): Promise<Key[]> =>
    (await query.execute()).map((r) => [String(r.createdat), String(r.id)] as const);
  const [filter] = where;
  return {
    table,
    businessId,
    filter: filter ? `${filter.column}=${filter.value}` : '',
    total,
    keys: (after, skip, limit) => {
      const from = after ? base.where(pastKey(NEWEST_FIRST, after)) : base;
      return keysOf(
        ordered(from.select(['createdat', 'id']), NEWEST_FIRST)
          .limit(limit)
          .offset(skip),
      );
    },
    newer: (than, limit) =>
      keysOf(
        ordered(
          base.select(['createdat', 'id']).where(pastKey({ column: 'createdat', direction: 'asc' }, than)),
          NEWEST_FIRST,
        ).limit(limit),
      ),
  };
}

/** One record of a business, or undefined: another business's record is as absent as a missing one. */
export async function getRow<Row>(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  id: string,
): Promise<Row | undefined> {
  // PostgreSQL: lookups asked for together go as one query (db/same-turn.ts).
  if (!db.isTransaction && engineOf(db) === 'postgres')
    return getRowThisTurn<Row>(db as Kysely<Database>, table, businessId, id);
  const build = () =>
    (db as AnyDb).selectFrom(table).selectAll().where('businessid', '=', businessId).where('id', '=', id).compile();
  const { rows } = await runCompiled<Row>(db, `getRow ${table}`, build, [businessId, id]);
  return rows[0];
}

/**
 * Inserts one record's row; the statement is compiled once per table and set of columns. A column whose value is
 * `undefined` is left out of the row (Kysely would drop it from the SQL but not from the parameters we pass).
 */
export async function insertRow(db: Queryable, table: RecordTableName, row: object): Promise<void> {
  const entries = Object.entries(row).filter(([, value]) => value !== undefined);
  const values = Object.fromEntries(entries);
  const shape = `insertRow ${table} ${entries.map(([column]) => column).join()}`;
  const build = () => (db as AnyDb).insertInto(table).values(values).compile();
  await runCompiled(
    db,
    shape,
    build,
    entries.map(([, value]) => value),
  );
}

/**
 * Applies `changes` (column -> stored value) to one record. Returns undefined when the record does not exist,
 * 0 when every value already equals the stored one (nothing is written), and 1 otherwise. `derive` recomputes
 * columns that depend on others (such as `searchtext`) from the merged row.
 */
export async function updateRow<Row extends object>(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  id: string,
  changes: Partial<Row>,
  derive: (merged: Row) => Partial<Row>,
): Promise<0 | 1 | undefined> {
  return inTransaction(db, async (trx) => {
    const current = await getRow<Row>(trx, table, businessId, id);
    if (!current) return undefined;
    const changed = Object.entries(changes).filter(
      ([key, value]) => (current as Record<string, unknown>)[key] !== value,
    );
    if (changed.length === 0) return 0;
    const merged = { ...current, ...Object.fromEntries(changed) } as Row;
    const set = { ...Object.fromEntries(changed), ...derive(merged), updatedat: now() };
    await (trx as AnyDb)
      .updateTable(table)
      .set(set)
      .where('businessid', '=', businessId)
      .where('id', '=', id)
      .execute();
    return 1;
  });
}

/** The fields every record returns, from the columns every record table has. */
export function recordBase(row: { active: number; sourceorigin: string; createdat: string; updatedat: string }) {
  return {
    active: row.active === 1,
    sourceorigin: row.sourceorigin as 'api' | 'dashboard' | 'booking_page',
    createdat: row.createdat,
    updatedat: row.updatedat,
  };
}

/** Inserts many rows in chunks that stay under every engine's bound-parameter limit, in one transaction. */
export async function insertRows(db: Queryable, table: RecordTableName, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]).length;
  const chunk = Math.max(1, Math.floor(30000 / perRow));
  await inTransaction(db, async (trx) => {
    for (let i = 0; i < rows.length; i += chunk) {
      await (trx as AnyDb)
        .insertInto(table)
        .values(rows.slice(i, i + chunk))
        .execute();
    }
  });
}

/**
 * The next document number of a business, e.g. QUO-2024-007: one more than the highest with the prefix
 * (compared by length, then text, so 1000 follows 999). A unique key on the column catches a race.
 */
export async function nextNumber(
  db: Queryable,
  table: 'quotes' | 'contracts',
  column: 'quoteno' | 'contractno',
  businessId: string,
  prefix: string,
) {
  const last = await (db as AnyDb)
    .selectFrom(table)
    .select(column)
    .where('businessid', '=', businessId)
    .where(column, 'like', `${prefix}%`)
    .orderBy(sql`length(${sql.ref(column)})`, 'desc')
    .orderBy(column, 'desc')
    .limit(1)
    .executeTakeFirst();
  const seq = last ? Number.parseInt(String(last[column]).slice(prefix.length), 10) || 0 : 0;
  return `${prefix}${String(seq + 1).padStart(3, '0')}`;
}

/** Nested references ({_id, ...columns}) for the records a page points at, in one query. */
export async function loadRefs<C extends string>(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  ids: Iterable<string | null>,
  columns: C[],
) {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  const refs = new Map<string, { _id: string } & Record<C, string>>();
  if (wanted.length === 0) return refs;
  const rows = (await (db as AnyDb)
    .selectFrom(table)
    .select(['id', ...(columns as string[])])
    .where('businessid', '=', businessId)
    .where('id', 'in', wanted)
    .execute()) as Record<string, string>[];
  for (const { id, ...rest } of rows) refs.set(id, { _id: id, ...rest } as { _id: string } & Record<C, string>);
  return refs;
}
