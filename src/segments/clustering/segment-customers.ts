/**
 * Customer segmentation in business terms: transform the feature matrix into the clustering space (log1p for
 * skewed columns, winsorise, z-score), segment with K-means (default), Ward's linkage on a sample, a Gaussian
 * mixture, or `auto` (compare the three), optionally measure bootstrap stability, and name each segment from its
 * centroid. Everything is deterministic by seed. Cost: see each method's module; stability adds `stability`
 * refits (stability.ts).
 */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { fitAutoSegments, type SegmentFitter } from './auto-segments.js';
import { scaleForClustering } from './clustering-space.js';
import { finishSegmentation } from './finish.js';
import { fitGmmSegments } from './gmm-segments.js';
import { fitKmeansSegments } from './kmeans-segments.js';
import type { MethodFit, ResolvedOptions } from './method-fit.js';
import { segmentStability } from './stability.js';
import { SEGMENT_DEFAULTS, SEGMENT_METHOD_CHOICES, type CustomerSegmentation, type MethodChoice, type SegmentCustomersOptions, type SegmentMethod, type StoredStability } from './types.js';
import { fitWardSegments } from './ward-segments.js';

const FITTERS: Readonly<Record<SegmentMethod, (x: FeatureMatrix, o: ResolvedOptions) => Promise<MethodFit>>> = {
  kmeans: fitKmeansSegments,
  ward: fitWardSegments,
  gmm: fitGmmSegments,
};

const fitOne: SegmentFitter = (method, x, o) => FITTERS[method](x, o);

export async function segmentCustomers(raw: FeatureMatrix, options: SegmentCustomersOptions): Promise<CustomerSegmentation> {
  if (raw.rows < 2) throw new InputError(`segmentation requires at least 2 customers (got ${raw.rows})`);
  const method = options.method ?? SEGMENT_DEFAULTS.method;
  if (!(SEGMENT_METHOD_CHOICES as readonly string[]).includes(method)) {
    throw new InputError(`segmentation method must be one of ${SEGMENT_METHOD_CHOICES.join(', ')} (got ${JSON.stringify(method)})`);
  }
  const o = resolveOptions(options);
  const space = scaleForClustering(raw);
  let fit: MethodFit;
  let stability: StoredStability | null = null;
  let methodChoice: MethodChoice | null = null;
  if (method === 'auto') {
    const auto = await fitAutoSegments(space.x, o, fitOne);
    ({ fit, stability } = auto);
    methodChoice = auto.choice;
  } else {
    fit = await fitOne(method, space.x, o);
  }
  // One segment has nothing to be stable about (the ARI of two one-cluster partitions is undefined).
  if (o.stability > 0 && fit.k >= 2) stability = segmentStability(space.x, fit.method, fit.labels, fit.k, o);
  return finishSegmentation(raw, space, fit, { stability, methodChoice });
}

function resolveOptions(options: SegmentCustomersOptions): ResolvedOptions {
  const positive = (name: string, value: number | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) throw new InputError(`segmentation option ${name} must be a whole number ≥ ${min} (got ${value})`);
    return value;
  };
  const nInit = positive('nInit', options.nInit, 10, 1);
  return {
    k: options.k,
    seed: options.seed,
    kMin: positive('kMin', options.kMin, 2, 1),
    kMax: positive('kMax', options.kMax, 10, 1),
    nInit,
    scanInit: Math.min(positive('scanInit', options.scanInit, 3, 1), nInit),
    silhouetteSample: positive('silhouetteSample', options.silhouetteSample, 5000, 2),
    treeSample: positive('treeSample', options.treeSample, SEGMENT_DEFAULTS.treeSample, 2),
    mixtureSample: positive('mixtureSample', options.mixtureSample, SEGMENT_DEFAULTS.mixtureSample, 2),
    compareSample: positive('compareSample', options.compareSample, SEGMENT_DEFAULTS.compareSample, 3),
    stability: positive('stability', options.stability, 0, 0),
    stabilitySample: positive('stabilitySample', options.stabilitySample, SEGMENT_DEFAULTS.stabilitySample, 3),
  };
}
