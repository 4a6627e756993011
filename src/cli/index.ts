// The `mteja` command line: reads argv, dispatches to one command, maps failures to exit codes.
import { ConfigError, loadConfig } from '../config.js';
import { isUnavailable } from '../db/errors.js';
import { AppError } from '../http/errors.js';
import { nodeVersionWarning } from './node-version.js';
import { CliError } from './output.js';

export const HELP = `mteja: a self-hostable CRM API server, wire-compatible with the Cashfin CRM API

Usage: mteja <command> [options]

Commands:
  serve                                  Migrate the database, then serve HTTP (what \`npm start\` runs)
  migrate                                Apply pending database migrations
  business create --name NAME [--plan free|starter|professional|enterprise] [--json]
                                         Create a business and its first API credential (secret printed once)
  business list [--json]                 List businesses
  business update ID [--name NAME] [--plan PLAN] [--limits SECOND/MINUTE/DAY] [--json]
                                         Change a business; --limits sets custom enterprise rate limits
  keys create --business ID [--name NAME] [--type custom|ecommerce] [--scopes customers:read,leads:write]
              [--webhook-url URL] [--json]
                                         Create an API credential (secret printed once); no --scopes is full access
  keys create --business ID --type publishable --origins https://shop.example.com[,...] [--name NAME] [--json]
                                         Create a pk_ key for web forms: creates leads only, from those origins
  keys list --business ID [--json]       List a business's credentials: scopes, origins, last use (never the secret)
  keys revoke CLIENTID                   Revoke a credential; it stops working at once
  webhooks create --business ID --url URL [--events customer.created,lead.*] [--description TEXT] [--json]
                                         Add a webhook endpoint (signing secret printed once)
  webhooks list --business ID [--json]   List a business's webhook endpoints
  webhooks disable|enable|delete ENDPOINT_ID
  webhooks rotate ENDPOINT_ID            New signing secret; the old one signs beside it for 24 hours
  webhooks test ENDPOINT_ID              Send a ping event
  webhooks deliveries ENDPOINT_ID [--json]
                                         The endpoint's latest deliveries: status, attempts, answers
  webhooks redeliver DELIVERY_ID         Send a delivery again
  users create --business ID --email EMAIL [--name NAME] [--generate] [--json]
                                         Add a dashboard user; prompts for a password, or generates one
  users list --business ID [--json]      List a business's dashboard users
  users password --email EMAIL [--generate]
                                         Set a new password (prompted or generated); ends their sessions
  users disable|enable --email EMAIL     Stop a user signing in (ending their sessions), or let them again
  seed --business ID [--customers N] [--leads N] [--contacts N] [--quotes N]
       [--contracts N] [--appointments N] [--bookings N]
                                         Add realistic fake records to a business
  openapi                                Print the OpenAPI document

Every command reads DATABASE_URL (default sqlite:./data/mteja.db) and DATABASE_POOL_SIZE; serve also
reads PORT, HOST, LOG_LEVEL, MTEJA_DEMO and REDIS_URL. See .env.example.
`;

type Command = (args: string[], config: ReturnType<typeof loadConfig>) => Promise<void>;

/**
 * Each command's module, loaded when it runs: `mteja serve` never loads what only `seed` needs (the fake-data
 * library's locales are ~30 MB of a server's memory), and a short command loads only its own code.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  business: async () => (await import('./business.js')).businessCommand,
  keys: async () => (await import('./keys.js')).keysCommand,
  webhooks: async () => (await import('./webhooks.js')).webhooksCommand,
  users: async () => (await import('./users.js')).usersCommand,
  seed: async () => (await import('./seed.js')).seedCommand,
  openapi: async () => (await import('./openapi.js')).openapiCommand,
};

/** Runs one command; resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  const warning = nodeVersionWarning(process.version);
  if (warning) process.stderr.write(`mteja: warning: ${warning}\n`);
  if (!load) {
    process.stderr.write(`mteja: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    const command = await load();
    await command(args, loadConfig());
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`mteja: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`mteja: ${error.message}\n`);
      return error.exitCode;
    }
    // The stores' own refusals (a taken email, a missing record) are the user's to fix, not a crash: their message
    // as the API would give it, exit code 1.
    if (error instanceof AppError) {
      process.stderr.write(`mteja: ${error.detail ?? error.error}\n`);
      return 1;
    }
    if (
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      process.stderr.write(`mteja: ${(error as Error).message}\n`);
      return 2;
    }
    // Another process holding SQLite's write lock past the busy timeout (a long seed), or PostgreSQL out of reach:
    // the operator's to retry, not a crash to report.
    if (isUnavailable(error)) {
      process.stderr.write(
        `mteja: the database did not answer in time (${(error as Error).message}); another process may be writing to it: try again\n`,
      );
      return 1;
    }
    process.stderr.write(`mteja: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}
