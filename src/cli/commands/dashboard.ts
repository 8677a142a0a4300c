import type { IncomingMessage } from 'node:http';
import { startDashboard } from '../../dashboard/server/index.js';
import { adminRefusal } from '../../server/index.js';
import { InputError } from '../../core/errors.js';
import { intFlag, parse, DEFAULT_DB } from '../args.js';
import { untilStopSignal } from '../../core/signals.js';
import { json } from '../output.js';
import type { Command } from './command.js';

export const dashboardCommand: Command = {
  summary: 'the read-only web dashboard: segments, model choice, customers, cohorts, journeys, data quality',
  usage: [
    'segmenta dashboard [--db FILE] [--port N (default 8080; 0 picks a free port)] [--host ADDRESS (default 127.0.0.1)]',
    '  [--admin-token TOKEN] [--json]',
    '',
    'Serves the dashboard until Ctrl-C (SIGINT) or SIGTERM and prints its URL (with --json: {"url": ...}).',
    'The database is opened read-only and only while pages are loading, so `segmenta segment` or `import` can',
    'write it meanwhile; reload the page to see their results. Works offline: the charts library is served by it.',
    'Its data is the JSON API under /v1/dashboard/, the same as in `segmenta serve` (which also serves these pages',
    'at /dashboard/ while it ingests). Without --admin-token the API is open, as suits this machine only; to reach',
    'it from other machines (--host 0.0.0.0), give --admin-token: the page then asks for it.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse('dashboard', argv, { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, 'admin-token': { type: 'string' } });
    const port = intFlag('port', values.port, 8080, 0, 65_535);
    const adminToken = values['admin-token']?.trim();
    if (adminToken === '') throw new InputError(`--admin-token must be a non-empty string (got ${JSON.stringify(values['admin-token'])})`);
    // The service's own check, so a refused token reads the same in both servers.
    const authorize = adminToken === undefined ? {} : { authorize: (req: IncomingMessage) => adminRefusal(req, adminToken) };
    const handle = await startDashboard({ db: values.db ?? DEFAULT_DB, port, host: values.host ?? '127.0.0.1', log: io.err, ...authorize });
    io.out(values.json ? json({ url: handle.url }) : `segmenta dashboard: serving ${handle.url} (read-only${adminToken === undefined ? '' : '; the API needs the admin token'}; Ctrl-C to stop)`);
    await untilStopSignal();
    await handle.close();
    return 0;
  },
};
