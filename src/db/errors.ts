// Engine errors, translated once: a unique-key violation becomes the caller's 409, whatever the engine.

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
