import { InputError } from '../../core/errors.js';
import { readLabelsFile, readMatrixFile } from '../../models/io/index.js';
import { clusterMeans, parseScaling, scaleMatrix, scoreLabels } from '../../models/select/index.js';
import { canonicalRelabel } from '../../models/metrics/index.js';
import { intFlag, parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';

export const metricsCommand: Command = {
  summary: 'silhouette, Davies–Bouldin, Calinski–Harabasz and inertia of a labelling of a numeric CSV/Parquet file',
  usage: [
    'segmenta metrics --input X.csv|X.parquet --labels L.csv [--scale zscore|robust|minmax|none (default zscore, as cluster)]',
    '                 [--seed S (default 42, for the silhouette sample above 10,000 rows)] [--json]',
    '',
    'The labels file has columns id,label (matched by id) or a single label column (matched by row).',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse('metrics', argv, { input: { type: 'string' }, labels: { type: 'string' }, scale: { type: 'string', default: 'zscore' }, seed: { type: 'string' } });
    if (!values.input) throw new InputError('segmenta metrics requires --input FILE (.csv or .parquet)');
    if (!values.labels) throw new InputError('segmenta metrics requires --labels FILE (id,label or one label column)');
    const scale = parseScaling(values.scale);
    const seed = intFlag('seed', values.seed, 42);
    const read = await readMatrixFile(values.input);
    const labels = await readLabelsFile(values.labels, read.matrix.ids);
    const m = scaleMatrix(read.matrix, scale);
    const s = scoreLabels(m, labels.labels, { silhouetteSample: 10_000, seed });
    if (s.silhouette === null) {
      throw new InputError(`${values.labels}: the metrics require between 2 and rows − 1 distinct labels (got ${s.clusters} labels, rows=${m.rows})`);
    }
    const canonical = canonicalRelabel(labels.labels);
    const { sizes } = clusterMeans(m, canonical, s.clusters);
    const result = {
      rows: m.rows, k: s.clusters, scale, alignedBy: labels.alignedBy,
      silhouette: s.silhouette, silhouette_rows: s.silhouetteRows, davies_bouldin: s.daviesBouldin, calinski_harabasz: s.calinskiHarabasz, inertia: s.inertia,
      sizes: Array.from(sizes),
    };
    const sampled = s.silhouetteRows < m.rows ? ` (sample of ${s.silhouetteRows.toLocaleString('en-US')} rows)` : '';
    io.out(values.json ? json(result) : [
      `${values.input}: ${m.rows.toLocaleString('en-US')} rows, k=${s.clusters} (labels matched by ${labels.alignedBy}), scaled ${scale}`,
      `silhouette         ${s.silhouette.toFixed(4)}${sampled}`,
      `davies_bouldin     ${s.daviesBouldin!.toFixed(4)}`,
      `calinski_harabasz  ${s.calinskiHarabasz!.toFixed(4)}`,
      `inertia            ${s.inertia.toFixed(4)}`,
    ].join('\n'));
    return 0;
  },
};
