/**
 * The one place errors become the dashboard's HTTP answers: `{ error: { code, message, issues } }` with a status.
 * Engine errors map as everywhere (InputError 400, NotFoundError 404, ConflictError 409); the server's own refusals
 * are HttpErrors; anything else is a 500 whose details stay in the server's log.
 */
import { ConflictError, InputError, NotFoundError, type InputIssue } from '../../core/errors.js';

/** An error the dashboard server raises itself (unknown route, wrong method, wrong host, refused token, database busy). */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorAnswer {
  readonly status: number;
  readonly body: { readonly error: { readonly code: string; readonly message: string; readonly issues: readonly InputIssue[] } };
  readonly headers: Readonly<Record<string, string>>;
}

export function errorAnswer(error: unknown): ErrorAnswer {
  const answer = (status: number, code: string, message: string, issues: readonly InputIssue[] = [], headers: Readonly<Record<string, string>> = {}): ErrorAnswer =>
    ({ status, body: { error: { code, message, issues } }, headers });
  if (error instanceof HttpError) return answer(error.status, error.code, error.message, [], error.headers);
  if (error instanceof InputError) return answer(400, 'invalid_input', error.message, error.issues);
  if (error instanceof NotFoundError) return answer(404, 'not_found', error.message);
  if (error instanceof ConflictError) return answer(409, 'conflict', error.message);
  return answer(500, 'internal', 'the dashboard could not answer this request; the server log has the details');
}
