// `mteja business create|list`: businesses, each made with its first credential.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { BusinessCreate } from '../modules/business/business.schema.js';
import { createBusiness, listBusinesses } from '../modules/business/business.store.js';
import { compileSchema } from '../http/validation.js';
import { withDatabase } from './database.js';
import { invalidInput, printJson, printTable, usage } from './output.js';
import { printSecret } from './secret.js';

const checkBusiness = compileSchema(BusinessCreate);

export async function businessCommand(args: string[], config: Config) {
  const [action, ...rest] = args;
  if (action === 'create') return create(rest, config);
  if (action === 'list') return list(rest, config);
  throw usage('usage: mteja business create --name NAME [--plan PLAN] [--json] | mteja business list [--json]');
}

async function create(args: string[], config: Config) {
  const { values } = parseArgs({ args, strict: true, options: { name: { type: 'string' }, plan: { type: 'string' }, json: { type: 'boolean' } } });
  const input: Record<string, unknown> = { name: values.name?.trim() || undefined, plan: values.plan };
  const problems = checkBusiness(input);
  if (problems) throw invalidInput(problems);
  const made = await withDatabase(config, (db) => createBusiness(db, input as BusinessCreate, { name: 'Default' }));
  if (values.json) {
    printJson({
      business: { _id: made.business._id, name: made.business.name, plan: made.business.plan },
      credential: { clientid: made.credential.clientid, clientsecret: made.clientsecret, name: made.credential.name },
    });
    return;
  }
  process.stdout.write(`Created business "${made.business.name}" (${made.business._id}), plan ${made.business.plan}.\n`);
  printSecret(made.credential.clientid, made.clientsecret);
}

async function list(args: string[], config: Config) {
  const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
  const businesses = await withDatabase(config, (db) => listBusinesses(db));
  if (values.json) printJson(businesses);
  else printTable(businesses.map((b) => ({ ...b })), ['_id', 'name', 'plan', 'createdat']);
}
