import { startDashboard } from '../../dashboard/server/index.js';
import { intFlag, parse, DEFAULT_DB } from '../args.js';
import { untilStopSignal } from '../../core/signals.js';
import { json } from '../output.js';
import type { Command } from './command.js';

export const dashboardCommand: Command = {
  summary: 'the read-only web dashboard: segments, model choice, customers, cohorts, journeys, data quality',
  usage: [
    'segmenta dashboard [--db FILE] [--port N (default 8080; 0 picks a free port)] [--host ADDRESS (default 127.0.0.1)] [--json]',
    '',
    'Serves the dashboard until Ctrl-C (SIGINT) or SIGTERM and prints its URL (with --json: {"url": ...}).',
    'The database is opened read-only and only while pages are loading, so `segmenta segment` or `import` can',
    'write it meanwhile; reload the page to see their results. Works offline: the charts library is served by it.',
    'Use --host 0.0.0.0 to reach it from other machines: it has no login, so only on a network you trust.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse('dashboard', argv, { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } });
    const port = intFlag('port', values.port, 8080, 0, 65_535);
    const handle = await startDashboard({ db: values.db ?? DEFAULT_DB, port, host: values.host ?? '127.0.0.1', log: io.err });
    io.out(values.json ? json({ url: handle.url }) : `segmenta dashboard: serving ${handle.url} (read-only; Ctrl-C to stop)`);
    await untilStopSignal();
    await handle.close();
    return 0;
  },
};
