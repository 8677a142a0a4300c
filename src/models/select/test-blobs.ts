/** Well-separated Gaussian blobs for the scenario tests: centre c sits 10·(1 + ⌊c/d⌋) along axis c mod d. */
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';

export function blobs(rows: number, k: number, cols: number, seed: number, spread = 0.5): { m: FeatureMatrix; truth: Int32Array } {
  const rng = createRng(seed);
  const values = new Float64Array(rows * cols);
  const truth = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % k;
    truth[i] = c;
    for (let j = 0; j < cols; j++) values[i * cols + j] = (j === c % cols ? 10 * (1 + Math.floor(c / cols)) : 0) + rng.normal() * spread;
  }
  return { m: createMatrix(values, rows, cols), truth };
}
