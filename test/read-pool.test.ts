// The SQLite read pool's shutdown: close() waits for its workers to exit, a worker cancelled mid-statement included
// (its connection closes with it), but never longer than its bound, however long that statement still runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { PAST_BUDGET } from '../src/db/errors.js';
import { ReadPool } from '../src/db/read-pool.js';
import { readPage } from '../src/db/records.js';
import { indexAllPendingSearch } from '../src/db/search-index.js';
import { createCustomers } from '../src/modules/customer/customer.store.js';
import { sqlite, startServer, type TestServer } from './helpers/server.js';

/** What close() waits for a worker at most by default (read-pool.ts), and what it may take beyond on a busy machine. */
const CLOSE_WAIT_MS = 2000;
const MARGIN_MS = 750;
const BUDGET_MS = 300;
// A phrase search whose every trigram is in every row many times: seconds for 8,000 rows on the index plan.
const TERM = 'a'.repeat(200);

describe('read pool close (sqlite)', () => {
  let server: TestServer;
  let path: string;
  /** What the slow search costs when nothing cancels it. */
  let uncancelled: number;
  before(async () => {
    server = await startServer(sqlite, { SQLITE_READ_WORKERS: '0', SEARCH_SCAN_BELOW: '0', SEARCH_INDEX_MS: '0' });
    path = server.databaseUrl.slice('sqlite:'.length);
    const inputs = Array.from({ length: 8000 }, (_, i) => ({
      name: `Slow ${i}`,
      email: `slow.${i}@example.com`,
      phone: `+2547${String(i).padStart(8, '0')}`,
      country: 'Kenya',
      currency: 'KES',
    }));
    await createCustomers(server.db, server.businessId, inputs, 'api');
    await sql`update customers set searchtext = ${'a'.repeat(400)}`.execute(server.db);
    await indexAllPendingSearch(server.db);
    await server.app.database.durable();
    const started = Date.now();
    await readPage(server.db, 'customers', server.businessId, { page: 1, limit: 10, search: TERM, where: [] });
    uncancelled = Date.now() - started;
  });
  after(() => server.close());

  /** A pool of one worker, loaded (a list answered), whose next job is cancelled mid-search at the budget. */
  async function cancelledMidStatement(closeWaitMs?: number): Promise<ReadPool> {
    const pool = new ReadPool({ path, size: 1, budgetMs: BUDGET_MS, scanBelow: 0, closeWaitMs });
    // A worker takes a few hundred ms to load, which the budget may not cover on a busy machine.
    for (let loaded = false; !loaded; ) {
      loaded = await pool.listPage('customers', server.businessId, { page: 1, limit: 1, where: [] }, false).then(
        () => true,
        () => false,
      );
    }
    const search = { page: 1, limit: 10, search: TERM, where: [] };
    await assert.rejects(pool.listPage('customers', server.businessId, search, true), { code: PAST_BUDGET });
    return pool;
  }

  it('waits for a worker cancelled mid-statement to exit, or for its bound, whichever comes first', async () => {
    assert.ok(uncancelled > 3 * BUDGET_MS, `the search takes ${uncancelled} ms: long enough to cancel`);
    const pool = await cancelledMidStatement();
    const closing = Date.now();
    await pool.close();
    const took = Date.now() - closing;
    // The statement had about uncancelled - BUDGET_MS left (more on a busy machine): close waited for it, up to 2 s.
    const left = Math.min(uncancelled - BUDGET_MS, CLOSE_WAIT_MS);
    assert.ok(took >= left / 2, `closed in ${took} ms with a statement of about ${left} ms still running`);
    assert.ok(took < CLOSE_WAIT_MS + MARGIN_MS, `closed in ${took} ms`);
  });

  it('stops waiting at its bound while the statement still runs', async () => {
    const pool = await cancelledMidStatement(100);
    const closing = Date.now();
    await pool.close();
    const took = Date.now() - closing;
    assert.ok(took < 100 + MARGIN_MS, `closed in ${took} ms, the search alone taking ${uncancelled} ms`);
  });
});
