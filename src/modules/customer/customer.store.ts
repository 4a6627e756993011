// Customer storage: every query takes the business id first; a duplicate email becomes the contract's 409.

import { inTransaction, type Queryable } from '../../db/engine.js';
import { mapUniqueViolation } from '../../db/errors.js';
import { newId, now } from '../../db/ids.js';
import { getRow, insertRow, insertRows, listPage, loadRefs, recordBase, updateRow } from '../../db/records.js';
import type { CustomerTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { conflict, invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { type FilterValues, filterConditions, type Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { recordCreated, updateWithEvents } from '../event/event.store.js';
import {
  CUSTOMER_FILTERS,
  CUSTOMER_SEARCH_FIELDS,
  type Customer,
  type CustomerCreate,
  type CustomerUpdate,
} from './customer.schema.js';

const duplicateEmail = () => conflict('Customer with this email already exists');

function derived(row: Pick<CustomerTable, (typeof CUSTOMER_SEARCH_FIELDS)[number]>) {
  return {
    emailkey: row.email.toLowerCase(),
    searchtext: searchText(CUSTOMER_SEARCH_FIELDS.map((field) => row[field])),
  };
}

/** The row for a new customer: defaults applied, currency upper-cased, search text computed. */
export function customerRow(
  businessId: string,
  input: CustomerCreate,
  origin: SourceOrigin,
  at = now(),
): CustomerTable {
  const row = {
    businessid: businessId,
    id: newId(),
    name: input.name,
    email: input.email,
    phone: input.phone,
    country: input.country,
    currency: input.currency.toUpperCase(),
    company: input.company ?? null,
    address: input.address ?? null,
    city: input.city ?? null,
    state: input.state ?? null,
    website: input.website ?? null,
    type: input.type ?? 'individual',
    active: 1,
    sourceorigin: origin,
    createdat: at,
    updatedat: at,
  };
  return { ...row, ...derived(row) };
}

/** The tables a customer record shows, its own alone: its routes keep a read answer until one of them changes. */
export const CUSTOMER_TABLES = ['customers'] as const;

/**
 * The record of a row, field by field in one literal: it runs for every record of every list page (copying from a
 * field list cost two to three times as much), and its return type checks each field.
 */
export function toCustomer(row: CustomerTable): Customer {
  return {
    _id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    country: row.country,
    currency: row.currency,
    company: row.company,
    address: row.address,
    city: row.city,
    state: row.state,
    website: row.website,
    type: row.type as Customer['type'],
    ...recordBase(row),
  };
}

export async function createCustomer(
  db: Queryable,
  businessId: string,
  input: CustomerCreate,
  origin: SourceOrigin,
): Promise<Customer> {
  const row = customerRow(businessId, input, origin);
  return inTransaction(db, async (trx) => {
    await mapUniqueViolation(() => insertRow(trx, 'customers', row), duplicateEmail);
    const customer = toCustomer(row);
    await recordCreated(trx, businessId, 'customer', customer);
    return customer;
  });
}

/** Bulk insert for seeding and imports, in one transaction; returns the new customers. */
export async function createCustomers(
  db: Queryable,
  businessId: string,
  inputs: CustomerCreate[],
  origin: SourceOrigin,
): Promise<Customer[]> {
  const at = now();
  const rows = inputs.map((i) => customerRow(businessId, i, origin, at));
  await mapUniqueViolation(() => insertRows(db, 'customers', rows), duplicateEmail);
  return rows.map(toCustomer);
}

export async function getCustomer(db: Queryable, businessId: string, id: string): Promise<Customer | undefined> {
  const row = await getRow<CustomerTable>(db, 'customers', businessId, id);
  return row && toCustomer(row);
}

export async function listCustomers(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof CUSTOMER_FILTERS>,
) {
  const { rows, total, next } = await listPage<CustomerTable>(db, 'customers', businessId, {
    ...paging,
    where: filterConditions(CUSTOMER_FILTERS, query),
  });
  return { records: rows.map(toCustomer), total, next };
}

/** Applies a partial update; undefined when the customer does not exist, else 0 or 1 records modified. */
export async function updateCustomer(db: Queryable, businessId: string, id: string, patch: CustomerUpdate) {
  const changes: Partial<CustomerTable> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'active') changes.active = value ? 1 : 0;
    else if (key === 'currency') changes.currency = String(value).toUpperCase();
    else (changes as Record<string, unknown>)[key] = value;
  }
  return updateWithEvents(db, businessId, 'customer', id, getCustomer, (trx) =>
    mapUniqueViolation(
      () => updateRow<CustomerTable>(trx, 'customers', businessId, id, changes, derived),
      duplicateEmail,
    ),
  );
}

/** Nested `customer` objects for records that point at customers, fetched in one query. */
export function customerRefs(db: Queryable, businessId: string, ids: Iterable<string | null>) {
  return loadRefs(db, 'customers', businessId, ids, ['name', 'email']);
}

/** Checks that a record may point at this customer: 400 naming the field when it is not in the business. */
export async function requireCustomer(db: Queryable, businessId: string, id: string | null | undefined): Promise<void> {
  if (id == null) return;
  const found = await db
    .selectFrom('customers')
    .select('id')
    .where('businessid', '=', businessId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw invalid(SUBMISSION_PROBLEMS, { customerid: 'Customer not found' });
}
