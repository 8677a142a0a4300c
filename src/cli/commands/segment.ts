import { createProgress } from '../../core/progress.js';
import { runSegmentation } from '../../pipeline/index.js';
import { loadPlaybook } from '../../strategies/index.js';
import { dateFlag, intFlag, parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';
import { formatRun } from './print-run.js';

export const segmentCommand: Command = {
  summary: 'features → RFM and K-means segments → names → strategies, stored as a run',
  usage: 'segmenta segment [--db FILE] [--k N|auto (default auto: 2..10 by silhouette)] [--seed S (default 42)] [--as-of DATE] [--playbook FILE.yaml|json] [--json]',
  async run(argv, io) {
    const { values } = parse('segment', argv, { k: { type: 'string', default: 'auto' }, seed: { type: 'string' }, 'as-of': { type: 'string' }, playbook: { type: 'string' } });
    const k = values.k === 'auto' ? 'auto' : intFlag('k', values.k, 0, 1, 1000);
    const playbook = values.playbook ? loadPlaybook(values.playbook) : undefined;
    const run = await withStore(values.db, (store) =>
      runSegmentation(store, { k, seed: intFlag('seed', values.seed, 42), asOf: dateFlag('as-of', values['as-of']), playbook, progress: createProgress(io.interactive && !values.json) }),
    );
    io.out(values.json ? json(run) : formatRun(run));
    return 0;
  },
};
