// Substring search: every record keeps its search fields in one normalised column, matched literally.
import { sql, type RawBuilder } from 'kysely';

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

/** True when the normalised term occurs in `searchtext`. instr() has no wildcards, so %, _, ' and \ match literally. */
export function matchesSearch(term: string): RawBuilder<boolean> {
  return sql<boolean>`instr(searchtext, ${term}) > 0`;
}
