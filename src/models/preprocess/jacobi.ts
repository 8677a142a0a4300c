/**
 * Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method (Golub & Van Loan, "Matrix
 * Computations", §8.5; rotations as in Numerical Recipes' `jacobi`). Accurate to working precision, simple, and
 * fast enough for feature covariances (d up to a few hundred). O(d³) per sweep; converges quadratically.
 */

export interface EigenResult {
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as rows (d×d, row-major), in the order of `values`. */
  readonly vectors: Float64Array;
  readonly sweeps: number;
  readonly converged: boolean;
}

/** Decomposes the symmetric d×d matrix `a` (row-major; not modified). */
export function symmetricEigen(a: Float64Array, d: number, maxSweeps = 100): EigenResult {
  const m = a.slice();
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let norm = 0;
  for (let i = 0; i < d * d; i++) norm += m[i]! * m[i]!;
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! * m[p * d + q]!;
    if (off <= 1e-30 * norm || off === 0) {
      converged = true;
      break;
    }
    sweeps++;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const theta = (m[q * d + q]! - m[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(m, v, d, p, q, c, s);
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j]! - m[i * d + i]! || i - j);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    values[dst] = m[src * d + src]!;
    for (let r = 0; r < d; r++) vectors[dst * d + r] = v[r * d + src]!;
  });
  return { values, vectors, sweeps, converged };
}

/** Applies the rotation J(p,q,θ) on both sides of m (m ← JᵀmJ) and accumulates v ← vJ. */
function rotate(m: Float64Array, v: Float64Array, d: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < d; k++) {
    const mkp = m[k * d + p]!;
    const mkq = m[k * d + q]!;
    m[k * d + p] = c * mkp - s * mkq;
    m[k * d + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < d; k++) {
    const mpk = m[p * d + k]!;
    const mqk = m[q * d + k]!;
    m[p * d + k] = c * mpk - s * mqk;
    m[q * d + k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p]!;
    const vkq = v[k * d + q]!;
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}
