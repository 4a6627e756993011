// `mteja business create|list`: businesses, each made with its first credential.
import { parseArgs } from 'node:util';
import { type Config, serverUrl } from '../config.js';
import { AppError } from '../http/errors.js';
import { compileSchema } from '../http/validation.js';
import { BusinessCreate, BusinessUpdate } from '../modules/business/business.schema.js';
import { createBusiness, getBusiness, listBusinesses, updateBusiness } from '../modules/business/business.store.js';
import { withDatabase } from './database.js';
import { CliError, invalidInput, printJson, printTable, usage } from './output.js';
import { printSecret } from './secret.js';

const checkBusiness = compileSchema(BusinessCreate);
const checkUpdate = compileSchema(BusinessUpdate);
const USAGE = [
  'usage: mteja business create --name NAME [--plan PLAN] [--json]',
  '       mteja business list [--json]',
  '       mteja business update ID [--name NAME] [--plan PLAN] [--limits SECOND/MINUTE/DAY] [--slug SLUG] [--json]',
].join('\n');

export async function businessCommand(args: string[], config: Config) {
  const [action, ...rest] = args;
  if (action === 'create') return create(rest, config);
  if (action === 'list') return list(rest, config);
  if (action === 'update') return update(rest, config);
  throw usage(USAGE);
}

async function update(args: string[], config: Config) {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      plan: { type: 'string' },
      limits: { type: 'string' },
      slug: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw usage(USAGE);
  const input: Record<string, unknown> = {
    name: values.name?.trim() || undefined,
    plan: values.plan,
    limits: values.limits,
    slug: values.slug?.trim(),
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  const problems = checkUpdate(input);
  if (problems) throw invalidInput(problems);
  const business = await withDatabase(config, async (db) => {
    const current = await getBusiness(db, positionals[0]);
    if (!current) throw new CliError(`No business with id ${positionals[0]}`);
    if (input.limits && (input.plan ?? current.plan) !== 'enterprise')
      throw usage('--limits applies to the enterprise plan only (add --plan enterprise)');
    try {
      return await updateBusiness(db, positionals[0], input as BusinessUpdate);
    } catch (error) {
      if (error instanceof AppError) throw new CliError(error.message);
      throw error;
    }
  });
  if (values.json) printJson(business);
  else
    process.stdout.write(
      `Updated "${business!.name}": plan ${business!.plan}${business!.limits ? `, limits ${business!.limits} per second/minute/day` : ''}, booking pages at /book/${business!.slug}/.\n`,
    );
}

async function create(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { name: { type: 'string' }, plan: { type: 'string' }, json: { type: 'boolean' } },
  });
  const input: Record<string, unknown> = {
    name: values.name?.trim() || undefined,
    plan: values.plan ?? config.DEFAULT_PLAN,
  };
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
  process.stdout.write(
    `Created business "${made.business.name}" (${made.business._id}), plan ${made.business.plan}.\n`,
  );
  printSecret(made.credential.clientid, made.clientsecret, serverUrl(config));
}

async function list(args: string[], config: Config) {
  const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
  const businesses = await withDatabase(config, (db) => listBusinesses(db));
  if (values.json) printJson(businesses);
  else
    printTable(
      businesses.map((b) => ({ ...b })),
      ['_id', 'name', 'slug', 'plan', 'limits', 'createdat'],
    );
}
