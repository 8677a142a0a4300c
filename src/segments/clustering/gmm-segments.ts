/**
 * Gaussian-mixture segments: a full-covariance mixture (EM, models/gmm) in the clustering space, fitted on every
 * customer up to `mixtureSample` rows and on a seeded sample of that many above; each customer's segment is its
 * most probable component, segments numbered by first appearance (a component no customer prefers is dropped).
 * The stored centroids are the segments' member means in the clustering space, so a new customer is placed at the
 * nearest one — which can differ from its most probable component; `placementAgreement` measures how often it
 * does not. k auto: the highest silhouette over kMin..kMax (ties to the smaller k), BIC recorded per k. Cost:
 * O(iterations·s·k·d²) per fit on s rows, plus O(n·k·d²) to label every customer when s < n.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { canonicalRelabel, inertia } from '../../models/metrics/index.js';
import {
  chooseKForMethod, clusterMeans, fitMethod, predictLabels, sampleWithoutReplacement, takeRows, type FittedModel,
} from '../../models/select/index.js';
import { autoKRange, checkFixedK, count, excludedNote, kCandidates, runSilhouette, type MethodFit, type ResolvedOptions } from './method-fit.js';
import type { FitFacts, KCandidate } from './types.js';

export async function fitGmmSegments(x: FeatureMatrix, o: ResolvedOptions): Promise<MethodFit> {
  const sampled = x.rows > o.mixtureSample;
  const fitX = sampled ? takeRows(x, sampleWithoutReplacement(x.rows, o.mixtureSample, createRng(o.seed))) : x;
  let model: FittedModel;
  let candidates: KCandidate[] = [];
  let chosenBy: string;
  if (o.k === 'auto') {
    const [kMin, kMax] = autoKRange(o, fitX.rows);
    const choice = chooseKForMethod(fitX, 'gmm', { kRange: [kMin, kMax], seed: o.seed, silhouetteSample: o.silhouetteSample, tieTolerance: 0 });
    model = choice.model;
    candidates = kCandidates(choice.candidates, 'gmm', null);
    const best = candidates.find((c) => c.k === choice.k);
    const lowestBic = [...candidates].sort((a, b) => a.bic! - b.bic!)[0];
    chosenBy = `highest silhouette ${best ? best.silhouette.toFixed(3) : 'n/a'} among k=${kMin}..${kMax}${lowestBic ? `; the BIC is lowest at k=${lowestBic.k}` : ''}${sampled ? ` (scored on the ${count(fitX.rows)}-customer fitting sample)` : ''}${excludedNote(choice.candidates, 'gmm')}`;
  } else {
    checkFixedK(o.k, fitX.rows);
    model = fitMethod(fitX, { method: 'gmm', k: o.k, seed: o.seed });
    chosenBy = 'given with --k';
  }
  if (model.details.kind !== 'gmm') throw new Error(`unreachable: gmm fit returned ${model.details.kind}`);
  const mixture = model.details.model;
  // Every customer's most probable component; on the fitting rows themselves this is the fit's own labels.
  const labels = sampled ? canonicalRelabel(predictLabels(model, x)) : model.labels;
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= k) k = labels[i]! + 1;
  const zCentroids = sampled ? clusterMeans(x, labels, k).centroids : model.centroids;
  const silhouette = await runSilhouette(x, labels, k, o);
  const within = inertia(x, labels);
  if (o.k !== 'auto') candidates = [{ k: o.k, inertia: within, silhouette, converged: mixture.converged, bic: mixture.bic }];
  if (k < model.k) {
    const empty = model.k - k;
    chosenBy += `; ${empty} of the ${model.k} components ${empty === 1 ? 'is' : 'are'} no customer's most probable, so ${k} segments`;
  }
  const fitFacts: FitFacts = {
    fitRows: fitX.rows,
    sampled,
    mixture: {
      covarianceType: mixture.covarianceType,
      weights: Array.from(mixture.weights),
      means: Array.from(mixture.means),
      covariances: Array.from(mixture.covariances),
      logLikelihood: mixture.logLikelihood,
      bic: mixture.bic,
    },
  };
  return {
    method: 'gmm',
    k,
    labels,
    zCentroids,
    candidates,
    elbowK: null,
    chosenBy,
    silhouette,
    inertia: within,
    converged: mixture.converged,
    iterations: mixture.iterations,
    assignment: `A ${model.k}-component Gaussian mixture (full covariances) was fitted by EM on ${sampled ? `a seeded sample of ${count(fitX.rows)} of ${count(x.rows)} customers` : `all ${count(x.rows)} customers`}; each customer is in the segment of its most probable component. The segments' member means are stored as centroids, and a new customer is placed at the nearest one.`,
    fitFacts,
  };
}
