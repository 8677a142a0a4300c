import { qualityReport, formatQualityReport } from '../../features/cleaning/index.js';
import { dateFlag, parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const qualityCommand: Command = {
  summary: 'data-quality report: each cleaning rule, the rows it affects, examples',
  usage: 'segmenta quality [--db FILE] [--as-of DATE] [--json]',
  async run(argv, io) {
    const { values } = parse('quality', argv, { 'as-of': { type: 'string' } });
    const report = await withStore(values.db, (store) => qualityReport(store, dateFlag('as-of', values['as-of'])));
    io.out(values.json ? json(report) : formatQualityReport(report));
    return 0;
  },
};
