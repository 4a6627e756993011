// A wait with a limit: what the health check gives each dependency, and what a webhook attempt gives name resolution.

/** `promise`, or `error` once `ms` have passed (the promise itself goes on: a lookup cannot be cancelled, only no
 * longer waited for). */
export function within<T>(promise: Promise<T>, ms: number, error = new Error(`no answer within ${ms} ms`)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
