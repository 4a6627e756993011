// `mteja webhooks …`: a business's webhook endpoints (secrets printed when made or rotated), test pings, the delivery
// log and redelivery. The running server sends what these queue within a second.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { paging } from '../http/list-query.js';
import { compileSchema } from '../http/validation.js';
import { getBusiness } from '../modules/business/business.store.js';
import { findDelivery, listDeliveries, redeliver } from '../modules/webhook/delivery.store.js';
import { type Delivery, EndpointCreate } from '../modules/webhook/webhook.schema.js';
import { endpointProblems, pingEndpoint } from '../modules/webhook/webhook.service.js';
import {
  createEndpoint,
  deleteEndpoint,
  findEndpointRow,
  listEndpoints,
  rotateSecret,
  setEndpointStatus,
} from '../modules/webhook/webhook.store.js';
import { withDatabase } from './database.js';
import { CliError, invalidInput, printJson, printTable, usage } from './output.js';

const checkEndpoint = compileSchema(EndpointCreate);
const USAGE = `usage: mteja webhooks create --business ID --url URL [--events customer.created,lead.*] [--description TEXT] [--json]
       mteja webhooks list --business ID [--json]
       mteja webhooks disable|enable|delete|rotate|test ENDPOINT_ID
       mteja webhooks deliveries ENDPOINT_ID [--json]
       mteja webhooks redeliver DELIVERY_ID`;

export async function webhooksCommand(args: string[], config: Config) {
  const [action, ...rest] = args;
  if (action === 'create') return create(rest, config);
  if (action === 'list') return list(rest, config);
  if (action === 'deliveries') return deliveries(rest, config);
  if (action === 'redeliver') return redeliverOne(rest, config);
  if (action && ['disable', 'enable', 'delete', 'rotate', 'test'].includes(action))
    return onEndpoint(action, rest, config);
  throw usage(USAGE);
}

const needBusiness = async (db: Parameters<typeof getBusiness>[0], id: string | undefined) => {
  if (!id) throw usage(`--business is required\n${USAGE}`);
  if (!(await getBusiness(db, id))) throw new CliError(`No business with id ${id}`);
  return id;
};

async function create(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      business: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      description: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const input: Record<string, unknown> = {
    url: values.url,
    events: values.events
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean),
    description: values.description?.trim() || undefined,
  };
  const problems = checkEndpoint(input) ?? (await endpointProblems(input, config.WEBHOOK_ALLOW_PRIVATE));
  if (Object.keys(problems).length > 0) throw invalidInput(problems);
  const made = await withDatabase(config, async (db) =>
    createEndpoint(db, await needBusiness(db, values.business), input as EndpointCreate),
  );
  const { _id, url, events, status } = made.endpoint;
  if (values.json) return printJson({ endpoint: { _id, url, events, status }, secret: made.secret });
  process.stdout.write(
    `Created webhook endpoint ${_id} for ${events.join(', ')} at ${url}.\nSigning secret (shown once; 'mteja webhooks rotate ${_id}' makes a new one):\n  ${made.secret}\n`,
  );
}

async function list(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { business: { type: 'string' }, json: { type: 'boolean' } },
  });
  const endpoints = await withDatabase(config, async (db) =>
    listEndpoints(db, await needBusiness(db, values.business)),
  );
  if (values.json) return printJson(endpoints);
  printTable(
    endpoints.map((e) => ({
      ...e,
      events: e.events.join(','),
      status: e.disabledreason ? `${e.status}: ${e.disabledreason}` : e.status,
    })),
    ['_id', 'url', 'events', 'status', 'description'],
  );
}

async function onEndpoint(action: string, args: string[], config: Config) {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw usage(USAGE);
  const id = positionals[0].toLowerCase();
  const said = await withDatabase(config, async (db) => {
    const row = await findEndpointRow(db, id);
    if (!row) throw new CliError(`No webhook endpoint with id ${id}`);
    const business = row.businessid;
    if (action === 'disable') {
      await setEndpointStatus(db, business, id, 'disabled', 'Disabled from the command line');
      return `Disabled ${id}; nothing is sent to it until it is enabled.`;
    }
    if (action === 'enable') {
      await setEndpointStatus(db, business, id, 'enabled');
      return `Enabled ${id}.`;
    }
    if (action === 'delete') {
      await deleteEndpoint(db, business, id);
      return `Deleted ${id} and its delivery log.`;
    }
    if (action === 'rotate') {
      const secret = await rotateSecret(db, business, id);
      return `New signing secret for ${id} (the old one keeps signing beside it for 24 hours):\n  ${secret}`;
    }
    const event = await pingEndpoint(db, row);
    return `Queued ping event ${event} for ${row.url}; a running server sends it within a second ('mteja webhooks deliveries ${id}').`;
  });
  process.stdout.write(`${said}\n`);
}

async function deliveries(args: string[], config: Config) {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw usage(USAGE);
  const id = positionals[0].toLowerCase();
  const page = await withDatabase(config, async (db) => {
    const row = await findEndpointRow(db, id);
    if (!row) throw new CliError(`No webhook endpoint with id ${id}`);
    return listDeliveries(db, row.businessid, id, paging({ page: 1, limit: 100 }));
  });
  if (values.json) return printJson(page.records);
  printTable(
    page.records.map((d) => ({ ...d, attempts: attemptsMade(d) })),
    ['_id', 'eventtype', 'status', 'attempts', 'responsestatus', 'latencyms', 'nextattemptat', 'error'],
  );
}

/**
 * "3 (500, 500, 200)": the attempts made and each one's status code (or "error" when none came), oldest first; "…"
 * stands for the earliest ones when more were made than are kept.
 */
function attemptsMade(delivery: Delivery): string {
  if (delivery.attempts === 0) return '0';
  const outcomes = [...delivery.earlierattempts, delivery].map((a) => String(a.responsestatus ?? 'error'));
  if (delivery.attempts > outcomes.length) outcomes.unshift('…');
  return `${delivery.attempts} (${outcomes.join(', ')})`;
}

async function redeliverOne(args: string[], config: Config) {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw usage(USAGE);
  const id = positionals[0].toLowerCase();
  await withDatabase(config, async (db) => {
    const row = await findDelivery(db, id);
    if (!row) throw new CliError(`No webhook delivery with id ${id}`);
    await redeliver(db, row.businessid, id);
  });
  process.stdout.write(`Queued ${id} again; a running server sends it within a second.\n`);
}
