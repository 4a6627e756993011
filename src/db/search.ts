// Substring search: every record keeps its search fields in one normalised column, matched literally.
import { sql, type RawBuilder } from 'kysely';
import { engineOf } from './connect.js';
import type { Queryable } from './records.js';

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

/**
 * True when the normalised term occurs in `searchtext`, literally. SQLite: instr(), which has no wildcards.
 * PostgreSQL: LIKE with %, _ and \ escaped, which its trigram index serves.
 */
export function matchesSearch(db: Queryable, term: string): RawBuilder<boolean> {
  if (engineOf(db) === 'postgres') return sql<boolean>`searchtext like ${`%${escapeLike(term)}%`} escape '\\'`;
  return sql<boolean>`instr(searchtext, ${term}) > 0`;
}
