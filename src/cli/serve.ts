// `mteja serve`: migrate, create the demo business on an empty database, listen, and drain on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import type { Config } from '../config.js';
import { countBusinesses } from '../modules/business/business.store.js';
import { printSecret } from './secret.js';

export async function serveCommand(args: string[], config: Config) {
  parseArgs({ args, options: {}, strict: true });
  const app = await createApp(config);
  const demo =
    config.MTEJA_DEMO && (await countBusinesses(app.database.db)) === 0
      ? // Loaded only here: the fake-data library is ~30 MB of memory that a server without the demo never needs.
        await (await import('../seed/demo.js')).createDemoBusiness(app.database.db, config.DEFAULT_PLAN)
      : undefined;
  // The read workers load while the server starts, not during its first list (tests start them on first use).
  app.database.startReads();
  const url = await app.listen();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.logger.info({ signal }, 'shutting down: draining in-flight requests');
    try {
      await app.close();
      app.logger.info('stopped');
      process.exit(0);
    } catch (error) {
      app.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  // How many reads the read cache saved since start, whatever LOG_LEVEL says (npm run bench reads it per scenario).
  process.on('SIGUSR2', () =>
    app.logger.child({}, { level: 'info' }).info({ readCache: app.readCache.counts }, 'read cache counts'),
  );
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  process.stdout.write(`\nmteja is listening on ${url}  (API reference: ${url}/docs, dashboard: ${url}/dashboard)\n`);
  if (demo) {
    process.stdout.write(
      `\nCreated "Demo Business" (${demo.business._id}) with sample customers, leads, contacts, quotes, contracts, appointment types and bookings.\n`,
    );
    printSecret(demo.credential.clientid, demo.clientsecret, url);
    process.stdout.write(
      [
        '',
        `Dashboard:     ${url}/dashboard`,
        `Email:         ${demo.user.email}`,
        `Password:      ${demo.user.password}`,
        'The password is shown only now; `mteja users password --email demo@example.com` sets a new one.',
        '',
      ].join('\n'),
    );
  }
  process.stdout.write('\n');
}
