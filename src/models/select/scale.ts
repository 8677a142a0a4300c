/** The scalings the cluster and metrics commands offer, by name, applied before any distance is measured. */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../matrix.js';
import { fitMinMax, fitRobust, fitZScore } from '../preprocess/index.js';

export const SCALINGS = ['zscore', 'robust', 'minmax', 'none'] as const;
export type Scaling = (typeof SCALINGS)[number];

/** Parses a scaling name (e.g. a `--scale` flag), naming the allowed values on error. */
export function parseScaling(value: string, flag = '--scale'): Scaling {
  if (!(SCALINGS as readonly string[]).includes(value)) throw new InputError(`${flag} must be one of ${SCALINGS.join(', ')} (got ${JSON.stringify(value)})`);
  return value as Scaling;
}

/** Returns `m` scaled by `scaling` (`none` returns it unchanged). O(n·d); robust O(n log n·d). */
export function scaleMatrix(m: FeatureMatrix, scaling: Scaling): FeatureMatrix {
  if (scaling === 'zscore') return fitZScore(m).matrix;
  if (scaling === 'robust') return fitRobust(m).matrix;
  if (scaling === 'minmax') return fitMinMax(m).matrix;
  return m;
}
