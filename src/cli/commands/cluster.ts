import { writeFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { createProgress, type Progress } from '../../core/progress.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { readMatrixFile } from '../../models/io/index.js';
import {
  CLUSTER_METHODS, chooseKForMethod, chooseModel, fitMethod, parseScaling, scaleMatrix, scoreLabels,
  type Candidate, type ClusterMethod, type FittedModel,
} from '../../models/select/index.js';
import { intFlag, parse } from '../args.js';
import { json, table } from '../output.js';
import type { Command } from './command.js';

const METHODS = [...CLUSTER_METHODS, 'auto'] as const;
type MethodFlag = (typeof METHODS)[number];

interface Outcome {
  readonly model: FittedModel;
  readonly explanation: string | null;
  readonly candidates: readonly Candidate[] | null;
}

export const clusterCommand: Command = {
  summary: 'cluster a numeric CSV/Parquet file: one method or --method auto (compares methods, k and stability)',
  usage: [
    'segmenta cluster --input X.csv|X.parquet [--method kmeans|minibatch|ward|complete|average|single|gmm|auto (default auto)]',
    '                 [--k N|auto (default auto: 2..10)] [--seed S (default 42)] [--scale zscore|robust|minmax|none (default zscore)]',
    '                 [--labels-out labels.csv] [--resamples N (default 10)] [--sample N (tree rows, default 5000)] [--json]',
    '',
    'Every column must be numeric except an optional `id` column, which is carried to the labels file (id,label);',
    'without one, ids are the 1-based data row numbers.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse('cluster', argv, {
      input: { type: 'string' }, method: { type: 'string', default: 'auto' }, k: { type: 'string', default: 'auto' },
      seed: { type: 'string' }, scale: { type: 'string', default: 'zscore' }, 'labels-out': { type: 'string' },
      resamples: { type: 'string' }, sample: { type: 'string' },
    });
    if (!values.input) throw new InputError('segmenta cluster requires --input FILE (.csv or .parquet)');
    const method = parseMethod(values.method);
    const k = values.k === 'auto' ? 'auto' : intFlag('k', values.k, 0, 1, 1_000_000);
    const seed = intFlag('seed', values.seed, 42);
    const scale = parseScaling(values.scale);
    const resamples = intFlag('resamples', values.resamples, 10, 1, 1000);
    const sample = intFlag('sample', values.sample, 5000, 2, 50_000);
    const read = await readMatrixFile(values.input);
    if (k !== 'auto' && k > read.matrix.rows) {
      throw new InputError(`--k must be at most the number of rows of ${values.input} (got k=${k}, rows=${read.matrix.rows})`, [{ path: 'k', message: `got ${k}` }]);
    }
    const m = scaleMatrix(read.matrix, scale);
    const progress = createProgress(io.interactive && !values.json);
    const outcome = cluster(m, method, k, { seed, resamples, sample, progress });
    progress.done();
    const scores = scoreLabels(m, outcome.model.labels, { silhouetteSample: 10_000, seed });
    if (values['labels-out']) writeLabels(values['labels-out'], read.matrix.ids, outcome.model.labels);
    const summary = {
      input: values.input, rows: m.rows, cols: m.cols, columns: m.columns, idColumn: read.idColumn, scale, seed,
      method: outcome.model.method, k: outcome.model.clusters, sizes: Array.from(outcome.model.sizes),
      metrics: { silhouette: scores.silhouette, silhouette_rows: scores.silhouetteRows, davies_bouldin: scores.daviesBouldin, calinski_harabasz: scores.calinskiHarabasz, inertia: scores.inertia },
      explanation: outcome.explanation, candidates: outcome.candidates, labelsOut: values['labels-out'] ?? null,
    };
    io.out(values.json ? json(summary) : formatSummary(summary));
    return 0;
  },
};

function parseMethod(value: string): MethodFlag {
  if (!(METHODS as readonly string[]).includes(value)) throw new InputError(`--method must be one of ${METHODS.join(', ')} (got ${JSON.stringify(value)})`);
  return value as MethodFlag;
}

function cluster(m: FeatureMatrix, method: MethodFlag, k: number | 'auto', o: { seed: number; resamples: number; sample: number; progress: Progress }): Outcome {
  if (method === 'auto') {
    const choice = chooseModel(m, { kRange: k === 'auto' ? [2, 10] : k, seed: o.seed, resamples: o.resamples, sampleForHierarchical: o.sample, progress: o.progress });
    return { model: choice.model, explanation: choice.explanation, candidates: choice.candidates };
  }
  if (k === 'auto') {
    const choice = chooseKForMethod(m, method as ClusterMethod, { seed: o.seed, sampleForHierarchical: o.sample, progress: o.progress });
    return { model: choice.model, explanation: choice.explanation, candidates: choice.candidates };
  }
  o.progress.phase(method, 1);
  const model = fitMethod(m, { method, k, seed: o.seed, sampleForHierarchical: o.sample });
  o.progress.update(1);
  const note = model.details.kind === 'hierarchical' && model.details.sampleRows
    ? `${method} tree built on a sample of ${model.details.sampleRows.length.toLocaleString('en-US')} of ${m.rows.toLocaleString('en-US')} rows, the rest assigned to the nearest cluster mean.`
    : null;
  return { model, explanation: note, candidates: null };
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeLabels(file: string, ids: readonly string[], labels: Int32Array): void {
  const lines = new Array<string>(labels.length + 1);
  lines[0] = 'id,label';
  for (let i = 0; i < labels.length; i++) lines[i + 1] = `${csvCell(ids[i]!)},${labels[i]!}`;
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const f3 = (v: number | null): string => (v === null ? '–' : v.toFixed(3));

function formatSummary(s: {
  input: string; rows: number; cols: number; scale: string; method: string; k: number; sizes: number[];
  metrics: { silhouette: number | null; silhouette_rows: number; davies_bouldin: number | null; calinski_harabasz: number | null; inertia: number };
  explanation: string | null; candidates: readonly Candidate[] | null; labelsOut: string | null;
}): string {
  const sampled = s.metrics.silhouette_rows < s.rows ? ` (on a sample of ${s.metrics.silhouette_rows.toLocaleString('en-US')} rows)` : '';
  const lines = [
    `${s.input}: ${s.rows.toLocaleString('en-US')} rows × ${s.cols} columns, scaled ${s.scale}`,
    `${s.method} k=${s.k}: silhouette ${f3(s.metrics.silhouette)}${sampled} · Davies–Bouldin ${f3(s.metrics.davies_bouldin)} · Calinski–Harabasz ${f3(s.metrics.calinski_harabasz)} · inertia ${s.metrics.inertia.toFixed(1)}`,
    `sizes: ${s.sizes.map((n, c) => `${c}: ${n.toLocaleString('en-US')}`).join(', ')}`,
  ];
  if (s.explanation) lines.push('', s.explanation);
  if (s.candidates) {
    lines.push('', table(
      ['method', 'k', 'silhouette', 'davies-bouldin', 'calinski-h.', 'bic', 'stability', 'note'],
      s.candidates.map((c) => [c.method, c.k, f3(c.silhouette), f3(c.daviesBouldin), c.calinskiHarabasz === null ? '–' : c.calinskiHarabasz.toFixed(0), c.bic === null ? '–' : c.bic.toFixed(0), c.stability ? `${c.stability.mean.toFixed(2)} ± ${c.stability.std.toFixed(2)}` : '–', c.excluded ?? '']),
    ));
  }
  if (s.labelsOut) lines.push('', `labels written to ${s.labelsOut} (id,label)`);
  return lines.join('\n');
}
