// Public booking pages: a slug per business (unique) and per appointment type (unique in its business), a minimum
// notice and a booking window per type, the secret that signs manage links, and `bookingurl` becoming `externalurl`:
// the URL staff set on purpose, null for mteja's own page. The seeds' placeholder pages are cleared so they use it.
import { type Kysely, type Migration, sql } from 'kysely';
import { textType } from './0001_init.js';

/** Frozen copy of the slug rule at this migration: lower-case ASCII words joined by hyphens, at most 60 characters. */
function slugify(text: string, fallback: string): string {
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

/** The first of slug, slug-2, slug-3, ... not in `taken`; added to it. */
function claim(taken: Set<string>, base: string): string {
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the tables as they were, not as schema.ts types them today
type Loose = Kysely<any>;

export const bookingPages: Migration = {
  async up(db: Kysely<unknown>) {
    const T = textType(db);
    const loose = db as Loose;
    await db.schema.alterTable('businesses').addColumn('slug', T).execute();
    await db.schema.alterTable('businesses').addColumn('bookingsecret', T).execute();
    await db.schema.alterTable('appointments').addColumn('slug', T).execute();
    await db.schema
      .alterTable('appointments')
      .addColumn('minnoticeminutes', 'integer', (c) => c.notNull().defaultTo(120))
      .execute();
    await db.schema
      .alterTable('appointments')
      .addColumn('windowdays', 'integer', (c) => c.notNull().defaultTo(60))
      .execute();
    await db.schema.alterTable('appointments').renameColumn('bookingurl', 'externalurl').execute();
    await loose
      .updateTable('appointments')
      .set({ externalurl: null })
      .where(sql<boolean>`substr(externalurl, 1, 25) = 'https://book.example.com/'`)
      .execute();

    const businessSlugs = new Set<string>();
    const businesses = await loose.selectFrom('businesses').select(['id', 'name']).orderBy('createdat').execute();
    for (const b of businesses) {
      const slug = claim(businessSlugs, slugify(b.name, 'business'));
      await loose.updateTable('businesses').set({ slug }).where('id', '=', b.id).execute();
    }
    const types = await loose
      .selectFrom('appointments')
      .select(['businessid', 'id', 'title'])
      .orderBy('businessid')
      .orderBy('createdat')
      .orderBy('id')
      .execute();
    const typeSlugs = new Map<string, Set<string>>();
    for (const t of types) {
      const taken = typeSlugs.get(t.businessid) ?? new Set<string>();
      typeSlugs.set(t.businessid, taken);
      const slug = claim(taken, slugify(t.title, 'appointment'));
      await loose
        .updateTable('appointments')
        .set({ slug })
        .where('businessid', '=', t.businessid)
        .where('id', '=', t.id)
        .execute();
    }
    await db.schema.createIndex('businesses_slug').on('businesses').column('slug').unique().execute();
    await db.schema
      .createIndex('appointments_slug')
      .on('appointments')
      .columns(['businessid', 'slug'])
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('appointments_slug').execute();
    await db.schema.dropIndex('businesses_slug').execute();
    await db.schema.alterTable('appointments').renameColumn('externalurl', 'bookingurl').execute();
    for (const column of ['slug', 'minnoticeminutes', 'windowdays'])
      await db.schema.alterTable('appointments').dropColumn(column).execute();
    for (const column of ['slug', 'bookingsecret'])
      await db.schema.alterTable('businesses').dropColumn(column).execute();
  },
};
