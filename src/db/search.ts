// Substring search: every record keeps its search fields in one normalised column, matched literally.
import { type RawBuilder, sql } from 'kysely';
import { keptTotal } from './counts.js';
import { engineOf, type Queryable } from './engine.js';
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
 * instr() (strpos() on PostgreSQL), so the cost is the business's size. `index`: the table's trigram index, shared by
 * every business, whose cost is the matches in the whole table (then checked for their business).
 */
export type SearchPlan = 'scan' | 'index';

/**
 * The plan for searching `term` in a business's `table`: scanning when the business holds fewer rows there than
 * `readsOf(db).scanBelow` (from its kept count, one indexed lookup) or when the term is too short for trigrams.
 * A small business then never pays for a large neighbour's matches; a large one's scan would cost more than the index.
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
 * planner from walking the business's whole list index: it visits the matches and checks their business instead.
 */
export function inBusiness(db: Queryable, businessId: string, plan?: SearchPlan): RawBuilder<boolean> {
  return plan === 'index' && engineOf(db) === 'sqlite'
    ? sql<boolean>`+businessid = ${businessId}`
    : sql<boolean>`businessid = ${businessId}`;
}

const instr = (term: string) => sql<boolean>`instr(searchtext, ${term}) > 0`;

/**
 * True when the normalised term occurs in a record's `searchtext`, literally, on any engine.
 * `scan`: instr() on SQLite, strpos() on PostgreSQL (neither can use the trigram index, so the planner walks the
 * business's rows). `index`, SQLite: the table's FTS5 trigram index, queried with the term as one quoted phrase (so
 * no FTS syntax applies), plus the records not indexed yet (`<table>_fts_pending`, checked with instr()); 1–2
 * characters are always scanned. `index`, PostgreSQL: LIKE with %, _ and \ escaped, which its pg_trgm index serves.
 */
export function matchesSearch(
  db: Queryable,
  table: RecordTableName,
  term: string,
  plan: SearchPlan = 'index',
): RawBuilder<boolean> {
  const postgres = engineOf(db) === 'postgres';
  if (plan === 'scan') return postgres ? sql<boolean>`strpos(searchtext, ${term}) > 0` : instr(term);
  if (postgres) return sql<boolean>`searchtext like ${`%${escapeLike(term)}%`} escape '\\'`;
  if ([...term].length < TRIGRAM) return instr(term);
  const phrase = `"${term.replaceAll('"', '""')}"`;
  const fts = sql.table(`${table}_fts`);
  const pending = sql.table(`${table}_fts_pending`);
  // CROSS JOIN fixes the order: the few pending rows, each looked up by rowid. Left to itself, the planner (with no
  // statistics for a table that is empty when ANALYZE runs) scanned the whole record table instead (2.6 s at 1M).
  return sql<boolean>`rowid in (
    select rowid from ${fts} where ${fts} match ${phrase}
    union all
    select p.rowid from ${pending} p cross join ${sql.table(table)} r on r.rowid = p.rowid where instr(r.searchtext, ${term}) > 0)`;
}
