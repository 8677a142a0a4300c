/**
 * Ward segments for a shop of any size: Ward's linkage tree is built on a seeded sample of at most `treeSample`
 * customers (all of them when fewer) in the clustering space and cut at k; the sampled customers keep their tree
 * segment and every other customer joins the segment whose sample centroid is nearest (models/select `fitMethod`,
 * the rule `segmenta cluster --method ward` uses). The centroids stored for placing new customers are those sample
 * centroids — the mean of each segment's sampled members — so the rest of the shop and a new customer go through
 * the same nearest-centroid rule. k auto: the highest silhouette over kMin..kMax (ties to the smaller k), cutting
 * one tree. Cost: O(s²·d) for the tree (about 1.3 s at s = 5,000, d = 12), then O(n·k·d) per k for the assignment
 * and O(m²·d) for each silhouette on m ≤ silhouetteSample rows.
 */
import type { FeatureMatrix } from '../../models/matrix.js';
import { inertia } from '../../models/metrics/index.js';
import { chooseKForMethod, clusterMeans, fitMethod, takeRows, type FittedModel } from '../../models/select/index.js';
import { autoKRange, checkFixedK, count, excludedNote, kCandidates, runSilhouette, type MethodFit, type ResolvedOptions } from './method-fit.js';
import type { KCandidate } from './types.js';

export async function fitWardSegments(x: FeatureMatrix, o: ResolvedOptions): Promise<MethodFit> {
  let model: FittedModel;
  let candidates: KCandidate[] = [];
  let chosenBy: string;
  if (o.k === 'auto') {
    const [kMin, kMax] = autoKRange(o, x.rows);
    const choice = chooseKForMethod(x, 'ward', { kRange: [kMin, kMax], seed: o.seed, sampleForHierarchical: o.treeSample, silhouetteSample: o.silhouetteSample, tieTolerance: 0 });
    model = choice.model;
    candidates = kCandidates(choice.candidates, 'ward', null);
    const best = candidates.find((c) => c.k === choice.k);
    chosenBy = `highest silhouette ${best ? best.silhouette.toFixed(3) : 'n/a'} among k=${kMin}..${kMax} (one Ward tree cut at each k)${excludedNote(choice.candidates, 'ward')}`;
  } else {
    checkFixedK(o.k, x.rows);
    model = fitMethod(x, { method: 'ward', k: o.k, seed: o.seed, sampleForHierarchical: o.treeSample });
    chosenBy = 'given with --k';
  }
  const k = model.clusters;
  const sampleRows = model.details.kind === 'hierarchical' ? model.details.sampleRows : null;
  const zCentroids = sampleRows ? sampleCentroids(x, model.labels, sampleRows, k) : model.centroids;
  const silhouette = await runSilhouette(x, model.labels, k, o);
  const within = inertia(x, model.labels);
  if (o.k !== 'auto') candidates = [{ k: o.k, inertia: within, silhouette, converged: null }];
  if (k < model.k) chosenBy += `; the tree gave ${k} segments at k=${model.k} (tied merge heights)`;
  const assignment = sampleRows
    ? `Ward's tree was built on a seeded sample of ${count(sampleRows.length)} of ${count(x.rows)} customers and cut at k=${k}; the sampled customers keep their tree segment and every other customer joins the segment whose sample centroid (the mean of its sampled members, in the clustering space) is nearest. Those sample centroids are stored, so a new customer is placed by the same nearest-centroid rule.`
    : `Ward's tree was built on all ${count(x.rows)} customers and cut at k=${k}; each customer keeps its tree segment. The segments' member means are stored as centroids, and a new customer is placed at the nearest one.`;
  return {
    method: 'ward',
    k,
    labels: model.labels,
    zCentroids,
    candidates,
    elbowK: null,
    chosenBy,
    silhouette,
    inertia: within,
    converged: true,
    iterations: 0,
    assignment,
    fitFacts: { fitRows: sampleRows ? sampleRows.length : x.rows, sampled: sampleRows !== null },
  };
}

/** Mean of each segment's sampled members: the centroids the other customers were assigned to. O(s·d). */
function sampleCentroids(x: FeatureMatrix, labels: Int32Array, sampleRows: Int32Array, k: number): Float64Array {
  const sampleLabels = new Int32Array(sampleRows.length);
  for (let i = 0; i < sampleRows.length; i++) sampleLabels[i] = labels[sampleRows[i]!]!;
  return clusterMeans(takeRows(x, sampleRows), sampleLabels, k).centroids;
}
