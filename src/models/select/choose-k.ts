/**
 * k for one method: the highest silhouette over a k range; ties (within 0.01) go to the inertia elbow for
 * K-means (Kneedle on inertia against k), else to the smaller k. No bootstrap: cost is one fit per k.
 */
import type { Progress } from '../../core/progress.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { kneedle } from '../metrics/index.js';
import { resolveKs } from './choose.js';
import { fitMethod } from './fit.js';
import { GRID_DEFAULTS, evaluateGrid, type Candidate } from './grid.js';
import type { ClusterMethod, FittedModel } from './types.js';

export interface ChooseKOptions {
  /** Default [2, 10]. */
  readonly kRange?: readonly [number, number];
  readonly seed?: number;
  readonly sampleForHierarchical?: number;
  readonly silhouetteSample?: number;
  readonly nInit?: number;
  readonly tieTolerance?: number;
  readonly progress?: Progress;
}

export interface KChoice {
  readonly k: number;
  readonly model: FittedModel;
  /** One row per k. */
  readonly candidates: readonly Candidate[];
  /** The inertia elbow (K-means methods), or null. */
  readonly elbowK: number | null;
  readonly explanation: string;
}

/** Chooses k for `method` by silhouette (with the elbow as tie-break for K-means). */
export function chooseKForMethod(m: FeatureMatrix, method: ClusterMethod, options: ChooseKOptions = {}): KChoice {
  assertFinite(m, 'chooseK');
  const ks = resolveKs(options.kRange ?? [2, 10], m.rows, 'chooseK');
  const o = { ...GRID_DEFAULTS, seed: options.seed ?? 0, ...(options.nInit ? { nInit: options.nInit } : {}) };
  const sampleForHierarchical = options.sampleForHierarchical ?? o.sampleForHierarchical;
  const silhouetteSample = options.silhouetteSample ?? o.silhouetteSample;
  const grid = evaluateGrid(m, [method], ks, { ...o, sampleForHierarchical, silhouetteSample, progress: options.progress });
  const eligible = grid.candidates.filter((c) => c.excluded === null);
  const centroidModel = method === 'kmeans' || method === 'minibatch';
  const elbowK = centroidModel && ks.length >= 3 ? kneedle(ks, grid.candidates.map((c) => c.inertia)).knee : null;
  const best = [...eligible].sort((a, b) => b.silhouette! - a.silhouette! || a.k - b.k)[0] ?? grid.candidates[0]!;
  const tie = options.tieTolerance ?? 0.01;
  const tied = eligible.filter((c) => c.silhouette! >= best.silhouette! - tie).sort((a, b) => a.k - b.k);
  const chosen = tied.find((c) => c.k === elbowK) ?? tied[0] ?? best;
  const model = fitMethod(m, { method, k: chosen.k, seed: o.seed, sampleForHierarchical, nInit: o.nInit }, grid.trees.get(method));
  const others = eligible.filter((c) => c !== chosen).sort((a, b) => b.silhouette! - a.silhouette!)[0];
  const explanation = [
    `chose ${method} k=${chosen.k}: silhouette ${chosen.silhouette?.toFixed(2) ?? 'n/a'}${others ? ` (next best k=${others.k}: ${others.silhouette!.toFixed(2)})` : ''}`,
    elbowK !== null ? `inertia elbow at k=${elbowK}${elbowK === chosen.k ? ' (agrees)' : ''}` : centroidModel ? 'no clear inertia elbow' : null,
    `rule: highest silhouette over k=${ks[0]}..${ks[ks.length - 1]}, ties within ${tie} to ${centroidModel ? 'the elbow, else ' : ''}the smaller k`,
  ].filter((p) => p !== null).join('; ');
  return { k: chosen.k, model, candidates: grid.candidates, elbowK, explanation: `${explanation}.` };
}
