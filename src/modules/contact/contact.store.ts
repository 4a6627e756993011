// Contact storage: rows, records, list and change-aware update, business first.

import { inTransaction, type Queryable } from '../../db/engine.js';
import { newId, now } from '../../db/ids.js';
import { getRow, insertRow, insertRows, listPage, recordBase, updateRow } from '../../db/records.js';
import type { ContactTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import type { Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { recordCreated, updateWithEvents } from '../event/event.store.js';
import { CONTACT_SEARCH_FIELDS, type Contact, type ContactCreate, type ContactUpdate } from './contact.schema.js';

const derived = (row: Pick<ContactTable, (typeof CONTACT_SEARCH_FIELDS)[number]>) => ({
  searchtext: searchText(CONTACT_SEARCH_FIELDS.map((field) => row[field])),
});

/** The row for a new contact, defaults applied and search text computed: one shape for single and bulk inserts. */
export function contactRow(businessId: string, input: ContactCreate, origin: SourceOrigin, at = now()): ContactTable {
  const row = {
    businessid: businessId,
    id: newId(),
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    position: input.position ?? null,
    companyname: input.companyname ?? null,
    active: 1,
    sourceorigin: origin,
    createdat: at,
    updatedat: at,
  };
  return { ...row, ...derived(row) };
}

/** The tables a contact record shows, its own alone: its routes keep a read answer until one of them changes. */
export const CONTACT_TABLES = ['contacts'] as const;

/**
 * The record of a row, field by field in one literal: it runs for every record of every list page (copying from a
 * field list cost two to three times as much), and its return type checks each field.
 */
export function toContact(row: ContactTable): Contact {
  return {
    _id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    position: row.position,
    companyname: row.companyname,
    ...recordBase(row),
  };
}

export async function createContact(
  db: Queryable,
  businessId: string,
  input: ContactCreate,
  origin: SourceOrigin,
): Promise<Contact> {
  const row = contactRow(businessId, input, origin);
  return inTransaction(db, async (trx) => {
    await insertRow(trx, 'contacts', row);
    const contact = toContact(row);
    await recordCreated(trx, businessId, 'contact', contact);
    return contact;
  });
}

export async function createContacts(
  db: Queryable,
  businessId: string,
  inputs: ContactCreate[],
  origin: SourceOrigin,
): Promise<void> {
  const at = now();
  await insertRows(
    db,
    'contacts',
    inputs.map((i) => contactRow(businessId, i, origin, at)),
  );
}

export async function getContact(db: Queryable, businessId: string, id: string): Promise<Contact | undefined> {
  const row = await getRow<ContactTable>(db, 'contacts', businessId, id);
  return row && toContact(row);
}

export async function listContacts(db: Queryable, businessId: string, paging: Paging) {
  const { rows, total, next } = await listPage<ContactTable>(db, 'contacts', businessId, { ...paging, where: [] });
  return { records: rows.map(toContact), total, next };
}

export async function updateContact(db: Queryable, businessId: string, id: string, patch: ContactUpdate) {
  const changes: Partial<ContactTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    (changes as Record<string, unknown>)[key] = key === 'active' ? (value ? 1 : 0) : value;
  }
  return updateWithEvents(db, businessId, 'contact', id, getContact, (trx) =>
    updateRow<ContactTable>(trx, 'contacts', businessId, id, changes, derived),
  );
}
