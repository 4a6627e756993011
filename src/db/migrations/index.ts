// Migrations: a static, ordered list, applied by `serve` and `migrate` before anything else touches the data.
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from '../connect.js';
import { init } from './0001_init.js';
import { searchIndex } from './0002_search_index.js';
import { idempotency } from './0003_idempotency.js';
import { dashboard } from './0004_dashboard.js';
import { countsAndFts } from './0005_counts_and_fts.js';
import { credentialSignals } from './0006_credential_signals.js';
import { readVersions } from './0007_read_versions.js';
import { searchPending } from './0008_search_pending.js';
import { signinAttemptIds } from './0009_signin_attempt_ids.js';
import { overviewSums } from './0010_overview_sums.js';
import { webhooks } from './0011_webhooks.js';
import { bookingPages } from './0012_booking_pages.js';
import { syncAndKeyScopes } from './0013_sync_and_key_scopes.js';
import { lighterOutbox } from './0014_lighter_outbox.js';
import { deliveryAttempts } from './0015_delivery_attempts.js';
import { lighterDeliveries } from './0016_lighter_deliveries.js';
import { listMoves } from './0017_list_moves.js';
import { searchByBusiness } from './0018_search_by_business.js';
import { pgSearchByBusiness } from './0019_pg_search_by_business.js';

/** Every migration in order. Names sort in the order they must run; append, never edit a released one. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_init': init,
  '0002_search_index': searchIndex,
  '0003_idempotency': idempotency,
  '0004_dashboard': dashboard,
  '0005_counts_and_fts': countsAndFts,
  '0006_credential_signals': credentialSignals,
  '0007_read_versions': readVersions,
  '0008_search_pending': searchPending,
  '0009_signin_attempt_ids': signinAttemptIds,
  '0010_overview_sums': overviewSums,
  '0011_webhooks': webhooks,
  '0012_booking_pages': bookingPages,
  '0013_sync_and_key_scopes': syncAndKeyScopes,
  '0014_lighter_outbox': lighterOutbox,
  '0015_delivery_attempts': deliveryAttempts,
  '0016_lighter_deliveries': lighterDeliveries,
  '0017_list_moves': listMoves,
  '0018_search_by_business': searchByBusiness,
  '0019_pg_search_by_business': pgSearchByBusiness,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Kysely's migrator lists the tables of every schema to find its own; on PostgreSQL that catalogue read fails
 * (invalid_schema_name, 3F000) when another schema is dropped at that moment, as parallel test runs do. Retried.
 */
const isCatalogRace = (error: unknown) => (error as { code?: string } | null)?.code === '3F000';

/** Applies every pending migration; returns the names it applied. */
export async function migrateToLatest({ db, schema }: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'mteja_migrations',
    migrationLockTableName: 'mteja_migrations_lock',
    // Named explicitly: Kysely looks for its tables in every schema otherwise, and finds other instances'.
    migrationTableSchema: schema,
    // Work on parallel branches lands in either order; a database that has a later migration still gets an earlier one.
    allowUnorderedMigrations: true,
  });
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      const { error, results } = await migrator.migrateToLatest();
      if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      failure = error;
    } catch (error) {
      failure = error;
    }
    if (!isCatalogRace(failure) || attempt >= 5) throw failure instanceof Error ? failure : new Error(String(failure));
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}
