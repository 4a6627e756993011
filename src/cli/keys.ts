// `mteja keys create|list|revoke`: API credentials of a business; secrets are shown once and never listed.
import { parseArgs } from 'node:util';
import { type Config, serverUrl } from '../config.js';
import { compileSchema } from '../http/validation.js';
import { CredentialCreate } from '../modules/business/business.schema.js';
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
  'usage: mteja keys create --business ID [--name NAME] [--type custom|ecommerce] [--webhook-url URL] [--json] | keys list --business ID [--json] | keys revoke CLIENTID';

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
      json: { type: 'boolean' },
    },
  });
  if (!values.business) throw usage(`--business is required\n${USAGE}`);
  const input: Record<string, unknown> = {
    name: values.name?.trim() || undefined,
    type: values.type,
    webhookurl: values['webhook-url'],
  };
  const problems = checkCredential(input);
  if (problems) throw invalidInput(problems, { webhookurl: 'webhook-url' });
  const unsafe = values['webhook-url'] && (await urlProblem(values['webhook-url'], config.WEBHOOK_ALLOW_PRIVATE));
  if (unsafe) throw invalidInput({ webhookurl: unsafe }, { webhookurl: 'webhook-url' });
  const made = await withDatabase(config, async (db) => {
    if (!(await getBusiness(db, values.business!))) throw new CliError(`No business with id ${values.business}`);
    return createCredential(db, values.business!, input as CredentialCreate);
  });
  if (values.json) {
    printJson({
      credential: { clientid: made.credential.clientid, clientsecret: made.clientsecret, name: made.credential.name },
      ...(made.webhooksecret && { webhooksecret: made.webhooksecret }),
    });
    return;
  }
  process.stdout.write(`Created credential "${made.credential.name}" (${made.credential.type}).\n`);
  printSecret(made.credential.clientid, made.clientsecret, serverUrl(config));
  if (made.webhooksecret)
    process.stdout.write(
      `\nWebhook signing secret for ${values['webhook-url']} (shown once; mteja webhooks list shows the endpoint):\n  ${made.webhooksecret}\n`,
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
      credentials.map((c) => ({ ...c, status: c.revoked ? 'revoked' : 'active' })),
      ['clientid', 'name', 'type', 'secret', 'status', 'webhookurl', 'createdat'],
    );
}

async function revoke(args: string[], config: Config) {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw usage(USAGE);
  const revoked = await withDatabase(config, (db) => revokeCredential(db, positionals[0]));
  if (!revoked) throw new CliError(`No active credential with client id ${positionals[0]}`);
  process.stdout.write(`Revoked ${positionals[0]}; its secret no longer works.\n`);
}
