#!/usr/bin/env node
/**
 * The `segmenta` command line. One file per command under ./commands; this file only dispatches and maps
 * errors to exit codes (2 for bad input, 1 for failures) in one place.
 */
import { InputError, NotFoundError, ConflictError, exitCodeFor } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';
import { processIo } from './output.js';

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'segmenta — customer behaviour data → segments → strategies',
    '',
    'usage: segmenta <command> [options]   (segmenta <command> --help for its options)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Common options: --db FILE (default ./segmenta.duckdb, ":memory:" allowed), --json (machine-readable output)',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    processIo.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    processIo.err(`segmenta: unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    processIo.out(`segmenta ${name} — ${command.summary}\n\n${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, processIo);
  } catch (error) {
    if (error instanceof InputError || error instanceof NotFoundError || error instanceof ConflictError) {
      processIo.err(`segmenta ${name}: ${error.message}`);
    } else {
      processIo.err(`segmenta ${name}: failed: ${(error as Error).stack ?? String(error)}`);
    }
    return exitCodeFor(error);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`segmenta: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
