/**
 * K-means segments: choose k (silhouette over a k range, with the elbow shown) or take it as given, and fit
 * K-means with k-means++ and restarts on every customer. Deterministic by seed. Cost: (kMax − kMin + 1) K-means
 * fits of `scanInit` restarts plus one sampled silhouette each, then one fit of `nInit` restarts for the chosen k.
 */
import type { FeatureMatrix } from '../../models/matrix.js';
import { kmeans, type KMeansResult } from '../../models/kmeans/index.js';
import { kneedle } from '../../models/metrics/index.js';
import { autoKRange, checkFixedK, runSilhouette, type MethodFit, type ResolvedOptions } from './method-fit.js';
import type { KCandidate } from './types.js';

export async function fitKmeansSegments(x: FeatureMatrix, o: ResolvedOptions): Promise<MethodFit> {
  const nInit = o.nInit;
  const scanInit = Math.min(o.scanInit, nInit);
  const fitK = (k: number, restarts = nInit) => kmeans(x, { k, seed: o.seed, nInit: restarts });
  const score = (fit: KMeansResult, k: number) => runSilhouette(x, fit.labels, k, o);

  let candidates: KCandidate[] = [];
  let best: { k: number; fit: KMeansResult; silhouette: number } | undefined;
  let chosenBy: string;
  let elbowK: number | null = null;
  if (o.k === 'auto') {
    const [kMin, kMax] = autoKRange(o, x.rows);
    for (let k = kMin; k <= kMax; k++) {
      const fit = fitK(k, scanInit);
      const silhouette = await score(fit, k);
      candidates.push({ k, inertia: fit.inertia, silhouette, converged: fit.converged });
      if (!best || silhouette > best.silhouette) best = { k, fit, silhouette };
    }
    if (candidates.length >= 3) {
      elbowK = kneedle(candidates.map((c) => c.k), candidates.map((c) => c.inertia)).knee;
    }
    chosenBy = `highest silhouette ${best!.silhouette.toFixed(3)} among k=${kMin}..${kMax}${elbowK !== null ? `; the inertia elbow is at k=${elbowK}` : ''}`;
    if (scanInit < nInit) {
      // The final fit keeps the better of the scan's fit and the full restarts (both from the same seed).
      const fit = fitK(best!.k);
      if (fit.inertia <= best!.fit.inertia) best = { k: best!.k, fit, silhouette: await score(fit, best!.k) };
      chosenBy += `; the scan used ${scanInit} restarts per k, the chosen k ${nInit}`;
    }
  } else {
    const k = o.k;
    checkFixedK(k, x.rows);
    const fit = fitK(k);
    const silhouette = await score(fit, k);
    best = { k, fit, silhouette };
    candidates = [{ k, inertia: fit.inertia, silhouette, converged: fit.converged }];
    chosenBy = 'given with --k';
  }
  const { k, fit, silhouette } = best!;
  return {
    method: 'kmeans',
    k,
    labels: fit.labels,
    zCentroids: fit.centroids,
    candidates,
    elbowK,
    chosenBy,
    silhouette,
    inertia: fit.inertia,
    converged: fit.converged,
    iterations: fit.iterations,
    assignment: `K-means on all ${x.rows.toLocaleString('en-US')} customers: each customer is in the segment of its nearest centroid, and a new customer is placed at the nearest stored centroid by the same rule.`,
    fitFacts: { fitRows: x.rows, sampled: false },
  };
}
