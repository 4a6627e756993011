// The one error type: a status, the envelope's `error`, and optionally field `errors` and a `message`.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errors?: Record<string, string>,
    readonly detail?: string,
    /** Extra top-level body fields (`retry_after`) and response headers (`Retry-After`), for the few errors that have them. */
    readonly extra?: { body?: Record<string, unknown>; headers?: Record<string, string> },
  ) {
    super(error);
    this.name = 'AppError';
  }
}

/** 400 for a body or query that breaks its schema: `error` is the brief, `errors` says which field and why. */
export const invalid = (error: string, errors?: Record<string, string>, detail?: string) =>
  new AppError(400, error, errors, detail);

/** 400 for a path id that is not an ObjectID, in the seed's wording. */
export const badId = (resource: string) => new AppError(400, `Invalid ${resource.toLowerCase()} ID format`);

/** 404 for a record that does not exist in the caller's business (another business's record included). */
export const notFound = (resource: string) => new AppError(404, `${resource} not found`);

export const conflict = (error: string, detail?: string) => new AppError(409, error, undefined, detail);

/** 403: the key is known, but may not do this (its scopes, or a publishable key's origins). */
export const forbidden = (error: string) => new AppError(403, error);

export const unauthorized = () => new AppError(401, 'Unauthorized access!', undefined, 'Unauthorized access!');

/** 429 with the contract's body and a Retry-After that says when the next request will succeed. */
export const rateLimited = (retryAfter: number) =>
  new AppError(429, 'Rate limit exceeded. Please try again later.', undefined, undefined, {
    body: { retry_after: retryAfter },
    headers: { 'retry-after': String(retryAfter) },
  });

/** 503 when the database cannot be reached or did not answer in time: the same request may succeed later. */
export const unavailable = () => new AppError(503, 'Service unavailable');

/** 503 when a request ran past REQUEST_TIMEOUT_MS: the client is answered; what ran on may still finish. */
export const timedOut = () => new AppError(503, 'Request timed out');

export const SUBMISSION_PROBLEMS = 'There are problems with your submission';
