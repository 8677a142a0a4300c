/**
 * `segmenta serve` as a function the CLI (and the crash test's child process) calls: parse and resolve options,
 * start the server, print generated secrets once, and stop gracefully on SIGTERM/SIGINT (in-flight requests are
 * drained and queued events committed before the database closes). Resolves with the exit code.
 */
import { parseServeArgs } from './options.js';
import { untilStopSignal } from '../core/signals.js';
import { startServer } from './server.js';

export interface ServeIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where generated secrets are printed (stderr by default, so stdout stays pure JSON logs). */
  readonly print: (line: string) => void;
}

export async function runServe(argv: readonly string[], io: ServeIo = { env: process.env, print: (line) => process.stderr.write(`${line}\n`) }): Promise<number> {
  const options = parseServeArgs(argv, io.env);
  const handle = await startServer(options);
  if (handle.generated.writeKey) io.print(`segmenta serve: generated write key (shown once, kept in the database): ${handle.generated.writeKey}`);
  if (handle.generated.adminToken) io.print(`segmenta serve: generated admin token (shown once, kept in the database): ${handle.generated.adminToken}`);
  await untilStopSignal();
  await handle.close();
  return 0;
}
