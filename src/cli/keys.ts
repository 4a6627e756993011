// `mteja keys create|list|revoke`: API credentials of a business (full, scoped or publishable); secrets are shown once.
import { parseArgs } from 'node:util';
import { type Config, serverUrl } from '../config.js';
import { compileSchema } from '../http/validation.js';
import { CredentialCreate, credentialRules } from '../modules/business/business.schema.js';
import {
  createCredential,
  getBusiness,
  listCredentials,
  revokeCredential,
} from '../modules/business/business.store.js';
import { urlProblem } from '../modules/webhook/ssrf.js';
import { withDatabase } from './database.js';
import { CliError, invalidInput, printJson, printTable, usage } from './output.js';
import { printSecret } from './secret.js';

const checkCredential = compileSchema(CredentialCreate);
const USAGE =
  'usage: mteja keys create --business ID [--name NAME] [--type custom|ecommerce] [--scopes customers:read,leads:write|*] [--webhook-url URL] [--json]\n' +
  '       mteja keys create --business ID --type publishable --origins https://shop.example.com[,...] [--name NAME] [--json]\n' +
  '       mteja keys list --business ID [--json] | keys revoke CLIENTID';

/** A comma-separated option as a list, blanks dropped; undefined when not given. */
const listOption = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

export async function keysCommand(args: string[], config: Config) {
  const [action, ...rest] = args;
  if (action === 'create') return create(rest, config);
  if (action === 'list') return list(rest, config);
  if (action === 'revoke') return revoke(rest, config);
  throw usage(USAGE);
}

async function create(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      business: { type: 'string' },
      name: { type: 'string' },
      type: { type: 'string' },
      'webhook-url': { type: 'string' },
      scopes: { type: 'string' },
      origins: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.business) throw usage(`--business is required\n${USAGE}`);
  const input: Record<string, unknown> = {
    name: values.name?.trim() || undefined,
    type: values.type,
    webhookurl: values['webhook-url'],
    scopes: listOption(values.scopes),
    origins: listOption(values.origins),
  };
  const problems = checkCredential(input) ?? credentialRules(input as CredentialCreate);
  if (problems) throw invalidInput(problems, { webhookurl: 'webhook-url' });
  const unsafe = values['webhook-url'] && (await urlProblem(values['webhook-url'], config.WEBHOOK_ALLOW_PRIVATE));
  if (unsafe) throw invalidInput({ webhookurl: unsafe }, { webhookurl: 'webhook-url' });
  const made = await withDatabase(config, async (db) => {
    if (!(await getBusiness(db, values.business!))) throw new CliError(`No business with id ${values.business}`);
    return createCredential(db, values.business!, input as CredentialCreate);
  });
  if (values.json) {
    const { clientid, name, type, scopes, origins } = made.credential;
    printJson({
      credential: { clientid, clientsecret: made.clientsecret, name, type, scopes, origins },
      ...(made.webhooksecret && { webhooksecret: made.webhooksecret }),
    });
    return;
  }
  const { name, type, scopes, origins } = made.credential;
  const reach = origins ? `may create leads from ${origins.join(', ')}` : `scopes ${scopes.join(', ')}`;
  process.stdout.write(`Created credential "${name}" (${type}; ${reach}).
`);
  printSecret(made.credential.clientid, made.clientsecret, serverUrl(config), origins?.[0]);
  if (made.webhooksecret)
    process.stdout.write(
      `
Webhook signing secret for ${values['webhook-url']} (shown once; mteja webhooks list shows the endpoint):
  ${made.webhooksecret}
`,
    );
}

async function list(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { business: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.business) throw usage(`--business is required\n${USAGE}`);
  const credentials = await withDatabase(config, async (db) => {
    if (!(await getBusiness(db, values.business!))) throw new CliError(`No business with id ${values.business}`);
    return listCredentials(db, values.business!);
  });
  if (values.json) printJson(credentials);
  else
    printTable(
      credentials.map((c) => ({
        ...c,
        status: c.revoked ? 'revoked' : 'active',
        scopes: c.scopes.join(','),
        origins: c.origins?.join(',') ?? '',
        lastused: c.lastusedat ?? 'never',
      })),
      ['clientid', 'name', 'type', 'secret', 'status', 'scopes', 'origins', 'lastused', 'webhookurl', 'createdat'],
    );
}

async function revoke(args: string[], config: Config) {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw usage(USAGE);
  const revoked = await withDatabase(config, (db) => revokeCredential(db, positionals[0]));
  if (!revoked) throw new CliError(`No active credential with client id ${positionals[0]}`);
  process.stdout.write(`Revoked ${positionals[0]}; its secret no longer works.\n`);
}
