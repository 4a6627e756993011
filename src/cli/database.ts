// Opens the configured database for a command, migrated, and always closes it.
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations/index.js';
import type { Database } from '../db/schema.js';

export async function withDatabase<T>(config: Config, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const database = await connect(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  try {
    await migrateToLatest(database);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
