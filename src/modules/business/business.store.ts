// Business and credential storage, shared by the CLI, the demo bootstrap and authentication.
// Authentication caches who a secret belongs to; every write here moves the credentials version by itself (the
// Db's Kysely plugin in src/db/versions.ts sees writes to these tables), so a revocation applies on the next request.
import type { Kysely } from 'kysely';
import { inTransaction, type Queryable } from '../../db/engine.js';
import { isUniqueViolation, mapUniqueViolation } from '../../db/errors.js';
import { newId, now } from '../../db/ids.js';
import type { BusinessTable, CredentialTable, Database } from '../../db/schema.js';
import { freeSlug, slugify } from '../../db/slugs.js';
import { conflict } from '../../http/errors.js';
import { syncCredentialEndpoint } from '../webhook/webhook.store.js';
import type {
  Business,
  BusinessCreate,
  BusinessUpdate,
  Credential,
  CredentialCreate,
  CredentialUpdate,
  Plan,
} from './business.schema.js';
import { hashSecret, maskSecret, newClientSecret } from './secrets.js';

/** A stored comma-separated list: null stays null. */
const listOf = (text: string | null) => (text === null ? null : text.split(','));

function toCredential(row: CredentialTable & { lastusedat?: string | null }): Credential {
  return {
    clientid: row.clientid,
    businessid: row.businessid,
    name: row.name,
    type: row.type,
    webhookurl: row.webhookurl,
    secret: maskSecret(row.secretprefix, row.secretlast4),
    scopes: row.type === 'publishable' ? ['leads:create'] : (listOf(row.scopes) ?? ['*']),
    origins: listOf(row.origins),
    revoked: row.revokedat !== null,
    lastusedat: row.lastusedat ?? null,
    createdat: row.createdat,
  };
}

/** A credential's rows with when each was last used (credential_usage, kept apart: see migration 0013). */
const withUsage = (db: Queryable) =>
  db
    .selectFrom('credentials')
    .leftJoin('credential_usage', 'credential_usage.clientid', 'credentials.clientid')
    .selectAll('credentials')
    .select('credential_usage.lastusedat');

/**
 * Creates a credential and returns it with its secret, which exists nowhere else after this call; with a webhook
 * URL, also the secret of the endpoint made for it (`webhooksecret`). The caller has checked the URL (webhook/ssrf.ts).
 */
export async function createCredential(db: Queryable, businessId: string, input: CredentialCreate) {
  const publishable = input.type === 'publishable';
  const clientsecret = newClientSecret(publishable ? 'pk_' : 'cs_');
  const scopes = input.scopes?.length && !input.scopes.includes('*') ? [...new Set(input.scopes)].join(',') : null;
  // As browsers send them in `Origin`: lower-case host, no default port.
  const origins = publishable && input.origins?.length ? [...new Set(input.origins.map((o) => new URL(o).origin))] : [];
  const at = now();
  const row: CredentialTable = {
    clientid: newId(),
    businessid: businessId,
    name: input.name ?? 'Default',
    type: input.type ?? 'custom',
    webhookurl: input.webhookurl ?? null,
    secrethash: hashSecret(clientsecret),
    secretprefix: clientsecret.slice(0, 7),
    secretlast4: clientsecret.slice(-4),
    scopes: publishable ? null : scopes,
    origins: origins.length ? origins.join(',') : null,
    revokedat: null,
    createdat: at,
    updatedat: at,
  };
  return inTransaction(db, async (trx) => {
    await trx.insertInto('credentials').values(row).execute();
    const webhooksecret = row.webhookurl
      ? await syncCredentialEndpoint(trx, businessId, row.clientid, row.webhookurl)
      : undefined;
    return { credential: toCredential(row), clientsecret, webhooksecret };
  });
}

/**
 * Creates a business and its first credential in one transaction. Its slug comes from its name; another business
 * taking the same one meanwhile (the unique index) makes it try again, once more with a random suffix.
 */
export async function createBusiness(
  db: Queryable,
  input: BusinessCreate,
  credential: CredentialCreate = {},
  attempt = 1,
): ReturnType<typeof insertBusiness> {
  try {
    return await insertBusiness(db, input, credential, attempt > 1 ? newId().slice(-6) : '');
  } catch (error) {
    if (!isUniqueViolation(error) || attempt >= 3) throw error;
    return createBusiness(db, input, credential, attempt + 1);
  }
}

function insertBusiness(db: Queryable, input: BusinessCreate, credential: CredentialCreate, suffix: string) {
  return inTransaction(db, async (trx) => {
    const at = now();
    const business: Business = {
      _id: newId(),
      name: input.name,
      plan: input.plan ?? 'free',
      limits: input.limits ?? null,
      slug: await freeSlug(trx, slugify(`${input.name} ${suffix}`, 'business')),
      createdat: at,
    };
    await trx
      .insertInto('businesses')
      .values({
        id: business._id,
        name: business.name,
        plan: business.plan,
        ratelimits: business.limits,
        slug: business.slug,
        bookingsecret: null,
        createdat: at,
        updatedat: at,
      })
      .execute();
    const { credential: created, clientsecret } = await createCredential(trx, business._id, credential);
    return { business, credential: created, clientsecret };
  });
}

const toBusiness = (r: BusinessTable): Business => ({
  _id: r.id,
  name: r.name,
  plan: r.plan as Plan,
  limits: r.ratelimits,
  slug: r.slug,
  createdat: r.createdat,
});

export async function listBusinesses(db: Queryable): Promise<Business[]> {
  const rows = await db.selectFrom('businesses').selectAll().orderBy('createdat').orderBy('id').execute();
  return rows.map(toBusiness);
}

export async function getBusiness(db: Queryable, id: string): Promise<Business | undefined> {
  const r = await db.selectFrom('businesses').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toBusiness(r);
}

/** Changes a business's name, plan, custom limits or slug; they apply from its next request, on every node. */
export async function updateBusiness(db: Queryable, id: string, patch: BusinessUpdate): Promise<Business | undefined> {
  const set: Partial<BusinessTable> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.plan !== undefined) set.plan = patch.plan;
  if (patch.limits !== undefined) set.ratelimits = patch.limits;
  if (patch.slug !== undefined) set.slug = patch.slug;
  if (Object.keys(set).length > 0) {
    await mapUniqueViolation(
      () =>
        db
          .updateTable('businesses')
          .set({ ...set, updatedat: now() })
          .where('id', '=', id)
          .execute(),
      () => conflict(`Another business has the slug ${patch.slug}`),
    );
  }
  return getBusiness(db, id);
}

export async function countBusinesses(db: Queryable): Promise<number> {
  const { n } = await db
    .selectFrom('businesses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function listCredentials(db: Queryable, businessId: string): Promise<Credential[]> {
  const rows = await withUsage(db)
    .where('credentials.businessid', '=', businessId)
    .orderBy('credentials.createdat')
    .execute();
  return rows.map(toCredential);
}

/**
 * Revokes a credential at once; returns false when no unrevoked credential has that client id (in `businessId`,
 * when given: the dashboard's staff reach only their own business's credentials; the operator's CLI reaches all).
 */
export async function revokeCredential(db: Queryable, clientId: string, businessId?: string): Promise<boolean> {
  const at = now();
  return inTransaction(db, async (trx) => {
    let query = trx
      .updateTable('credentials')
      .set({ revokedat: at, updatedat: at })
      .where('clientid', '=', clientId)
      .where('revokedat', 'is', null);
    if (businessId !== undefined) query = query.where('businessid', '=', businessId);
    const revoked = await query.returning('businessid').executeTakeFirst();
    if (revoked) await syncCredentialEndpoint(trx, revoked.businessid, clientId, null, true);
    return revoked !== undefined;
  });
}

export async function getCredential(
  db: Queryable,
  businessId: string,
  clientId: string,
): Promise<Credential | undefined> {
  const row = await withUsage(db)
    .where('credentials.businessid', '=', businessId)
    .where('credentials.clientid', '=', clientId)
    .executeTakeFirst();
  return row && toCredential(row);
}

/** Renames a credential or sets its webhook URL; undefined when the business has no such credential, else 0 or 1 modified. */
export async function updateCredential(
  db: Queryable,
  businessId: string,
  clientId: string,
  patch: CredentialUpdate,
): Promise<0 | 1 | undefined> {
  const current = await getCredential(db, businessId, clientId);
  if (!current) return undefined;
  const set: Partial<CredentialTable> = {};
  if (patch.name !== undefined && patch.name !== current.name) set.name = patch.name;
  if (patch.webhookurl !== undefined && patch.webhookurl !== current.webhookurl) set.webhookurl = patch.webhookurl;
  if (Object.keys(set).length === 0) return 0;
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('credentials')
      .set({ ...set, updatedat: now() })
      .where('businessid', '=', businessId)
      .where('clientid', '=', clientId)
      .execute();
    if (set.webhookurl !== undefined) await syncCredentialEndpoint(trx, businessId, clientId, set.webhookurl);
  });
  return 1;
}

/** The caller behind a client secret: the business and credential, or undefined when unknown or revoked. */
export async function findBySecret(db: Kysely<Database>, secret: string) {
  return db
    .selectFrom('credentials')
    .innerJoin('businesses', 'businesses.id', 'credentials.businessid')
    .select([
      'credentials.clientid',
      'credentials.businessid',
      'credentials.type',
      'credentials.scopes',
      'credentials.origins',
      'businesses.plan',
      'businesses.ratelimits',
    ])
    .where('credentials.secrethash', '=', hashSecret(secret))
    .where('credentials.revokedat', 'is', null)
    .executeTakeFirst();
}

/** Notes that a credential was used at `at` (http/auth.ts calls it at most once a minute per key). */
export async function noteCredentialUse(db: Queryable, clientId: string, at: string): Promise<void> {
  await db
    .insertInto('credential_usage')
    .values({ clientid: clientId, lastusedat: at })
    .onConflict((oc) => oc.column('clientid').doUpdateSet({ lastusedat: at }))
    .execute();
}

/** Every origin some unrevoked publishable key lists: the origins a CORS preflight is answered for. */
export async function publishableOrigins(db: Queryable): Promise<Set<string>> {
  const rows = await db
    .selectFrom('credentials')
    .select('origins')
    .where('type', '=', 'publishable')
    .where('revokedat', 'is', null)
    .execute();
  return new Set(rows.flatMap((r) => listOf(r.origins) ?? []));
}
