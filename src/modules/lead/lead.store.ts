// Lead storage: rows, records, the newest-first list with status and source filters, change-aware updates.

import { inTransaction, type Queryable } from '../../db/engine.js';
import { newId, now } from '../../db/ids.js';
import { getRow, insertRow, insertRows, listPage, recordBase, updateRow } from '../../db/records.js';
import type { LeadTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { type FilterValues, filterConditions, type Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { roundMoney } from '../../http/schemas.js';
import { recordCreated, updateWithEvents } from '../event/event.store.js';
import { LEAD_FILTERS, LEAD_SEARCH_FIELDS, type Lead, type LeadCreate, type LeadUpdate } from './lead.schema.js';

const derived = (row: Pick<LeadTable, (typeof LEAD_SEARCH_FIELDS)[number]>) => ({
  searchtext: searchText(LEAD_SEARCH_FIELDS.map((field) => row[field])),
});

/** The row for a new lead, defaults applied and search text computed: one shape for single and bulk inserts. */
export function leadRow(businessId: string, input: LeadCreate, origin: SourceOrigin, at = now()): LeadTable {
  const row = {
    businessid: businessId,
    id: newId(),
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    company: input.company ?? null,
    jobtitle: input.jobtitle ?? null,
    industry: input.industry ?? null,
    website: input.website ?? null,
    request: input.request ?? null,
    budget: input.budget == null ? null : roundMoney(input.budget),
    country: input.country ?? null,
    state: input.state ?? null,
    address: input.address ?? null,
    source: input.source ?? null,
    status: input.status ?? 'new',
    customerid: null,
    active: 1,
    sourceorigin: origin,
    createdat: at,
    updatedat: at,
  };
  return { ...row, ...derived(row) };
}

/**
 * The tables a lead record shows, its own alone (its customer is an id, not nested): its routes keep a read answer
 * until one of them changes.
 */
export const LEAD_TABLES = ['leads'] as const;

/**
 * The record of a row, field by field in one literal: it runs for every record of every list page (copying from a
 * field list cost two to three times as much), and its return type checks each field.
 */
export function toLead(row: LeadTable): Lead {
  return {
    _id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    jobtitle: row.jobtitle,
    industry: row.industry,
    website: row.website,
    request: row.request,
    budget: row.budget,
    country: row.country,
    state: row.state,
    address: row.address,
    source: row.source,
    status: row.status as Lead['status'],
    customerid: row.customerid,
    ...recordBase(row),
  };
}

export async function createLead(
  db: Queryable,
  businessId: string,
  input: LeadCreate,
  origin: SourceOrigin,
): Promise<Lead> {
  const row = leadRow(businessId, input, origin);
  return inTransaction(db, async (trx) => {
    await insertRow(trx, 'leads', row);
    const lead = toLead(row);
    await recordCreated(trx, businessId, 'lead', lead);
    return lead;
  });
}

export async function createLeads(
  db: Queryable,
  businessId: string,
  inputs: LeadCreate[],
  origin: SourceOrigin,
): Promise<void> {
  const at = now();
  await insertRows(
    db,
    'leads',
    inputs.map((i) => leadRow(businessId, i, origin, at)),
  );
}

export async function getLeadRow(db: Queryable, businessId: string, id: string) {
  return getRow<LeadTable>(db, 'leads', businessId, id);
}

export async function getLead(db: Queryable, businessId: string, id: string): Promise<Lead | undefined> {
  const row = await getLeadRow(db, businessId, id);
  return row && toLead(row);
}

export async function listLeads(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof LEAD_FILTERS>,
) {
  const { rows, total, next } = await listPage<LeadTable>(db, 'leads', businessId, {
    ...paging,
    where: filterConditions(LEAD_FILTERS, query),
  });
  return { records: rows.map(toLead), total, next };
}

/** Applies a partial update (a pipeline move is a `status` change); undefined when the lead does not exist. */
export async function updateLead(
  db: Queryable,
  businessId: string,
  id: string,
  patch: LeadUpdate & { customerid?: string },
) {
  const changes: Partial<LeadTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'active') changes.active = value ? 1 : 0;
    else if (key === 'budget') changes.budget = value === null ? null : roundMoney(value as number);
    else (changes as Record<string, unknown>)[key] = value;
  }
  return updateWithEvents(
    db,
    businessId,
    'lead',
    id,
    getLead,
    (trx) => updateRow<LeadTable>(trx, 'leads', businessId, id, changes, derived),
    (before, after) => (after.status === 'converted' && before.status !== 'converted' ? ['lead.converted'] : []),
  );
}
