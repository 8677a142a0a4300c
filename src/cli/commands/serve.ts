import { runServe, SERVE_USAGE } from '../../server/index.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: 'the Segment-compatible collection API, read API, live segments and the dashboard on a loopback or public port',
  usage: [
    SERVE_USAGE,
    'The dashboard is at http://HOST:PORT/dashboard/ (it asks for the admin token); its data is the read API under',
    '/v1/dashboard/, the same as `segmenta dashboard` serves. /openapi.json documents every route.',
  ].join('\n'),
  run: (argv) => runServe(argv),
};
