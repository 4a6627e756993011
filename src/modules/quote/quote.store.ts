// Quote storage: created with server-computed totals and the next number; read with the customer nested.

import { inTransaction, type Queryable } from '../../db/engine.js';
import { mapUniqueViolation } from '../../db/errors.js';
import { newId, now, toTimestamp } from '../../db/ids.js';
import { getRow, insertRow, listPage, nextNumber, recordBase, updateRow } from '../../db/records.js';
import type { QuoteTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { conflict, invalid } from '../../http/errors.js';
import { type FilterValues, filterConditions, type Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { customerRefs, requireCustomer } from '../customer/customer.store.js';
import { recordCreated, statusChanged, updateWithEvents } from '../event/event.store.js';
import { checkTransition, editsBesidesStatus } from '../transitions.js';
import {
  QUOTE_FILTERS,
  QUOTE_SEARCH_FIELDS,
  QUOTE_TRANSITIONS,
  type Quote,
  type QuoteCreate,
  type QuoteStatus,
  type QuoteUpdate,
} from './quote.schema.js';
import { priceItems } from './quote.service.js';

/** The stored form of priced items: the items as JSON and the four totals. */
function pricedColumns(items: QuoteCreate['items']) {
  const { items: priced, ...totals } = priceItems(items);
  return { items: JSON.stringify(priced), ...totals };
}

const derived = (row: Pick<QuoteTable, (typeof QUOTE_SEARCH_FIELDS)[number]>) => ({
  searchtext: searchText(QUOTE_SEARCH_FIELDS.map((field) => row[field])),
});

function toQuote(row: QuoteTable, customer: Quote['customer']): Quote {
  return {
    _id: row.id,
    quoteno: row.quoteno,
    title: row.title,
    description: row.description,
    customerid: row.customerid,
    customer,
    items: JSON.parse(row.items),
    subtotal: row.subtotal,
    discount: row.discount,
    tax: row.tax,
    total: row.total,
    currency: row.currency,
    issuedate: row.issuedate,
    expirydate: row.expirydate,
    notes: row.notes,
    status: row.status as Quote['status'],
    ...recordBase(row),
  };
}

/**
 * The tables a quote shows: its own and its customer's, which withCustomers nests. Its routes keep a read answer
 * until one of them changes, so the list stands here, beside the code that nests.
 */
export const QUOTE_TABLES = ['quotes', 'customers'] as const;

async function withCustomers(db: Queryable, businessId: string, rows: QuoteTable[]) {
  const refs = await customerRefs(
    db,
    businessId,
    rows.map((r) => r.customerid),
  );
  return rows.map((row) => toQuote(row, (row.customerid && refs.get(row.customerid)) || null));
}

/** Creates a quote: the customer must be this business's, totals come from the items, the number is the next free one. */
export async function createQuote(
  db: Queryable,
  businessId: string,
  input: QuoteCreate,
  origin: SourceOrigin,
  at = now(),
): Promise<Quote> {
  const id = newId();
  return inTransaction(db, async (trx) => {
    await requireCustomer(trx, businessId, input.customerid);
    const quoteno = await nextNumber(trx, 'quotes', 'quoteno', businessId, `QUO-${at.slice(0, 4)}-`);
    const row: QuoteTable = {
      businessid: businessId,
      id,
      quoteno,
      title: input.title,
      description: input.description ?? null,
      customerid: input.customerid ?? null,
      ...pricedColumns(input.items),
      currency: input.currency.toUpperCase(),
      issuedate: toTimestamp(input.issuedate),
      expirydate: toTimestamp(input.expirydate),
      notes: input.notes ?? null,
      status: input.status ?? 'draft',
      active: 1,
      sourceorigin: origin,
      searchtext: derived({ title: input.title, quoteno, description: input.description ?? null }).searchtext,
      createdat: at,
      updatedat: at,
    };
    await mapUniqueViolation(
      () => insertRow(trx, 'quotes', row),
      () => conflict('Quote number already taken; try again'),
    );
    const quote = (await getQuote(trx, businessId, id))!;
    await recordCreated(trx, businessId, 'quote', quote);
    return quote;
  });
}

export async function getQuote(db: Queryable, businessId: string, id: string): Promise<Quote | undefined> {
  const row = await getRow<QuoteTable>(db, 'quotes', businessId, id);
  return row && (await withCustomers(db, businessId, [row]))[0];
}

export async function listQuotes(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof QUOTE_FILTERS>,
) {
  const { rows, total, next } = await listPage<QuoteTable>(db, 'quotes', businessId, {
    ...paging,
    where: filterConditions(QUOTE_FILTERS, query),
  });
  return { records: await withCustomers(db, businessId, rows), total, next };
}

/**
 * The dashboard's edit. Content changes only while the quote is (or becomes) a draft; the status moves along
 * QUOTE_TRANSITIONS; new items are priced again; sending a quote without an issue date dates it today.
 * Undefined when the quote does not exist, else 0 or 1 records modified.
 */
export async function updateQuote(db: Queryable, businessId: string, id: string, patch: QuoteUpdate, at = now()) {
  return updateWithEvents(
    db,
    businessId,
    'quote',
    id,
    getQuote,
    writeQuote(businessId, id, patch, at),
    statusChanged('quote'),
  );
}

/** The quote's own update, on the transaction updateWithEvents opened. */
const writeQuote = (businessId: string, id: string, patch: QuoteUpdate, at: string) => async (trx: Queryable) => {
  {
    const current = await getRow<QuoteTable>(trx, 'quotes', businessId, id);
    if (!current) return undefined;
    const status = (patch.status ?? current.status) as QuoteStatus;
    checkTransition('quote', QUOTE_TRANSITIONS, current.status as QuoteStatus, status);
    const changes: Partial<QuoteTable> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (key === 'items') Object.assign(changes, pricedColumns(patch.items!));
      else if (key === 'currency') changes.currency = String(value).toUpperCase();
      else if (key === 'issuedate' || key === 'expirydate') changes[key] = toTimestamp(value as string | null);
      else (changes as Record<string, unknown>)[key] = value;
    }
    const edited = editsBesidesStatus(current, changes);
    if (edited && status !== 'draft')
      throw invalid('Only a draft quote can be edited', undefined, 'Move the quote back to draft to change it.');
    if (status === 'sent' && current.status !== 'sent' && current.issuedate === null && changes.issuedate == null)
      changes.issuedate = at;
    if (changes.customerid !== undefined && changes.customerid !== current.customerid)
      await requireCustomer(trx, businessId, changes.customerid);
    return updateRow<QuoteTable>(trx, 'quotes', businessId, id, changes, derived);
  }
};
