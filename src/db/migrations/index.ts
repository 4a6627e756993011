// Migrations: a static, ordered list, applied by `serve` and `migrate` before anything else touches the data.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { init } from './0001_init.js';

/** Every migration in order. Names sort in the order they must run; append, never edit a released one. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_init': init,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies every pending migration; returns the names it applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'mteja_migrations', migrationLockTableName: 'mteja_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
