// Quote storage: created with server-computed totals and the next number; read with the customer nested.
import { equals, getRow, inTransaction, listPage, nextNumber, recordBase, type Queryable } from '../../db/records.js';
import { mapUniqueViolation } from '../../db/errors.js';
import { newId, now, toTimestamp } from '../../db/ids.js';
import type { QuoteTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { conflict } from '../../http/errors.js';
import type { Paging } from '../../http/list-query.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { customerRefs, requireCustomer } from '../customer/customer.store.js';
import type { Quote, QuoteCreate } from './quote.schema.js';
import { priceItems } from './quote.service.js';


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

async function withCustomers(db: Queryable, businessId: string, rows: QuoteTable[]) {
  const refs = await customerRefs(db, businessId, rows.map((r) => r.customerid));
  return rows.map((row) => toQuote(row, (row.customerid && refs.get(row.customerid)) || null));
}

/** Creates a quote: the customer must be this business's, totals come from the items, the number is the next free one. */
export async function createQuote(db: Queryable, businessId: string, input: QuoteCreate, origin: SourceOrigin, at = now()): Promise<Quote> {
  const priced = priceItems(input.items);
  const id = newId();
  await inTransaction(db, async (trx) => {
    await requireCustomer(trx, businessId, input.customerid);
    const quoteno = await nextNumber(trx, 'quotes', 'quoteno', businessId, `QUO-${at.slice(0, 4)}-`);
    const row: QuoteTable = {
      businessid: businessId,
      id,
      quoteno,
      title: input.title,
      description: input.description ?? null,
      customerid: input.customerid ?? null,
      items: JSON.stringify(priced.items),
      subtotal: priced.subtotal,
      discount: priced.discount,
      tax: priced.tax,
      total: priced.total,
      currency: input.currency.toUpperCase(),
      issuedate: toTimestamp(input.issuedate),
      expirydate: toTimestamp(input.expirydate),
      notes: input.notes ?? null,
      status: input.status ?? 'draft',
      active: 1,
      sourceorigin: origin,
      searchtext: searchText([input.title, quoteno, input.description]),
      createdat: at,
      updatedat: at,
    };
    await mapUniqueViolation(() => trx.insertInto('quotes').values(row).execute(), () => conflict('Quote number already taken; try again'));
  });
  return (await getQuote(db, businessId, id))!;
}

export async function getQuote(db: Queryable, businessId: string, id: string): Promise<Quote | undefined> {
  const row = await getRow<QuoteTable>(db, 'quotes', businessId, id);
  return row && (await withCustomers(db, businessId, [row]))[0];
}

export async function listQuotes(db: Queryable, businessId: string, paging: Paging, filters: { status?: string; customerid?: string }) {
  const { rows, total } = await listPage<QuoteTable>(db, 'quotes', businessId, { ...paging, where: equals(filters) });
  return { records: await withCustomers(db, businessId, rows), total };
}
