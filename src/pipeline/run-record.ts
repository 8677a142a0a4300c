/**
 * The JSON a segmentation run stores in `segment_runs`: `params` (what was asked), `model` (what places a customer:
 * columns, transforms, centroids in the clustering space, names, imputation; plus how the model was fitted) and
 * `metrics` (silhouette, the k candidates, stability, and for `--method auto` the comparison table). Readers —
 * segment placement and live updates (`loadRunModel`), the dashboard, the report — read `model.centroids` as k ×
 * columns in the clustering space whatever the method, and place a customer at the nearest one.
 */
import type { FeatureMatrixRead } from '../features/index.js';
import type { CustomerSegmentation, SegmentMethodChoice } from '../segments/clustering/index.js';

export interface RunParams {
  readonly k: number | 'auto';
  readonly method: SegmentMethodChoice;
  readonly asOf: Date;
  readonly treeSample?: number;
  readonly stability?: number;
}

export function runParamsJson(params: RunParams, read: FeatureMatrixRead): string {
  return JSON.stringify({
    k: params.k,
    method: params.method,
    asOf: params.asOf.toISOString(),
    features: read.matrix.columns,
    ...(params.treeSample !== undefined ? { treeSample: params.treeSample } : {}),
    ...(params.stability ? { stability: params.stability } : {}),
  });
}

export function runModelJson(seg: CustomerSegmentation, read: FeatureMatrixRead): string {
  return JSON.stringify({
    columns: read.matrix.columns,
    transforms: seg.transforms.map(paramsToJson),
    centroids: Array.from(seg.zCentroids),
    names: seg.names,
    imputation: read.rules,
    fit: {
      method: seg.method,
      rows: seg.fitFacts.fitRows,
      sampled: seg.fitFacts.sampled,
      // Ward on a sample: the means of the sampled members, the centroids the rest of the shop was assigned to.
      centroids: seg.method === 'ward' && seg.fitFacts.sampled ? 'sample member means' : seg.method === 'kmeans' ? 'k-means centroids' : 'member means',
      assignment: seg.assignment,
    },
    ...(seg.fitFacts.mixture ? { mixture: seg.fitFacts.mixture } : {}),
  });
}

export function runMetricsJson(seg: CustomerSegmentation): string {
  return JSON.stringify({
    silhouette: seg.silhouette,
    inertia: seg.inertia,
    candidates: seg.candidates,
    elbowK: seg.elbowK,
    converged: seg.converged,
    iterations: seg.iterations,
    chosenBy: seg.chosenBy,
    placementAgreement: seg.placementAgreement,
    ...(seg.stability ? { stability: seg.stability } : {}),
    ...(seg.methodChoice ? { methodChoice: seg.methodChoice } : {}),
  });
}

function paramsToJson(p: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) out[key] = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
  return out;
}
