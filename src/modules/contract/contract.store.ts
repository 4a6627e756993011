// Contract storage: numbered CON-<year>-<seq>, end after start, read with the customer nested.
import { equals, getRow, inTransaction, listPage, nextNumber, recordBase, type Queryable } from '../../db/records.js';
import { mapUniqueViolation } from '../../db/errors.js';
import { newId, now, toTimestamp } from '../../db/ids.js';
import type { ContractTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { conflict, invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import type { Paging } from '../../http/list-query.js';
import { roundMoney, type SourceOrigin } from '../../http/schemas.js';
import { customerRefs, requireCustomer } from '../customer/customer.store.js';
import type { Contract, ContractCreate } from './contract.schema.js';


function toContract(row: ContractTable, customer: Contract['customer']): Contract {
  return {
    _id: row.id,
    contractno: row.contractno,
    title: row.title,
    type: row.type,
    description: row.description,
    customerid: row.customerid,
    customer,
    value: row.value,
    currency: row.currency,
    startdate: row.startdate,
    enddate: row.enddate,
    signeddate: row.signeddate,
    autorenew: row.autorenew === 1,
    status: row.status as Contract['status'],
    ...recordBase(row),
  };
}

async function withCustomers(db: Queryable, businessId: string, rows: ContractTable[]) {
  const refs = await customerRefs(db, businessId, rows.map((r) => r.customerid));
  return rows.map((row) => toContract(row, (row.customerid && refs.get(row.customerid)) || null));
}

export async function createContract(db: Queryable, businessId: string, input: ContractCreate, origin: SourceOrigin, at = now()): Promise<Contract> {
  const startdate = toTimestamp(input.startdate);
  const enddate = toTimestamp(input.enddate);
  if (startdate && enddate && enddate <= startdate) throw invalid(SUBMISSION_PROBLEMS, { enddate: 'End date must be after the start date' });
  const id = newId();
  await inTransaction(db, async (trx) => {
    await requireCustomer(trx, businessId, input.customerid);
    const contractno = await nextNumber(trx, 'contracts', 'contractno', businessId, `CON-${at.slice(0, 4)}-`);
    const row: ContractTable = {
      businessid: businessId,
      id,
      contractno,
      title: input.title,
      type: input.type ?? null,
      description: input.description ?? null,
      customerid: input.customerid ?? null,
      value: roundMoney(input.value),
      currency: input.currency.toUpperCase(),
      startdate,
      enddate,
      signeddate: toTimestamp(input.signeddate),
      autorenew: input.autorenew ? 1 : 0,
      status: input.status ?? 'draft',
      active: 1,
      sourceorigin: origin,
      searchtext: searchText([input.title, contractno, input.description]),
      createdat: at,
      updatedat: at,
    };
    await mapUniqueViolation(() => trx.insertInto('contracts').values(row).execute(), () => conflict('Contract number already taken; try again'));
  });
  return (await getContract(db, businessId, id))!;
}

export async function getContract(db: Queryable, businessId: string, id: string): Promise<Contract | undefined> {
  const row = await getRow<ContractTable>(db, 'contracts', businessId, id);
  return row && (await withCustomers(db, businessId, [row]))[0];
}

export async function listContracts(db: Queryable, businessId: string, paging: Paging, filters: { status?: string; type?: string; customerid?: string }) {
  const { rows, total } = await listPage<ContractTable>(db, 'contracts', businessId, { ...paging, where: equals(filters) });
  return { records: await withCustomers(db, businessId, rows), total };
}
