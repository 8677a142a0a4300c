/**
 * The "why this model" page: the k candidates (inertia and silhouette per k), the chosen k and the rule that chose
 * it, the elbow, the silhouette per cluster on a seeded sample, stability when the run stored it, and a dendrogram
 * when a hierarchical method ran.
 */
import { linkage, LINKAGE_METHODS, type LinkageMethod } from '../../models/hierarchical/index.js';
import { createMatrix } from '../../models/matrix.js';
import { silhouetteByCluster } from '../../models/metrics/index.js';
import type { Store } from '../../store/db.js';
import { sampleClusteringSpace, type ClusteringSample } from './clustering-sample.js';
import { finiteOrNull } from './numbers.js';
import { keyOnly, loadRunState, pageState, segmentKey, tableColumns, type LoadedRun } from './run-state.js';
import { numberArray, parseJsonObject } from './stored-json.js';
import type { ClusterSilhouetteRow, Dendrogram, KCandidateRow, ModelChoicePayload } from './types.js';

/** Leaves of a dendrogram computed for the page (a tree of more leaves cannot be read on screen). */
export const DENDROGRAM_LEAVES = 200;

/** Run methods that are hierarchical (a dendrogram exists). */
const HIERARCHICAL = new Set<string>(['hierarchical', 'agglomerative', ...LINKAGE_METHODS]);

/**
 * The model-choice payload. Cost: the stored JSON, one sample of ≤ 5,000 customers and its exact silhouette
 * (O(n²·d), about 0.2 s at 5,000 × 12), plus a ward linkage of ≤ 200 rows when hierarchical.
 */
export async function modelChoice(store: Store): Promise<ModelChoicePayload> {
  const rs = await loadRunState(store);
  const base = pageState(rs);
  const run = rs.latest;
  if (!run) {
    return { ...base, run: null, method: null, candidates: [], chosenK: null, chosenBy: null, elbowK: null, silhouette: null, perCluster: [], silhouetteSample: null, stability: null, dendrogram: null };
  }
  const metrics = run.metrics;
  const kChoice = parseJsonObject(run.summary.kChoice);
  const candidates: KCandidateRow[] = (Array.isArray(metrics.candidates) ? metrics.candidates : Array.isArray(kChoice.candidates) ? kChoice.candidates : [])
    .map((c) => parseJsonObject(c))
    .filter((c) => finiteOrNull(c.k) !== null)
    .map((c) => ({ k: finiteOrNull(c.k)!, inertia: finiteOrNull(c.inertia), silhouette: finiteOrNull(c.silhouette) }))
    .sort((a, b) => a.k - b.k);
  const featureColumns = await tableColumns(store, 'customer_features');
  const sample = featureColumns.length > 0 ? await sampleClusteringSpace(store, run, featureColumns) : null;
  const chosenBy = typeof kChoice.reason === 'string' ? kChoice.reason : typeof metrics.chosenBy === 'string' ? metrics.chosenBy : null;
  return {
    ...base,
    run: run.ref,
    method: run.ref.method,
    candidates,
    chosenK: run.ref.k,
    chosenBy,
    elbowK: finiteOrNull(metrics.elbowK ?? kChoice.elbowK),
    silhouette: finiteOrNull(metrics.silhouette ?? run.summary.silhouette),
    perCluster: sample ? perClusterSilhouette(run, sample) : [],
    silhouetteSample: sample ? { size: sample.matrix.rows, seed: sample.seed } : null,
    stability: metrics.stability ?? run.summary.stability ?? null,
    dendrogram: dendrogram(run, sample),
  };
}

/** Mean silhouette of each cluster's sampled members; null for all when fewer than 2 clusters are sampled. */
function perClusterSilhouette(run: LoadedRun, sample: ClusteringSample): ClusterSilhouetteRow[] {
  const distinct = new Set(sample.labels);
  const clusters = [...new Set([...run.segments.map((s) => s.cluster), ...distinct])].sort((a, b) => a - b);
  let means = new Map<number, number>();
  if (distinct.size >= 2 && sample.matrix.rows > distinct.size) {
    const bc = silhouetteByCluster(sample.matrix, sample.labels);
    means = new Map(Array.from(bc.labels, (label, c) => [label, bc.means[c]!]));
  }
  const counts = new Map<number, number>();
  for (const label of sample.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return clusters.map((cluster) => ({
    ...keyOnly(segmentKey(run, cluster)),
    sampled: counts.get(cluster) ?? 0,
    silhouette: finiteOrNull(means.get(cluster)),
  }));
}

/** The stored linkage (model.linkage / metrics.dendrogram), else a ward tree of the sample's first rows; null unless hierarchical. */
function dendrogram(run: LoadedRun, sample: ClusteringSample | null): Dendrogram | null {
  const stored = parseJsonObject(run.model.linkage ?? run.metrics.dendrogram);
  const Z = numberArray(stored.Z);
  if (Z && Z.length % 4 === 0 && Z.length > 0) {
    const merges = Array.from({ length: Z.length / 4 }, (_, i) => [Z[4 * i]!, Z[4 * i + 1]!, Z[4 * i + 2]!, Z[4 * i + 3]!] as const);
    return { method: typeof stored.method === 'string' ? stored.method : run.ref.method, leaves: merges.length + 1, merges, leafClusters: null };
  }
  if (!HIERARCHICAL.has(run.ref.method) || !sample || sample.matrix.rows < 2) return null;
  const rows = Math.min(DENDROGRAM_LEAVES, sample.matrix.rows);
  const m = sample.matrix;
  const head = createMatrix(m.values.slice(0, rows * m.cols), rows, m.cols, m.ids.slice(0, rows), m.columns);
  const method: LinkageMethod = (LINKAGE_METHODS as readonly string[]).includes(run.ref.method) ? (run.ref.method as LinkageMethod) : 'ward';
  const tree = linkage(head, { method });
  const merges = Array.from({ length: tree.rows - 1 }, (_, i) => [tree.Z[4 * i]!, tree.Z[4 * i + 1]!, tree.Z[4 * i + 2]!, tree.Z[4 * i + 3]!] as const);
  return { method, leaves: tree.rows, merges, leafClusters: Array.from(sample.labels.subarray(0, rows)) };
}
