/**
 * The few error classes the whole engine uses. The CLI maps them to exit codes and the server to HTTP
 * statuses, each in one place. Messages follow one rule: the subject, the rule, the values
 * (`kmeans requires k between 1 and rows (got k=12, rows=5)`); for files: file, line and column.
 */

/** One problem in a piece of input: where it is (a file:line:column, a field path, an event index) and what is wrong. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** Bad input from outside (file, flag, request, config). Carries every problem found, not only the first. */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];
  constructor(message: string, issues: readonly InputIssue[] = []) {
    super(message);
    this.name = 'InputError';
    this.issues = issues;
  }
}

/** A thing that was asked for by id and does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A request that clashes with the current state (a run already in progress, a duplicate key). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Exit codes of the CLI: 2 for bad input, 1 for any other failure. */
export function exitCodeFor(error: unknown): number {
  return error instanceof InputError || error instanceof NotFoundError ? 2 : 1;
}

/** Formats a value for an error message: strings quoted, long values cut. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'bigint') return `${value}`;
  return String(value);
}
