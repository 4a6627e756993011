// What the benchmark asks for, drawn at random from pools larger than a run can exhaust: record ids from across the
// whole table, and thousands of search terms of the kinds people type (surnames, the start of an email, a company
// word, any 4 characters of a name), plus 1–2 character terms. Sampled straight from the seeded database.
import { sql } from 'kysely';
import { connect } from '../src/db/connect.js';

export interface Pools {
  /** Customer ids of the large business, from across the table. */
  ids: string[];
  /** Customer ids of the 1,000-customer business. */
  smallIds: string[];
  /** Search terms of 3 or more characters. */
  terms: string[];
  /** Search terms of 1 or 2 characters. */
  shortTerms: string[];
}

/** One element of `list`, at random. */
export const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** 1..n, at random. */
export const upTo = (n: number) => 1 + Math.floor(Math.random() * n);

const words = (text: string | null) =>
  (text ?? '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The terms a user might type to find these customers. */
function termsOf(rows: { name: string; email: string; company: string | null }[]): Pools['terms'] {
  const terms = new Set<string>();
  for (const { name, email, company } of rows) {
    const names = words(name);
    const surname = names.at(-1);
    if (surname && surname.length >= 3) terms.add(surname);
    const local = email.split('@')[0]!;
    terms.add(local.slice(0, 3 + Math.floor(Math.random() * 4)));
    for (const word of words(company)) if (word.length >= 3) terms.add(word);
    const lower = name.toLowerCase();
    if (lower.length >= 4) {
      const at = Math.floor(Math.random() * (lower.length - 3));
      const slice = lower.slice(at, at + 4);
      if (slice.trim().length === 4) terms.add(slice);
    }
  }
  return [...terms];
}

/** Reads the pools from the database at `url` (a connection of its own, closed after). */
export async function samplePools(url: string, big: string, small: string, sample = 20_000): Promise<Pools> {
  const database = await connect(url, 2);
  try {
    const random = (businessId: string, n: number) =>
      sql<{ id: string; name: string; email: string; company: string | null }>`
        select id, name, email, company from customers where businessid = ${businessId} order by random() limit ${n}`
        .execute(database.db)
        .then((r) => r.rows);
    const rows = await random(big, sample);
    const smallRows = await random(small, 1000);
    const shortTerms = new Set<string>('abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
    for (const { name } of rows.slice(0, 2000)) {
      const lower = name.toLowerCase().replace(/\s+/g, '');
      const at = Math.floor(Math.random() * Math.max(1, lower.length - 1));
      shortTerms.add(lower.slice(at, at + 2));
    }
    return {
      ids: rows.map((r) => r.id),
      smallIds: smallRows.map((r) => r.id),
      terms: termsOf([...rows, ...smallRows]),
      shortTerms: [...shortTerms].filter((t) => t.length > 0),
    };
  } finally {
    await database.close();
  }
}
