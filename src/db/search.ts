// Substring search: every record keeps its search fields in one normalised column, matched literally.
import type BetterSqlite3 from 'better-sqlite3';
import { type RawBuilder, sql } from 'kysely';
import { keptTotal } from './counts.js';
import { engineOf, type Queryable } from './engine.js';
import { pastBudget } from './errors.js';
import { readsOf } from './reads.js';
import type { RecordTableName } from './schema.js';

/** Separates fields in `searchtext`, so that a term never matches across two fields. */
const FIELD_SEPARATOR = '\u001f';

/** Unicode-aware case folding shared by stored text and search terms (NFKC, then lower case). */
export function normaliseSearch(text: string): string {
  return text.trim().normalize('NFKC').toLowerCase().replaceAll(FIELD_SEPARATOR, ' ');
}

/** The value of a record's `searchtext` column, from its search fields. */
export function searchText(values: ReadonlyArray<string | null | undefined>): string {
  return values.map((v) => (v ? normaliseSearch(v) : '')).join(FIELD_SEPARATOR);
}

/** LIKE's wildcards and its escape character, escaped so that they match themselves. */
function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The FTS5 trigram index matches terms of 3 characters or more; shorter ones are found by scanning. */
const TRIGRAM = 3;

/**
 * How a search finds its matches. `scan`: the business's own rows through its list index, each checked with
 * instr() (strpos() on PostgreSQL), so the cost is the business's size. `index`: the table's trigram index, where
 * each business's entries are its own: on SQLite a range of keys per business (migration 0018), on PostgreSQL the
 * business beside the trigrams in one GIN index (0019). The cost is the business's own matches.
 */
export type SearchPlan = 'scan' | 'index';

/**
 * How a page of a search's matches is found, once they are counted: as they were found (`scan`, `index`), or, on
 * SQLite, `walk`: the business's list index in order, each entry's rowid checked against the set of matches its
 * range of the trigram index gives, without reading a record until the page is full.
 */
export type PagePlan = SearchPlan | 'walk';

/**
 * What finding a page costs on SQLite, in µs, measured at 1M customers over 400 varied terms (docs/benchmarks.md):
 * sorting reads each match by its rowid; a scan reads each record it walks to check it with instr(); a walk gathers
 * the matches from the trigram index, then checks each list index entry it walks against them.
 */
const SORT_PER_MATCH = 3.5;
const SCAN_PER_ROW = 0.65;
const WALK_PER_MATCH = 0.45;
const WALK_PER_ENTRY = 0.15;

/**
 * The cheapest way to find the page reaching `reach` matches (offset + limit) of a search with `total` matches in a
 * business of `size` records, found by `plan`. Through the index: sorting every match reads `total` records; walking
 * the list index in order until the page is full visits about reach × size / total entries, each a record read
 * when checked with instr() (`scan`), or an index entry checked against the matches (`walk`, SQLite, and only where
 * `walkable`: a search and nothing else, whose list index is the business's newest first).
 */
export function pagePlan(
  db: Queryable,
  { plan, size }: { plan: SearchPlan; size: number },
  total: number,
  reach: number,
  walkable: boolean,
): PagePlan {
  if (plan !== 'index') return plan;
  const walked = (reach * size) / total;
  const costs: [PagePlan, number][] = [
    ['index', total * SORT_PER_MATCH],
    ['scan', walked * SCAN_PER_ROW],
  ];
  if (walkable && engineOf(db) === 'sqlite') costs.push(['walk', total * WALK_PER_MATCH + walked * WALK_PER_ENTRY]);
  return costs.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
}

/**
 * The plan for searching `term` in a business's `table`: scanning when the business holds fewer rows there than
 * `readsOf(db).scanBelow` (from its kept count, one indexed lookup) or when the term is too short for trigrams.
 * Scanning a small business's rows costs less than seeking its part of the trigram index (a few hundred µs a trigram,
 * ARCHITECTURE.md); a large one's scan would cost more than the index.
 * `size` is that count, for the caller's own choices (records.ts finds a page by scanning where matches are dense).
 */
export async function searchPlan(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  term: string,
): Promise<{ plan: SearchPlan; size: number }> {
  const size = (await keptTotal(db, table, businessId, [])) ?? 0;
  const plan = [...term].length < TRIGRAM || size < readsOf(db).scanBelow ? 'scan' : 'index';
  return { plan, size };
}

/**
 * The business condition of a list. When SQLite's trigram index finds the matches, `+businessid` keeps the
 * planner from walking the business's whole list index: it visits the matches (all of the business, from its range
 * of the index) instead. The records not indexed yet are checked for their business here.
 */
export function inBusiness(db: Queryable, businessId: string, plan?: PagePlan): RawBuilder<boolean> {
  return plan === 'index' && engineOf(db) === 'sqlite'
    ? sql<boolean>`+businessid = ${businessId}`
    : sql<boolean>`businessid = ${businessId}`;
}

/** The SQLite function a search's condition calls to know whether its read is still within its budget. */
const IN_BUDGET = 'mteja_in_budget';

/**
 * SQLite: true, and for a row whose rowid's low 10 bits are 0 (about one in 1,024 of the rows the condition is
 * evaluated on) a call to mteja_in_budget(), which throws in a read worker whose job is past its budget
 * (read-worker.ts): a statement reading a million rows stops within a millisecond or so of scanning. First in its
 * condition, so that rows which do not match are counted too. Not checked: the candidates FTS5 rejects inside its
 * own phrase matching, and a business whose rowids happen to miss every multiple of 1,024 (rows inserted in strict
 * rotation with 2^k other businesses); such a statement runs on until its worker's grace ends (read-pool.ts).
 */
const inBudget = (rowid: RawBuilder<unknown>) => sql<boolean>`(${rowid} & 1023 <> 0 or ${sql.raw(IN_BUDGET)}())`;

/**
 * Gives a SQLite connection the function the search conditions call (inBudget): it throws the request budget's error
 * once `within()` is false. Every connection that may run a search has it: the main one always within (its reads are
 * not cancelled mid-statement), a read worker's within its job's deadline (read-worker.ts).
 */
export function checkBudgetWith(sqlite: BetterSqlite3.Database, within: () => boolean): void {
  sqlite.function(IN_BUDGET, { deterministic: false }, () => {
    if (within()) return 1;
    throw pastBudget();
  });
}

const instr = (term: string) => sql<boolean>`${inBudget(sql`rowid`)} and instr(searchtext, ${term}) > 0`;

/** SQLite: a trigram index entry's key is (business number << KEY_BITS) | record rowid (migration 0018). */
const KEY_BITS = 40;
const ROWID_MASK = 2 ** KEY_BITS - 1;

/** SQLite: a record's key in its table's trigram index, from its business id and rowid (columns or values). */
export const indexKey = (businessId: RawBuilder<unknown>, rowid: RawBuilder<unknown>) =>
  sql<number>`(((select b.rowid from businesses b where b.id = ${businessId}) << ${sql.lit(KEY_BITS)}) | ${rowid})`;

/** SQLite: the business's range of a trigram index (FTS5 seeks to it), and the term as one quoted phrase. */
function indexed(table: RecordTableName, businessId: string, term: string) {
  const fts = sql.table(`${table}_fts`);
  const phrase = `"${term.replaceAll('"', '""')}"`;
  const first = sql`(select b.rowid << ${sql.lit(KEY_BITS)} from businesses b where b.id = ${businessId})`;
  return {
    fts,
    where: sql`${fts} match ${phrase} and ${fts}.rowid between ${first} and ${first} + ${sql.lit(ROWID_MASK)}
      and ${inBudget(sql`${fts}.rowid`)}`,
  };
}

/** SQLite: the records not in the trigram index yet (0008), each looked up by rowid and checked with instr(). */
function pendingMatches(table: RecordTableName, term: string) {
  const pending = sql.table(`${table}_fts_pending`);
  // CROSS JOIN fixes the order: the few pending rows, each looked up by rowid. Left to itself, the planner (with no
  // statistics for a table that is empty when ANALYZE runs) scanned the whole record table instead (2.6 s at 1M).
  return sql`${pending} p cross join ${sql.table(table)} r on r.rowid = p.rowid where instr(r.searchtext, ${term}) > 0`;
}

/** Whether indexedTotal() counts a search for `term` (in a business the index serves) from the index alone. */
export const indexCounts = (db: Queryable, term: string) => engineOf(db) === 'sqlite' && [...term].length >= TRIGRAM;

/**
 * SQLite, `index` plan: the exact number of the business's records that contain `term`, counted from its range of
 * the trigram index without reading a record, plus its matching records not indexed yet. Undefined where the
 * index cannot count alone (PostgreSQL, or a term too short for trigrams): the caller counts the matching rows.
 */
export async function indexedTotal(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  term: string,
): Promise<number | undefined> {
  if (!indexCounts(db, term)) return undefined;
  const { fts, where } = indexed(table, businessId, term);
  const { rows } = await sql<{ n: number }>`select
    (select count(*) from ${fts} where ${where})
    + (select count(*) from ${pendingMatches(table, term)} and r.businessid = ${businessId}) as n`.execute(db);
  return Number(rows[0]!.n);
}

/**
 * True when the normalised term occurs in a record's `searchtext`, literally, on any engine.
 * `scan`: instr() on SQLite, strpos() on PostgreSQL (neither can use the trigram index, so the planner walks the
 * business's rows). `index`, SQLite: the business's range of the table's FTS5 trigram index, queried with the term as
 * one quoted phrase (so no FTS syntax applies), plus the records not indexed yet (`<table>_fts_pending`, checked with instr()); 1–2
 * characters are always scanned. `index`, PostgreSQL: LIKE with %, _ and \ escaped, which its pg_trgm index serves.
 */
export function matchesSearch(
  db: Queryable,
  table: RecordTableName,
  businessId: string,
  term: string,
  plan: PagePlan = 'index',
): RawBuilder<boolean> {
  const postgres = engineOf(db) === 'postgres';
  if (plan === 'scan') return postgres ? sql<boolean>`strpos(searchtext, ${term}) > 0` : instr(term);
  if (postgres) return sql<boolean>`searchtext like ${`%${escapeLike(term)}%`} escape '\\'`;
  if ([...term].length < TRIGRAM) return instr(term);
  const { fts, where } = indexed(table, businessId, term);
  // `walk`: +rowid keeps the planner from looking the matches up by rowid; it walks the list index and checks each
  // entry's rowid against the matches, gathered once.
  const rowid = plan === 'walk' ? sql`+rowid` : sql`rowid`;
  return sql<boolean>`${rowid} in (
    select ${fts}.rowid & ${sql.lit(ROWID_MASK)} from ${fts} where ${where}
    union all
    select p.rowid from ${pendingMatches(table, term)})`;
}
