// The SQLite read pool's cancels and shutdown: a search past its budget stops itself in its worker, which then serves
// the next read; a worker that does not stop within its grace is replaced; close() waits for its workers to exit (their
// connections close with them), but never longer than its bound.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { PAST_BUDGET } from '../src/db/errors.js';
import { ReadPool } from '../src/db/read-pool.js';
import { readPage } from '../src/db/records.js';
import { indexAllPendingSearch } from '../src/db/search-index.js';
import { createCustomers } from '../src/modules/customer/customer.store.js';
import { sqlite, startServer, type TestServer } from './helpers/server.js';

/** What closing may take beyond its bound on a busy machine. */
const MARGIN_MS = 750;
const BUDGET_MS = 300;
// A phrase search whose every trigram is in every row many times: seconds for 8,000 rows on the index plan.
const TERM = 'a'.repeat(200);

describe('read pool cancels and close (sqlite)', () => {
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
  async function cancelledMidStatement(
    options: { closeWaitMs?: number; stopGraceMs?: number; selfStop?: boolean } = {},
  ): Promise<ReadPool> {
    const pool = new ReadPool({ path, size: 1, budgetMs: BUDGET_MS, scanBelow: 0, ...options });
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

  it('stops a search past its budget in its worker, which answers the next read soon after', async () => {
    assert.ok(uncancelled > 3 * BUDGET_MS, `the search takes ${uncancelled} ms: long enough to cancel`);
    // A grace longer than the search: only the statement stopping itself frees the worker.
    const pool = await cancelledMidStatement({ stopGraceMs: 60_000 });
    const asking = Date.now();
    await pool.listPage('customers', server.businessId, { page: 1, limit: 1, where: [] }, false);
    const waited = Date.now() - asking;
    assert.equal(pool.started, 1, 'the worker was not replaced');
    // Left running, the search would have held the worker for about uncancelled - BUDGET_MS more.
    const left = uncancelled - BUDGET_MS;
    assert.ok(waited < left / 2, `the next read waited ${waited} ms; the search had about ${left} ms left`);
    const closing = Date.now();
    await pool.close();
    assert.ok(Date.now() - closing < MARGIN_MS, `closed in ${Date.now() - closing} ms`);
  });

  it('replaces a worker that has not stopped within its grace; close() waits for it no longer than its bound', async () => {
    const pool = await cancelledMidStatement({ closeWaitMs: 100, stopGraceMs: 0, selfStop: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(pool.started, 2, 'a fresh worker took its place');
    const closing = Date.now();
    await pool.close();
    const took = Date.now() - closing;
    assert.ok(took < 100 + MARGIN_MS, `closed in ${took} ms, the search alone taking ${uncancelled} ms`);
  });
});
