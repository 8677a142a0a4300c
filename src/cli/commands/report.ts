import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { buildReport, type BuiltReport } from '../../dashboard/report/index.js';
import { DEFAULT_DB, parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const reportCommand: Command = {
  summary: 'write the self-contained HTML report (the dashboard\'s charts as SVG; opens from disk, no server)',
  usage: [
    'segmenta report [--out report.html] [--svg-dir DIR] [--db FILE] [--run RUN_ID] [--title TEXT] [--json]',
    '',
    'Writes one HTML file with the dashboard\'s main charts drawn as inline SVG (segment mix and revenue, the',
    'segment × feature heatmap, a radar per segment, the cluster map, the RFM grid, elbow and silhouette by k,',
    'cohort retention and revenue, the journey funnel), the strategy per segment, centroids, predictions and data',
    'quality. It needs no script, server or network: open it from disk, mail it, print it.',
    '--svg-dir DIR also writes each chart as DIR/<chart>.svg, for embedding in slides or documents.',
    '--run RUN_ID reports an older finished run from its stored summary (the charts describe the newest run).',
    'The database is opened read-only.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse('report', argv, {
      out: { type: 'string', default: 'report.html' },
      'svg-dir': { type: 'string' },
      run: { type: 'string' },
      title: { type: 'string' },
    });
    const out = values.out ?? 'report.html';
    const db = values.db ?? DEFAULT_DB;
    // Read-only opening never creates a file; say plainly what is missing rather than DuckDB's message.
    if (db !== ':memory:' && !existsSync(db)) throw new InputError(`no database at ${db}: import data first (segmenta import) or name one with --db FILE`);
    const report = await withStore(db, (store) => buildReport(store, { runId: values.run, title: values.title }), { readOnly: db !== ':memory:' });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, report.html);
    const svgDir = values['svg-dir'];
    const files = svgDir === undefined ? null : writeSvgFiles(svgDir, report);
    if (values.json) {
      io.out(json({
        out, bytes: Buffer.byteLength(report.html), state: report.state, message: report.message, runId: report.runId, svgDir: svgDir ?? null,
        charts: report.charts.map((c, i) => ({ id: c.id, title: c.title, width: c.width, height: c.height, marks: c.marks, file: files?.[i] ?? null })),
      }));
    } else {
      io.out(summary(out, report, svgDir));
    }
    return 0;
  },
};

/** Each chart as `<dir>/<id>.svg` (a standalone SVG document); returns the paths in chart order. */
function writeSvgFiles(dir: string, report: BuiltReport): string[] {
  mkdirSync(dir, { recursive: true });
  return report.charts.map((chart) => {
    const file = join(dir, `${chart.id}.svg`);
    writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${chart.svg}\n`);
    return file;
  });
}

function summary(out: string, report: BuiltReport, svgDir: string | undefined): string {
  const kb = (Buffer.byteLength(report.html) / 1024).toFixed(0);
  const lines = [`wrote ${out} (${kb} KB, ${report.charts.length} charts${report.runId ? `, run ${report.runId}` : ''})`];
  if (svgDir !== undefined) lines.push(`wrote ${report.charts.length} SVG files to ${svgDir}`);
  if (report.message) lines.push(report.message);
  return lines.join('\n');
}
