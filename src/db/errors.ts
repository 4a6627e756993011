// Engine errors, translated once: a unique-key violation becomes the caller's 409, and a database that cannot be
// reached or did not answer in time becomes a 503, whatever the engine.

/** True when a write failed because a unique or primary key already holds the value. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Runs a write; a unique violation is rethrown as `onConflict()`'s error. */
export async function mapUniqueViolation<T>(write: () => Promise<T>, onConflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw onConflict();
    throw error;
  }
}

/** Socket errors: the database's host refused, reset, or could not be reached. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs meaning "not now" rather than "not this request": every connection exception (class 08),
 * too many connections, an operator or crash shutdown, a server still starting, and a statement or idle transaction
 * cancelled by our own timeouts.
 */
const POSTGRES_STATES = new Set(['53300', '57014', '57P01', '57P02', '57P03', '25P03']);

/** pg's own words for a connection it lost, or never got, or gave up waiting on. */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/**
 * True when the database could not be reached or did not answer in time: the request may succeed later, so it is a
 * 503, never a 500. SQLite's cases: SQLITE_BUSY (another connection held the lock past the busy timeout), and a read cancelled past the request budget.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_STATES.has(code) || code.startsWith('08')) return true;
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
    // A read given up by the read pool (db/read-pool.ts): closing, a worker lost, or past the request budget.
    if (code === 'SQLITE_INTERRUPT' || code === PAST_BUDGET) return true;
  }
  return PG_MESSAGES.some((message) => error.message.startsWith(message));
}

/** The code of a read the read pool cancelled past the request budget (db/read-pool.ts). */
export const PAST_BUDGET = 'MTEJA_PAST_BUDGET';

/**
 * A read dropped or cancelled past the request budget, by the read pool or by a search statement's own check
 * (db/search.ts): the request's own 503 "Request timed out" is due at the same moment, and whichever comes first, the
 * client is told the same (isPastBudget).
 */
export function pastBudget(): Error {
  return Object.assign(new Error('read cancelled past the request budget'), { code: PAST_BUDGET });
}

/** True when a read was cancelled because its request ran out of budget: the client is told "Request timed out". */
export function isPastBudget(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === PAST_BUDGET;
}
