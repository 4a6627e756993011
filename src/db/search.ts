// Substring search: every record keeps its search fields in one normalised column, matched literally.
import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from './engine.js';
import { engineOf } from './engine.js';
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

/** Whether SQLite answers this term from its trigram index (3 characters or more) rather than by scanning. */
export function usesTrigramIndex(db: Queryable, term: string | undefined): boolean {
  return term !== undefined && engineOf(db) === 'sqlite' && [...term].length >= TRIGRAM;
}

/**
 * The business condition of a list. When SQLite's trigram index finds the matches, `+businessid` keeps the
 * planner from walking the business's whole list index: it visits the matches and checks their business instead,
 * so a search costs what its matches cost, not what the table holds.
 */
export function inBusiness(db: Queryable, businessId: string, term: string | undefined): RawBuilder<boolean> {
  return usesTrigramIndex(db, term)
    ? sql<boolean>`+businessid = ${businessId}`
    : sql<boolean>`businessid = ${businessId}`;
}

/**
 * True when the normalised term occurs in a record's `searchtext`, literally, on any engine.
 * SQLite: the table's FTS5 trigram index, queried with the term as one quoted phrase (so no FTS syntax applies),
 * plus the records not indexed yet (`<table>_fts_pending`, checked with instr()); or instr() alone for 1–2
 * characters. PostgreSQL: LIKE with %, _ and \ escaped, which its pg_trgm index serves.
 */
export function matchesSearch(db: Queryable, table: RecordTableName, term: string): RawBuilder<boolean> {
  if (engineOf(db) === 'postgres') return sql<boolean>`searchtext like ${`%${escapeLike(term)}%`} escape '\\'`;
  if (!usesTrigramIndex(db, term)) return sql<boolean>`instr(searchtext, ${term}) > 0`;
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
