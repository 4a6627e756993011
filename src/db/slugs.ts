// Readable slugs for the booking pages' addresses: from a name, made unique by a numeric suffix where taken.
import type { Queryable } from './engine.js';

/** Lower-case ASCII words joined by hyphens, at most 60 characters; `fallback` when nothing is left. */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || fallback;
}

/** What a slug may be, for the schemas that take one. */
export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

/**
 * The first of base, base-2, base-3, ... that no business (businessId undefined) or no appointment type of the
 * business uses. Two writers racing for one still meet the unique index, which answers 409.
 */
export async function freeSlug(db: Queryable, base: string, businessId?: string): Promise<string> {
  const rows =
    businessId === undefined
      ? await db
          .selectFrom('businesses')
          .select('slug')
          .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
          .execute()
      : await db
          .selectFrom('appointments')
          .select('slug')
          .where('businessid', '=', businessId)
          .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
          .execute();
  const taken = new Set(rows.map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}
