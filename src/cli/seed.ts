// `mteja seed`: realistic fake records in a business, for demos and load tests.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { getBusiness } from '../modules/business/business.store.js';
import { SEED_KINDS, type SeedCounts, seedBusiness } from '../seed/seed.js';
import { withDatabase } from './database.js';
import { CliError, usage } from './output.js';

/** What `mteja seed` makes when no count is given: a small business, enough to try every list. */
const DEFAULT_COUNTS: SeedCounts = {
  customers: 100,
  leads: 50,
  contacts: 50,
  quotes: 20,
  contracts: 10,
  appointments: 4,
  bookings: 40,
};

export async function seedCommand(args: string[], config: Config) {
  const options = Object.fromEntries(SEED_KINDS.map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({ args, strict: true, options: { business: { type: 'string' }, ...options } });
  if (!values.business)
    throw usage(`usage: mteja seed --business ID ${SEED_KINDS.map((kind) => `[--${kind} N]`).join(' ')}`);
  const counts: Partial<SeedCounts> = {};
  for (const kind of SEED_KINDS) {
    const raw = (values as Record<string, string | undefined>)[kind];
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw) || Number(raw) > 10_000_000)
      throw usage(`--${kind} must be a whole number from 0 to 10000000`);
    counts[kind] = Number(raw);
  }
  if (Object.keys(counts).length === 0) Object.assign(counts, DEFAULT_COUNTS);
  const started = Date.now();
  await withDatabase(config, async (db) => {
    if (!(await getBusiness(db, values.business!))) throw new CliError(`No business with id ${values.business}`);
    await seedBusiness(db, values.business!, counts, {
      progress: (kind, done) => process.stderr.write(`  ${kind}: ${done}\n`),
    });
  });
  const summary = Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  process.stdout.write(`Seeded ${summary} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
