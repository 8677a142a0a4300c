/**
 * Turns one method's fit into the stored segmentation: member means in the features' own units, names from the
 * centroids, and how often the nearest-centroid placement of new customers agrees with the run's own segments.
 */
import type { FeatureMatrix } from '../../models/matrix.js';
import { nearestCentroid } from '../../models/select/index.js';
import { nameClusters } from '../naming/index.js';
import { memberMeans, type ClusteringSpace } from './clustering-space.js';
import type { MethodFit } from './method-fit.js';
import type { CustomerSegmentation, MethodChoice, StoredStability } from './types.js';

export function finishSegmentation(raw: FeatureMatrix, space: ClusteringSpace, fit: MethodFit, extra: { stability: StoredStability | null; methodChoice: MethodChoice | null }): CustomerSegmentation {
  const rawCentroids = memberMeans(raw, fit.labels, fit.k);
  const names = nameClusters({ columns: raw.columns, zCentroids: fit.zCentroids, rawCentroids, k: fit.k });
  const placementAgreement = nearestAgreement(space.x, fit.zCentroids, fit.labels, fit.k);
  // Rounded down, so 100% means every customer.
  const pct = placementAgreement === 1 ? '100' : (Math.floor(1000 * placementAgreement) / 10).toFixed(1);
  return {
    method: fit.method,
    k: fit.k,
    labels: fit.labels,
    candidates: fit.candidates,
    elbowK: fit.elbowK,
    chosenBy: fit.chosenBy,
    transforms: space.transforms,
    transformText: space.transformText,
    zCentroids: fit.zCentroids,
    rawCentroids,
    names,
    silhouette: fit.silhouette,
    inertia: fit.inertia,
    converged: fit.converged,
    iterations: fit.iterations,
    assignment: `${fit.assignment} For ${pct}% of the customers the nearest stored centroid is their own segment's.`,
    placementAgreement,
    fitFacts: fit.fitFacts,
    stability: extra.stability,
    methodChoice: extra.methodChoice,
  };
}

/** Share of rows whose nearest centroid (the placement rule of live updates and `predict segment`) is their label. O(n·k·d). */
function nearestAgreement(x: FeatureMatrix, centroids: Float64Array, labels: Int32Array, k: number): number {
  const nearest = nearestCentroid(x, centroids, k);
  let same = 0;
  for (let i = 0; i < labels.length; i++) if (nearest[i] === labels[i]) same++;
  return labels.length > 0 ? same / labels.length : 1;
}
