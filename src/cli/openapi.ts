// `mteja openapi`: prints the OpenAPI document the server would serve, generated from the route schemas.
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';

/** Builds the document on a throwaway in-memory database; nothing is written anywhere. */
export async function openapiDocument(): Promise<object> {
  // Read as the environment would be, so every setting has its default.
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: 'sqlite::memory:',
    DATABASE_POOL_SIZE: '1',
    LOG_LEVEL: 'silent',
    MTEJA_DEMO: 'false',
  });
  const app = await createApp(config, createLogger(config));
  try {
    await app.server.ready();
    return app.server.swagger();
  } finally {
    await app.close();
  }
}

export async function openapiCommand(args: string[]) {
  parseArgs({ args, options: {}, strict: true });
  process.stdout.write(`${JSON.stringify(await openapiDocument(), null, 2)}\n`);
}
