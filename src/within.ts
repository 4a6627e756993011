// A wait with a limit: what the health check gives each dependency, and what a webhook attempt gives name resolution.

/** `promise`, or an Error saying `message` once `ms` have passed (the promise itself goes on: a lookup cannot be
 * cancelled, only no longer waited for). The Error is made only then: most waits end in time. */
export function within<T>(promise: Promise<T>, ms: number, message = `no answer within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
