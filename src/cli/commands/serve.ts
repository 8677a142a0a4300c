import { runServe, SERVE_USAGE } from '../../server/index.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: 'the Segment-compatible collection API, read API and live segments on a loopback or public port',
  usage: SERVE_USAGE,
  run: (argv) => runServe(argv),
};
