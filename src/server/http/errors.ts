/**
 * The one place errors become HTTP answers. Engine errors (`InputError`, `NotFoundError`, `ConflictError`) and the
 * server's own `HttpError` (auth, limits, timeouts, overload) map to a status and a body
 * `{ error: { code, message, issues } }`. Anything else is a 500 whose message is not leaked to the client.
 */
import { ConflictError, InputError, NotFoundError, type InputIssue } from '../../core/errors.js';

/** An error the server raises itself, with its status and a stable machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly InputIssue[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly issues: readonly InputIssue[] };
}

export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ErrorBody;
  /** True when the error is ours (a 5xx): worth logging with its stack. */
  readonly internal: boolean;
}

/** Maps any thrown value to the status, headers and JSON body the client receives. */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof HttpError) return answer(error.status, error.code, error.message, error.issues, error.headers);
  if (error instanceof InputError) return answer(400, 'invalid_input', error.message, error.issues);
  if (error instanceof NotFoundError) return answer(404, 'not_found', error.message);
  if (error instanceof ConflictError) return answer(409, 'conflict', error.message);
  return { ...answer(500, 'internal', 'internal server error: the request was not processed; retry later'), internal: true };
}

function answer(status: number, code: string, message: string, issues: readonly InputIssue[] = [], headers: Readonly<Record<string, string>> = {}): ErrorAnswer {
  return { status, headers, body: { error: { code, message, issues } }, internal: status >= 500 };
}

/** A 400 stating a Segment limit: `batch is 612,345 bytes; the limit is 500 KB (512,000 bytes)`. */
export function limitError(code: string, message: string): HttpError {
  return new HttpError(400, code, message);
}
