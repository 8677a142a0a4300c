/**
 * L2-penalised logistic regression, binary (one coefficient vector, as sklearn's coef_ of shape (1, d)) and
 * multinomial (softmax with one vector per class). It minimises sklearn's objective
 *   Σᵢ wᵢ · logloss(yᵢ, softmax(W xᵢ + b)) + ‖W‖² / (2C)        (intercepts not penalised)
 * with damped Newton steps (exact Hessian, Cholesky) to a gradient of `tolerance` · Σw, so the coefficients agree
 * with `LogisticRegression(solver='lbfgs', tol=1e-10)` to about 1e-8. In the multinomial case the intercepts are only
 * defined up to a common shift; like sklearn's lbfgs path (started at 0, whose gradients never move their sum) we
 * fix Σₖ bₖ = 0. Cost per iteration O(n · (K(d+1))²) + O((K(d+1))³). Use it as the baseline and when coefficients
 * must be read; standardise X first.
 */
import type { FeatureMatrix } from '../matrix.js';
import { choleskySolve } from './cholesky.js';
import type { Classifier, WeightOptions } from './types.js';
import { argmaxRows, fail, rowWeights, validateClassification, validateNewRows } from './validate.js';

export interface LogisticRegressionOptions extends WeightOptions {
  /** Inverse of the L2 strength, as sklearn's C (default 1). */
  readonly C?: number;
  readonly fitIntercept?: boolean;
  /** Stop when the largest gradient component is at most tolerance · Σw (default 1e-12). */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  readonly nClasses?: number;
}

export interface LogisticRegression extends Classifier {
  readonly kind: 'logistic-regression';
  /** K × d row-major; K = 1 for two classes (the class-1 log-odds), else K = nClasses. */
  readonly coef: Float64Array;
  /** K intercepts (zeros without fitIntercept). */
  readonly intercept: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
  /** Final objective value (weighted log loss sum + penalty). */
  readonly objective: number;
}

interface Problem {
  readonly X: FeatureMatrix;
  readonly y: Int32Array;
  readonly w: Float64Array;
  readonly K: number;
  readonly q: number;
  readonly fi: boolean;
  readonly lambda: number;
}

/** Fits the model; throws InputError for non-finite X, bad labels, a single class or bad options. */
export function fitLogisticRegression(X: FeatureMatrix, y: Int32Array, options: LogisticRegressionOptions = {}): LogisticRegression {
  const who = 'logistic regression';
  const C = validateClassification(who, X, y, options.sampleWeight, options.nClasses);
  const Cpen = options.C ?? 1;
  if (!(Cpen > 0) || !Number.isFinite(Cpen)) fail(`${who} requires C > 0 (got ${Cpen})`, 'C');
  const tol = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) fail(`${who} requires an integer maxIterations >= 1 (got ${maxIterations})`, 'maxIterations');
  const fi = options.fitIntercept ?? true;
  const K = C === 2 ? 1 : C;
  const q = X.cols + (fi ? 1 : 0);
  const w = rowWeights(y, C, options.sampleWeight, options.classWeight);
  let sw = 0;
  for (let i = 0; i < w.length; i++) sw += w[i]!;
  const pr: Problem = { X, y, w, K, q, fi, lambda: 1 / Cpen };
  const P = K * q;
  let theta = new Float64Array(P);
  const g = new Float64Array(P);
  const H = new Float64Array(P * P);
  let f = evaluate(pr, theta, g, H);
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    if (maxAbs(g) <= tol * sw) {
      converged = true;
      break;
    }
    iterations++;
    const step = Float64Array.from(g, (v) => -v);
    if (!choleskySolve(H, step, P)) fail(`${who} requires a positive definite Hessian (got a singular one at iteration ${iterations}; check for constant columns with fitIntercept=false)`, 'X');
    let t = 1;
    let slope = 0;
    for (let j = 0; j < P; j++) slope += g[j]! * step[j]!;
    let next = theta;
    for (let k = 0; k < 60; k++) {
      next = Float64Array.from(theta, (v, j) => v + t * step[j]!);
      const fNext = evaluate(pr, next, null, null);
      if (fNext <= f + 1e-4 * t * slope || Math.abs(fNext - f) <= 1e-15 * Math.abs(f)) break;
      t /= 2;
    }
    theta = next;
    f = evaluate(pr, theta, g, H);
  }
  const d = X.cols;
  const coef = new Float64Array(K * d);
  const intercept = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) coef[k * d + j] = theta[k * q + j]!;
    if (fi) intercept[k] = theta[k * q + d]!;
  }
  const model: LogisticRegression = {
    kind: 'logistic-regression',
    nClasses: C,
    coef,
    intercept,
    converged,
    iterations,
    objective: f,
    predictProba: (Xn) => logisticProba(model, Xn),
    predict: (Xn) => argmaxRows(logisticProba(model, Xn), C),
  };
  return model;
}

/** Class probabilities: σ(x·β + b) for two classes, softmax otherwise. O(n · K · d). */
export function logisticProba(model: LogisticRegression, X: FeatureMatrix): Float64Array {
  const d = model.coef.length / model.intercept.length;
  validateNewRows('logistic regression predictProba', X, d);
  const K = model.intercept.length;
  const C = model.nClasses;
  const out = new Float64Array(X.rows * C);
  const z = new Float64Array(K);
  for (let i = 0; i < X.rows; i++) {
    linear(X.values, i * d, d, model.coef, model.intercept, K, z);
    if (K === 1) {
      const p1 = sigmoid(z[0]!);
      out[i * 2] = 1 - p1;
      out[i * 2 + 1] = p1;
    } else softmax(z, out, i * C);
  }
  return out;
}

function linear(values: Float64Array, off: number, d: number, coef: Float64Array, intercept: Float64Array, K: number, z: Float64Array): void {
  for (let k = 0; k < K; k++) {
    let s = intercept[k]!;
    for (let j = 0; j < d; j++) s += coef[k * d + j]! * values[off + j]!;
    z[k] = s;
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Writes softmax(z) to out[off..]; returns log Σ exp(z). */
function softmax(z: Float64Array, out: Float64Array, off: number): number {
  let m = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k]! > m) m = z[k]!;
  let s = 0;
  for (let k = 0; k < z.length; k++) s += Math.exp(z[k]! - m);
  for (let k = 0; k < z.length; k++) out[off + k] = Math.exp(z[k]! - m) / s;
  return m + Math.log(s);
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]!) > m) m = Math.abs(a[i]!);
  return m;
}

/** Objective; fills the gradient and Hessian when given. Parameters: class k at [k·q, k·q+d), intercept at k·q+d. */
function evaluate(pr: Problem, theta: Float64Array, g: Float64Array | null, H: Float64Array | null): number {
  const { X, y, w, K, q, fi, lambda } = pr;
  const d = X.cols;
  const n = X.rows;
  const P = K * q;
  const vals = X.values;
  const z = new Float64Array(K);
  const p = new Float64Array(K);
  const r = new Float64Array(K);
  if (g) g.fill(0);
  if (H) H.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    const off = i * d;
    for (let k = 0; k < K; k++) {
      let s = fi ? theta[k * q + d]! : 0;
      for (let j = 0; j < d; j++) s += theta[k * q + j]! * vals[off + j]!;
      z[k] = s;
    }
    const yi = y[i]!;
    if (K === 1) {
      const zz = z[0]!;
      const lse = zz > 0 ? zz + Math.log1p(Math.exp(-zz)) : Math.log1p(Math.exp(zz));
      loss += wi * (lse - (yi === 1 ? zz : 0));
      p[0] = sigmoid(zz);
      r[0] = p[0]! - (yi === 1 ? 1 : 0);
    } else {
      const lse = softmax(z, p, 0);
      loss += wi * (lse - z[yi]!);
      for (let k = 0; k < K; k++) r[k] = p[k]! - (k === yi ? 1 : 0);
    }
    if (!g || !H) continue;
    for (let k = 0; k < K; k++) {
      const rk = wi * r[k]!;
      for (let j = 0; j < d; j++) g[k * q + j]! += rk * vals[off + j]!;
      if (fi) g[k * q + d]! += rk;
    }
    // Hessian block (k, l): wi (p_k δ_kl − p_k p_l) x̃ x̃ᵀ; fill the lower triangle, mirror later.
    for (let k = 0; k < K; k++) {
      for (let l = 0; l <= k; l++) {
        const c = K === 1 ? wi * p[0]! * (1 - p[0]!) : wi * ((k === l ? p[k]! : 0) - p[k]! * p[l]!);
        if (c === 0) continue;
        for (let a = 0; a < q; a++) {
          const xa = a < d ? vals[off + a]! : 1;
          const row = (k * q + a) * P + l * q;
          const bMax = k === l ? a : q - 1;
          for (let b = 0; b <= bMax; b++) H[row + b]! += c * xa * (b < d ? vals[off + b]! : 1);
        }
      }
    }
  }
  let pen = 0;
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      const v = theta[k * q + j]!;
      pen += v * v;
      if (g) g[k * q + j]! += lambda * v;
      if (H) H[(k * q + j) * P + k * q + j]! += lambda;
    }
  }
  let f = loss + 0.5 * lambda * pen;
  if (K > 1 && fi) {
    // Gauge: the objective is flat along a common intercept shift; 0.5(Σb)² picks Σb = 0 without moving probabilities.
    let sb = 0;
    for (let k = 0; k < K; k++) sb += theta[k * q + d]!;
    f += 0.5 * sb * sb;
    for (let k = 0; k < K; k++) {
      if (g) g[k * q + d]! += sb;
      if (H) for (let l = 0; l <= k; l++) H[(k * q + d) * P + l * q + d]! += 1;
    }
  }
  if (H) for (let a = 0; a < P; a++) for (let b = a + 1; b < P; b++) H[a * P + b] = H[b * P + a]!;
  return f;
}
