// `mteja migrate`: applies pending migrations and says which.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations/index.js';

export async function migrateCommand(args: string[], config: Config) {
  parseArgs({ args, options: {}, strict: true });
  const database = await connect(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  try {
    const applied = await migrateToLatest(database);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  } finally {
    await database.close();
  }
}
