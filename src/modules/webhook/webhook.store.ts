// Webhook endpoints of a business: saved with a secret, matched against each event's type, rotated, disabled.
// Every function takes the business id first, except the operator CLI's lookup by endpoint id.
import { randomBytes } from 'node:crypto';
import { inTransaction, type Queryable, runCompiled } from '../../db/engine.js';
import { newId, now } from '../../db/ids.js';
import type { WebhookEndpointTable } from '../../db/schema.js';
import type { Endpoint, EndpointCreate, EndpointUpdate } from './webhook.schema.js';

/** How long the old secret keeps signing beside the new one after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/** A Standard Webhooks secret: whsec_ and the base64 of 32 random bytes. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function toEndpoint(row: WebhookEndpointTable): Endpoint {
  return {
    _id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    status: row.status as Endpoint['status'],
    disabledreason: row.disabledreason,
    credentialid: row.credentialid,
    createdat: row.createdat,
    updatedat: row.updatedat,
  };
}

/** Whether an endpoint's patterns (`*`, `customer.*`, names) take an event type; `ping` is only sent on request. */
export function wants(patterns: readonly string[], type: string): boolean {
  if (type === 'ping') return false;
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** Saves an endpoint (its URL checked by the caller, ssrf.ts) and returns it with its secret. */
export async function createEndpoint(
  db: Queryable,
  businessId: string,
  input: EndpointCreate & { credentialid?: string },
): Promise<{ endpoint: Endpoint; secret: string }> {
  const at = now();
  const row: WebhookEndpointTable = {
    businessid: businessId,
    id: newId(),
    url: input.url,
    events: JSON.stringify(input.events ?? ['*']),
    description: input.description ?? null,
    status: 'enabled',
    disabledreason: null,
    secret: newSecret(),
    previoussecret: null,
    previousuntil: null,
    credentialid: input.credentialid ?? null,
    failingsince: null,
    createdat: at,
    updatedat: at,
  };
  await db.insertInto('webhook_endpoints').values(row).execute();
  return { endpoint: toEndpoint(row), secret: row.secret };
}

export async function listEndpoints(db: Queryable, businessId: string): Promise<Endpoint[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('businessid', '=', businessId)
    .orderBy('createdat')
    .orderBy('id')
    .execute();
  return rows.map(toEndpoint);
}

export function getEndpointRow(db: Queryable, businessId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('businessid', '=', businessId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The operator's lookup (CLI): an endpoint by id alone, whichever business it belongs to. */
export function findEndpointRow(db: Queryable, id: string) {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes URL, events or description; undefined when there is no such endpoint, else 0 or 1 modified. */
export async function updateEndpoint(db: Queryable, businessId: string, id: string, patch: EndpointUpdate) {
  const current = await getEndpointRow(db, businessId, id);
  if (!current) return undefined;
  const set: Partial<WebhookEndpointTable> = {};
  if (patch.url !== undefined && patch.url !== current.url) set.url = patch.url;
  if (patch.events !== undefined && JSON.stringify(patch.events) !== current.events)
    set.events = JSON.stringify(patch.events);
  if (patch.description !== undefined && patch.description !== current.description) set.description = patch.description;
  if (Object.keys(set).length === 0) return 0;
  await db
    .updateTable('webhook_endpoints')
    .set({ ...set, updatedat: now() })
    .where('businessid', '=', businessId)
    .where('id', '=', id)
    .execute();
  return 1;
}

/** Enables (clearing the failure run) or disables an endpoint with a reason; false when there is no such endpoint. */
export async function setEndpointStatus(
  db: Queryable,
  businessId: string,
  id: string,
  status: 'enabled' | 'disabled',
  reason: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ status, disabledreason: status === 'enabled' ? null : reason, failingsince: null, updatedat: now() })
    .where('businessid', '=', businessId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes an endpoint and its delivery log; false when there is no such endpoint. */
export async function deleteEndpoint(db: Queryable, businessId: string, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await trx
      .deleteFrom('webhook_deliveries')
      .where('businessid', '=', businessId)
      .where('endpointid', '=', id)
      .execute();
    const result = await trx
      .deleteFrom('webhook_endpoints')
      .where('businessid', '=', businessId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** A new secret; the old one keeps signing beside it for ROTATION_OVERLAP_MS. Undefined when there is no such endpoint. */
export async function rotateSecret(db: Queryable, businessId: string, id: string): Promise<string | undefined> {
  return inTransaction(db, async (trx) => {
    const current = await getEndpointRow(trx, businessId, id);
    if (!current) return undefined;
    const secret = newSecret();
    const at = new Date();
    await trx
      .updateTable('webhook_endpoints')
      .set({
        secret,
        previoussecret: current.secret,
        previousuntil: new Date(at.getTime() + ROTATION_OVERLAP_MS).toISOString(),
        updatedat: at.toISOString(),
      })
      .where('businessid', '=', businessId)
      .where('id', '=', id)
      .execute();
    return secret;
  });
}

/** What sending to an endpoint takes: where, and the secrets that sign. */
export type SendTarget = Pick<WebhookEndpointTable, 'id' | 'url' | 'secret' | 'previoussecret' | 'previousuntil'>;

/** A business's enabled endpoints that want an event type, with what sending to them takes. */
export async function subscribedEndpoints(db: Queryable, businessId: string, type: string): Promise<SendTarget[]> {
  // On every write's path (recordEvent): compiled once.
  const build = () =>
    db
      .selectFrom('webhook_endpoints')
      .select(['id', 'events', 'url', 'secret', 'previoussecret', 'previousuntil'])
      .where('businessid', '=', businessId)
      .where('status', '=', 'enabled')
      .compile();
  const { rows } = await runCompiled<SendTarget & { events: string }>(db, 'subscribedEndpoints', build, [
    businessId,
    'enabled',
  ]);
  // The rows as they are (their `events` too): copying each without it cost a write more than the filter.
  return rows.filter((row) => wants(JSON.parse(row.events), type));
}

/**
 * Keeps a credential's endpoint in step with its webhook URL: made when a URL is set, its URL changed, deleted when
 * the URL is removed, disabled when the credential is revoked. Returns the secret of an endpoint it made.
 */
export async function syncCredentialEndpoint(
  db: Queryable,
  businessId: string,
  credentialId: string,
  url: string | null,
  revoked = false,
): Promise<string | undefined> {
  const current = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('businessid', '=', businessId)
    .where('credentialid', '=', credentialId)
    .executeTakeFirst();
  if (revoked) {
    if (current) await setEndpointStatus(db, businessId, current.id, 'disabled', 'Its credential was revoked');
    return undefined;
  }
  if (url === null) {
    if (current) await deleteEndpoint(db, businessId, current.id);
    return undefined;
  }
  if (current) {
    await updateEndpoint(db, businessId, current.id, { url });
    return undefined;
  }
  const made = await createEndpoint(db, businessId, {
    url,
    events: ['*'],
    description: 'Webhook URL of a credential',
    credentialid: credentialId,
  });
  return made.secret;
}

/** The patterns that match no event type (a typo such as `customer.create`): saving them would silently send nothing. */
export function unknownPatterns(patterns: readonly string[], types: readonly string[]): string[] {
  return patterns.filter((p) => p !== '*' && !types.some((type) => type === p || wants([p], type)));
}
