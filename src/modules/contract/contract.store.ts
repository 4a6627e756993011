// Contract storage: numbered CON-<year>-<seq>, end after start, read with the customer nested.

import { inTransaction, type Queryable } from '../../db/engine.js';
import { mapUniqueViolation } from '../../db/errors.js';
import { newId, now, toTimestamp } from '../../db/ids.js';
import { getRow, insertRow, listPage, nextNumber, recordBase, updateRow } from '../../db/records.js';
import type { ContractTable } from '../../db/schema.js';
import { searchText } from '../../db/search.js';
import { conflict, invalid, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { type FilterValues, filterConditions, type Paging } from '../../http/list-query.js';
import { roundMoney, type SourceOrigin } from '../../http/schemas.js';
import { customerRefs, requireCustomer } from '../customer/customer.store.js';
import { recordCreated, statusChanged, updateWithEvents } from '../event/event.store.js';
import { aStatus, checkTransition, editsBesidesStatus } from '../transitions.js';
import {
  CONTRACT_EDITABLE,
  CONTRACT_FILTERS,
  CONTRACT_SEARCH_FIELDS,
  CONTRACT_TRANSITIONS,
  type Contract,
  type ContractCreate,
  type ContractUpdate,
} from './contract.schema.js';

const derived = (row: Pick<ContractTable, (typeof CONTRACT_SEARCH_FIELDS)[number]>) => ({
  searchtext: searchText(CONTRACT_SEARCH_FIELDS.map((field) => row[field])),
});

function checkDates(startdate: string | null, enddate: string | null) {
  if (startdate && enddate && enddate <= startdate)
    throw invalid(SUBMISSION_PROBLEMS, { enddate: 'End date must be after the start date' });
}

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

/**
 * The tables a contract shows: its own and its customer's, which withCustomers nests. Its routes keep a read answer
 * until one of them changes, so the list stands here, beside the code that nests.
 */
export const CONTRACT_TABLES = ['contracts', 'customers'] as const;

async function withCustomers(db: Queryable, businessId: string, rows: ContractTable[]) {
  const refs = await customerRefs(
    db,
    businessId,
    rows.map((r) => r.customerid),
  );
  return rows.map((row) => toContract(row, (row.customerid && refs.get(row.customerid)) || null));
}

export async function createContract(
  db: Queryable,
  businessId: string,
  input: ContractCreate,
  origin: SourceOrigin,
  at = now(),
): Promise<Contract> {
  const startdate = toTimestamp(input.startdate);
  const enddate = toTimestamp(input.enddate);
  checkDates(startdate, enddate);
  const id = newId();
  return inTransaction(db, async (trx) => {
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
      searchtext: derived({ title: input.title, contractno, description: input.description ?? null }).searchtext,
      createdat: at,
      updatedat: at,
    };
    await mapUniqueViolation(
      () => insertRow(trx, 'contracts', row),
      () => conflict('Contract number already taken; try again'),
    );
    const contract = (await getContract(trx, businessId, id))!;
    await recordCreated(trx, businessId, 'contract', contract);
    return contract;
  });
}

export async function getContract(db: Queryable, businessId: string, id: string): Promise<Contract | undefined> {
  const row = await getRow<ContractTable>(db, 'contracts', businessId, id);
  return row && (await withCustomers(db, businessId, [row]))[0];
}

export async function listContracts(
  db: Queryable,
  businessId: string,
  paging: Paging,
  query: FilterValues<typeof CONTRACT_FILTERS>,
) {
  const { rows, total, next } = await listPage<ContractTable>(db, 'contracts', businessId, {
    ...paging,
    where: filterConditions(CONTRACT_FILTERS, query),
  });
  return { records: await withCustomers(db, businessId, rows), total, next };
}

/**
 * The dashboard's edit: terms change until the contract has expired or been terminated; the status moves along
 * CONTRACT_TRANSITIONS; the end stays after the start; signing without a signed date dates it today.
 */
export async function updateContract(db: Queryable, businessId: string, id: string, patch: ContractUpdate, at = now()) {
  return updateWithEvents(
    db,
    businessId,
    'contract',
    id,
    getContract,
    writeContract(businessId, id, patch, at),
    statusChanged('contract'),
  );
}

/** The contract's own update, on the transaction updateWithEvents opened. */
const writeContract = (businessId: string, id: string, patch: ContractUpdate, at: string) => async (trx: Queryable) => {
  {
    const current = await getRow<ContractTable>(trx, 'contracts', businessId, id);
    if (!current) return undefined;
    const status = (patch.status ?? current.status) as Contract['status'];
    checkTransition('contract', CONTRACT_TRANSITIONS, current.status as Contract['status'], status);
    const changes: Partial<ContractTable> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (key === 'autorenew') changes.autorenew = value ? 1 : 0;
      else if (key === 'value') changes.value = roundMoney(value as number);
      else if (key === 'currency') changes.currency = String(value).toUpperCase();
      else if (key === 'startdate' || key === 'enddate' || key === 'signeddate')
        changes[key] = toTimestamp(value as string | null);
      else (changes as Record<string, unknown>)[key] = value;
    }
    const edited = editsBesidesStatus(current, changes);
    if (edited && !CONTRACT_EDITABLE.includes(current.status)) {
      throw invalid(`${aStatus(current.status)} contract cannot be edited`, undefined, 'Make a new contract instead.');
    }
    checkDates(
      changes.startdate !== undefined ? changes.startdate : current.startdate,
      changes.enddate !== undefined ? changes.enddate : current.enddate,
    );
    if (status === 'signed' && current.status !== 'signed' && current.signeddate === null && changes.signeddate == null)
      changes.signeddate = at;
    if (changes.customerid !== undefined && changes.customerid !== current.customerid)
      await requireCustomer(trx, businessId, changes.customerid);
    return updateRow<ContractTable>(trx, 'contracts', businessId, id, changes, derived);
  }
};
