// The one error a call throws: the server's envelope (`error`, `errors`) with the status and the request id.

export interface MtejaErrorInit {
  status: number;
  message: string;
  errors?: Record<string, string>;
  requestId?: string;
  body?: unknown;
  retryAfter?: number;
  cause?: unknown;
}

/**
 * A call that did not succeed. `status` is the HTTP status, or 0 when no answer came (timeout, connection error)
 * after every retry; `errors` maps each field to what is wrong with it; `requestId` is the server's `X-Request-Id`,
 * the line to look for in its log.
 */
export class MtejaError extends Error {
  override readonly name = 'MtejaError';
  readonly status: number;
  readonly errors?: Record<string, string>;
  readonly requestId?: string;
  /** The parsed body (or its text when it was not JSON). */
  readonly body?: unknown;
  /** Seconds the server asked to wait (429). */
  readonly retryAfter?: number;

  constructor(init: MtejaErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.errors = init.errors;
    this.requestId = init.requestId;
    this.body = init.body;
    this.retryAfter = init.retryAfter;
  }
}

/** The error for an answer that is not a success, from the contract's envelope where there is one. */
export function errorFromAnswer(status: number, body: unknown, headers: Headers): MtejaError {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const retryAfter = Number(headers.get('retry-after') ?? envelope.retry_after);
  return new MtejaError({
    status,
    message: text(envelope.error) ?? text(envelope.message) ?? `HTTP ${status}`,
    errors: isFieldMap(envelope.errors) ? envelope.errors : undefined,
    requestId: headers.get('x-request-id') ?? undefined,
    body,
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined,
  });
}

function isFieldMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
