import { writeFileSync } from 'node:fs';
import { renderReport } from '../../dashboard/report/index.js';
import { formatQualityReport, qualityReport } from '../../features/cleaning/index.js';
import { loadRunSummary } from '../../pipeline/index.js';
import { loadPredictionSummary } from '../../pipeline/predict/index.js';
import { parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const reportCommand: Command = {
  summary: 'write the self-contained HTML report of the latest run',
  usage: 'segmenta report --out report.html [--db FILE] [--run RUN_ID] [--json]',
  async run(argv, io) {
    const { values } = parse('report', argv, { out: { type: 'string', default: 'report.html' }, run: { type: 'string' } });
    const out = values.out ?? 'report.html';
    const html = await withStore(values.db, async (store) => {
      const run = await loadRunSummary(store, values.run);
      return renderReport(run, { quality: formatQualityReport(await qualityReport(store)), predictions: await loadPredictionSummary(store, run.runId) });
    });
    writeFileSync(out, html);
    io.out(values.json ? json({ out, bytes: html.length }) : `wrote ${out}`);
    return 0;
  },
};
