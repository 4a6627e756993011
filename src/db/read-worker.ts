// One read worker (db/read-pool.ts): its own connection to the SQLite file, answering list jobs (a page of records or of
// events) one at a time, each inside one read transaction so that a page and its total come from the same snapshot.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Paging } from '../http/list-query.js';
// Events are a module's table, read here like records: a business's exact event total is a count that may take tens
// of milliseconds (event.store.ts).
import { readEvents } from '../modules/event/event.store.js';
import { ListAnchors } from './list-anchors.js';
import type { SentJob } from './read-pool.js';
import { setReads } from './reads.js';
import { type PageQuery, readPage } from './records.js';
import type { Database } from './schema.js';
import { checkBudgetWith } from './search.js';
import { dialectDatabase } from './sqlite-driver.js';

const { path, scanBelow, selfStop } = workerData as { path: string; scanBelow: number; selfStop: boolean };
const sqlite = new BetterSqlite3(path, { fileMustExist: true });
// This connection only reads: a job can never write, whatever its SQL.
sqlite.exec('pragma query_only = 1');
sqlite.exec('pragma busy_timeout = 5000');
// A statement past its job's budget stops itself: the search statements, which may read a million rows, call
// mteja_in_budget() every 1,024 rows (db/search.ts), and it throws once the job's deadline has passed. better-sqlite3
// cannot interrupt a statement from outside; a thread terminated instead ran its statement to the end, holding its
// memory, while a new thread loaded beside it (+110 MB after a burst of cancelled 1-character searches at 1M rows).
let deadline = Number.POSITIVE_INFINITY;
checkBudgetWith(sqlite, () => !selfStop || Date.now() <= deadline);
// Each query text prepared once and its rows read as on the main connection (Kysely's SQLite dialect would prepare it
// every time).
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: dialectDatabase(sqlite) }) });
setReads(db, { scanBelow, anchors: new ListAnchors() });

parentPort!.on('message', async (job: SentJob) => {
  deadline = job.deadline;
  try {
    const result = await db
      .transaction()
      .execute(
        async (trx): Promise<unknown> =>
          job.read === 'page'
            ? readPage(trx, job.table, job.businessId, job.query as PageQuery)
            : readEvents(trx, job.businessId, job.paging as Paging, job.query),
      );
    parentPort!.postMessage({ result });
  } catch (error) {
    // Its message and code cross to the main thread, where db/errors.ts reads the code.
    const { message, code } = error as { message: string; code?: string };
    parentPort!.postMessage({ error: { message, code } });
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
});

// Loaded: the pool sends jobs from now on.
parentPort!.postMessage({ ready: true });
