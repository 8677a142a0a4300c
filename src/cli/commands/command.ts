import type { Io } from '../output.js';

/** A CLI command: parse its flags, call the pipeline, print. Returns the exit code. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(argv: string[], io: Io): Promise<number>;
}
