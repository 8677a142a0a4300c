/**
 * Process entry for `segmenta serve` without the rest of the CLI: `node dist/server/main.js --db FILE --port N ...`.
 * The crash test and the bench start the server through this file as a child process.
 */
import { exitCodeFor } from '../core/errors.js';
import { runServe } from './serve-command.js';

runServe(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`segmenta serve: ${(error as Error).message}\n`);
    process.exit(exitCodeFor(error));
  },
);
