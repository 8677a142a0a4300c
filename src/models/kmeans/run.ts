/**
 * One K-means run from given initial centres, scikit-learn's `_kmeans_single_lloyd` step for step: assign, then
 * update; stop when no label changed (strict convergence) or when the squared centre shift total is at most the
 * absolute tolerance; unless strictly converged, a final assignment step makes labels match the final centres.
 */
import { P_FIRST } from './buffers.js';
import { CMD_HAMERLY, CMD_LLOYD } from './kernels.js';
import type { ChunkRunner } from './runner.js';
import type { KMeansAlgorithm } from './types.js';
import { computeHalfSeparation, stepTotals, updateStep, type UpdateScratch } from './update.js';

export interface RunOutcome {
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly history: number[];
}

/** Runs from `init` (k×d); labels and centres are left in the runner's buffers. O(iterations·n·k·d) at worst. */
export function runFromCentres(
  runner: ChunkRunner,
  scratch: UpdateScratch,
  init: Float64Array,
  maxIterations: number,
  absoluteTolerance: number,
  algorithm: KMeansAlgorithm,
): RunOutcome {
  const b = runner.buffers;
  const hamerly = algorithm === 'hamerly';
  const command = hamerly ? CMD_HAMERLY : CMD_LLOYD;
  b.centers.set(init);
  b.labels.fill(-1);
  b.params[P_FIRST] = 1;
  const history: number[] = [];
  let iterations = 0;
  let strict = false;
  let converged = false;
  while (iterations < maxIterations) {
    runner.run(command);
    b.params[P_FIRST] = 0;
    const { inertia, changed } = stepTotals(b);
    history.push(inertia);
    const { shiftTotal, relocated } = updateStep(b, scratch);
    b.centers.set(scratch.next);
    if (hamerly) computeHalfSeparation(b);
    iterations++;
    if (changed === 0 && relocated === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shiftTotal <= absoluteTolerance) {
      converged = true;
      break;
    }
  }
  if (strict) return { inertia: history[history.length - 1]!, iterations, converged, history };
  runner.run(command);
  return { inertia: stepTotals(b).inertia, iterations, converged, history };
}
