// Lead conversion: a customer made from the lead (and the body's additions), the lead marked converted, in one transaction.
import type { Kysely } from 'kysely';
import { inTransaction } from '../../db/engine.js';
import type { Database, LeadTable } from '../../db/schema.js';
import { conflict, invalid, notFound, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { compileSchema } from '../../http/validation.js';
import { CustomerCreate } from '../customer/customer.schema.js';
import { createCustomer } from '../customer/customer.store.js';
import { type LeadConvert, LeadCreate } from './lead.schema.js';
import { getLeadRow, updateLead } from './lead.store.js';

const checkCustomer = compileSchema(CustomerCreate);

/** The fields a customer has that a lead has too (name, email, phone, country, ...): a conversion starts from them. */
const SHARED_FIELDS = Object.keys(CustomerCreate.properties).filter(
  (field) => field in LeadCreate.properties,
) as Extract<keyof CustomerCreate, keyof LeadTable>[];

/** Converts a lead to a customer and returns the customer. The body's fields win over the lead's. */
export async function convertLead(
  db: Kysely<Database>,
  businessId: string,
  leadId: string,
  extra: LeadConvert,
  origin: SourceOrigin,
) {
  return inTransaction(db, async (trx) => {
    const lead = await getLeadRow(trx, businessId, leadId);
    if (!lead) throw notFound('Lead');
    if (lead.status === 'converted' && lead.customerid)
      throw conflict('Lead is already converted', `Customer ${lead.customerid}`);
    const input: Record<string, unknown> = {};
    for (const field of SHARED_FIELDS) if (lead[field] != null) input[field] = lead[field];
    input.type = lead.company ? 'business' : 'individual';
    for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== null) input[key] = value;
    const problems = checkCustomer(input);
    if (problems) throw invalid(SUBMISSION_PROBLEMS, problems);
    const customer = await createCustomer(trx, businessId, input as CustomerCreate, origin);
    await updateLead(trx, businessId, leadId, { status: 'converted', customerid: customer._id });
    return customer;
  });
}
