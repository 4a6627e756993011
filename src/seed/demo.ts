// The demo business: made on first start when the database has no business, so a new user has data to call.
import type { Kysely } from 'kysely';
import { generatePassword } from '../dashboard/passwords.js';
import { createUser } from '../dashboard/users.store.js';
import type { Database } from '../db/schema.js';
import type { Plan } from '../modules/business/business.schema.js';
import { createBusiness } from '../modules/business/business.store.js';
import { LEAD_STATUSES } from '../modules/lead/lead.schema.js';
import { convertLead } from '../modules/lead/lead.service.js';
import { createLead } from '../modules/lead/lead.store.js';
import { FakeData } from './fake.js';
import { seedBusiness } from './seed.js';

/** The demo business's dashboard user; the password is generated at creation and printed once, with the secret. */
export const DEMO_EMAIL = 'demo@example.com';

/** Creates "Demo Business" with a realistic sample of every resource; returns it with its one-time client secret and dashboard password. */
export async function createDemoBusiness(db: Kysely<Database>, plan: Plan) {
  const made = await createBusiness(db, { name: 'Demo Business', plan }, { name: 'Demo key', type: 'custom' });
  const businessId = made.business._id;
  const fake = FakeData.seeded(2024, 'demo');
  await seedBusiness(
    db,
    businessId,
    { customers: 40, contacts: 25, quotes: 12, contracts: 8, appointments: 4, bookings: 30 },
    { fake },
  );
  // Leads in every pipeline status; the converted ones through the real conversion, so each has its customer.
  const open = LEAD_STATUSES.filter((s) => s !== 'converted');
  const leads = [];
  for (let i = 0; i < 24; i++) leads.push(await createLead(db, businessId, fake.lead(open[i % open.length]), 'api'));
  for (const lead of leads.filter((l) => l.status === 'qualified').slice(0, 4)) {
    await convertLead(db, businessId, lead._id, { currency: 'KES', country: lead.country ?? 'Kenya' }, 'dashboard');
  }
  const password = generatePassword();
  const user = await createUser(db, businessId, { email: DEMO_EMAIL, name: 'Demo Staff', password });
  return { ...made, user: { email: user.email, password } };
}
