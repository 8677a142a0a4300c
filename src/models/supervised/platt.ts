/**
 * Platt scaling (Platt, "Probabilistic outputs for support vector machines", 1999), as scikit-learn's sigmoid
 * calibration: P(y = 1 | s) = 1 / (1 + exp(a·s + b)), fitted by weighted log loss against Platt's smoothed targets
 * (N₊+1)/(N₊+2) and 1/(N₋+2). Solved by Newton's method to a gradient of 1e-12 (sklearn's BFGS stops at 1e-5, so
 * its a, b agree to about 1e-4). Use on held-out scores of a model that ranks well but is miscalibrated. O(n) per step.
 */
import { binaryScoreOrder } from './check-scores.js';

export interface PlattScaling {
  readonly a: number;
  readonly b: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Calibrated probability of class 1 for each score. */
  predict(score: Float64Array): Float64Array;
}

export function fitPlatt(score: Float64Array, y: Int32Array, sampleWeight?: Float64Array, maxIterations = 100): PlattScaling {
  binaryScoreOrder('fitPlatt', y, score, sampleWeight);
  let n0 = 0;
  let n1 = 0;
  for (let i = 0; i < y.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (y[i] === 1) n1 += w;
    else n0 += w;
  }
  const hi = (n1 + 1) / (n1 + 2);
  const lo = 1 / (n0 + 2);
  let a = 0;
  let b = Math.log((n0 + 1) / (n1 + 1));
  let converged = false;
  let iterations = 0;
  const objective = (A: number, B: number): number => {
    let f = 0;
    for (let i = 0; i < y.length; i++) {
      const z = A * score[i]! + B; // P = σ(−z)
      const t = y[i] === 1 ? hi : lo;
      // −[t log σ(−z) + (1−t) log σ(z)] = t·softplus(z) + (1−t)·softplus(−z)
      f += (sampleWeight ? sampleWeight[i]! : 1) * (t * softplus(z) + (1 - t) * softplus(-z));
    }
    return f;
  };
  let f = objective(a, b);
  while (iterations < maxIterations) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < y.length; i++) {
      const w = sampleWeight ? sampleWeight[i]! : 1;
      const s = score[i]!;
      const z = a * s + b;
      const q = 1 / (1 + Math.exp(-z)); // 1 − P
      const t = y[i] === 1 ? hi : lo;
      const r = w * (q - (1 - t));
      ga += r * s;
      gb += r;
      const h = w * q * (1 - q);
      haa += h * s * s;
      hab += h * s;
      hbb += h;
    }
    if (Math.max(Math.abs(ga), Math.abs(gb)) <= 1e-12 * (n0 + n1)) {
      converged = true;
      break;
    }
    iterations++;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    let step = 1;
    let fn = objective(a + da, b + db);
    while (fn > f && step > 1e-10) {
      step /= 2;
      fn = objective(a + step * da, b + step * db);
    }
    a += step * da;
    b += step * db;
    f = fn;
  }
  const A = a;
  const B = b;
  return { a: A, b: B, converged, iterations, predict: (s) => Float64Array.from(s, (v) => 1 / (1 + Math.exp(A * v + B))) };
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
