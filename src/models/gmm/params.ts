/**
 * The M-step of the mixture: turns accumulated sufficient statistics into weights, means, covariances and the
 * Cholesky factors of the precisions, following sklearn.mixture._gaussian_mixture (nk + 10·eps, reg_covar on
 * the diagonal, precision factor U = L⁻ᵀ for covariance L·Lᵀ). Cost: O(k·d³).
 */
import { InputError } from '../../core/errors.js';
import type { CovarianceType } from './types.js';

const EPS10 = 10 * Number.EPSILON;

/** Parameters in the layout the EM kernels read. */
export interface Params {
  readonly type: CovarianceType;
  readonly k: number;
  readonly d: number;
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
  readonly means: Float64Array;
  readonly covariances: Float64Array;
  readonly precChol: Float64Array;
  /** log det of each component's precision factor (sum of log of its diagonal). */
  readonly logDet: Float64Array;
}

/**
 * Sums over rows, each centred on a per-component reference point `ref` (the previous means) so that the
 * covariance does not lose precision by cancellation: nk = Σr, sx = Σr·(x−ref), sxx = Σr·(x−ref)(x−ref)ᵀ
 * (upper triangle for full/tied, the diagonal for diag/spherical).
 */
export interface Stats {
  readonly nk: Float64Array;
  readonly sx: Float64Array;
  readonly sxx: Float64Array;
  readonly ref: Float64Array;
}

/** Allocates zeroed statistics for `k` components in `d` dimensions. */
export function createStats(type: CovarianceType, k: number, d: number, ref: Float64Array): Stats {
  const square = type === 'full' || type === 'tied';
  return { nk: new Float64Array(k), sx: new Float64Array(k * d), sxx: new Float64Array(square ? k * d * d : k * d), ref };
}

/** Covariance size for a type: full k·d², diag k·d, spherical k, tied d². */
export function covarianceLength(type: CovarianceType, k: number, d: number): number {
  return type === 'full' ? k * d * d : type === 'diag' ? k * d : type === 'spherical' ? k : d * d;
}

/** The M-step: parameters from statistics. Throws an InputError when a covariance is not positive definite. */
export function paramsFromStats(type: CovarianceType, k: number, d: number, s: Stats, regCovar: number): Params {
  const nk = new Float64Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) {
    nk[c] = s.nk[c]! + EPS10;
    total += nk[c]!;
  }
  const weights = new Float64Array(k);
  const logWeights = new Float64Array(k);
  const means = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    weights[c] = nk[c]! / total;
    logWeights[c] = Math.log(weights[c]!);
    for (let j = 0; j < d; j++) means[c * d + j] = s.ref[c * d + j]! + s.sx[c * d + j]! / nk[c]!;
  }
  const covariances = new Float64Array(covarianceLength(type, k, d));
  if (type === 'full' || type === 'tied') {
    const dd = d * d;
    for (let c = 0; c < k; c++) {
      const out = type === 'full' ? c * dd : 0;
      const scale = type === 'full' ? 1 / nk[c]! : 1 / total;
      for (let a = 0; a < d; a++) {
        const sa = s.sx[c * d + a]!;
        for (let b = a; b < d; b++) {
          const v = (s.sxx[c * dd + a * d + b]! - (sa * s.sx[c * d + b]!) / nk[c]!) * scale;
          covariances[out + a * d + b]! += v;
        }
      }
    }
    const blocks = type === 'full' ? k : 1;
    for (let c = 0; c < blocks; c++) {
      const o = c * dd;
      for (let a = 0; a < d; a++) {
        covariances[o + a * d + a]! += regCovar;
        for (let b = a + 1; b < d; b++) covariances[o + b * d + a] = covariances[o + a * d + b]!;
      }
    }
  } else {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const sj = s.sx[c * d + j]!;
        const v = (s.sxx[c * d + j]! - (sj * sj) / nk[c]!) / nk[c]! + regCovar;
        if (type === 'diag') covariances[c * d + j] = v;
        sum += v;
      }
      if (type === 'spherical') covariances[c] = sum / d;
    }
  }
  const { precChol, logDet } = precisionCholesky(type, k, d, covariances, regCovar);
  return { type, k, d, weights, logWeights, means, covariances, precChol, logDet };
}

function precisionCholesky(type: CovarianceType, k: number, d: number, cov: Float64Array, regCovar: number): { precChol: Float64Array; logDet: Float64Array } {
  const precChol = new Float64Array(cov.length);
  const logDet = new Float64Array(k);
  if (type === 'diag' || type === 'spherical') {
    const per = type === 'diag' ? d : 1;
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let j = 0; j < per; j++) {
        const v = cov[c * per + j]!;
        if (!(v > 0)) throw illDefined(c, regCovar);
        precChol[c * per + j] = 1 / Math.sqrt(v);
        sum += Math.log(precChol[c * per + j]!);
      }
      logDet[c] = type === 'diag' ? sum : d * sum;
    }
    return { precChol, logDet };
  }
  const blocks = type === 'full' ? k : 1;
  const L = new Float64Array(d * d);
  const Linv = new Float64Array(d * d);
  for (let c = 0; c < blocks; c++) {
    const o = c * d * d;
    // Cholesky–Banachiewicz: cov = L·Lᵀ
    L.fill(0);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = cov[o + i * d + j]!;
        for (let p = 0; p < j; p++) sum -= L[i * d + p]! * L[j * d + p]!;
        if (i === j) {
          if (!(sum > 0)) throw illDefined(c, regCovar);
          L[i * d + i] = Math.sqrt(sum);
        } else {
          L[i * d + j] = sum / L[j * d + j]!;
        }
      }
    }
    // L⁻¹ by forward substitution, then U = (L⁻¹)ᵀ
    Linv.fill(0);
    let sumLog = 0;
    for (let col = 0; col < d; col++) {
      for (let i = col; i < d; i++) {
        let sum = i === col ? 1 : 0;
        for (let p = col; p < i; p++) sum -= L[i * d + p]! * Linv[p * d + col]!;
        Linv[i * d + col] = sum / L[i * d + i]!;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) precChol[o + a * d + b] = Linv[b * d + a]!;
      sumLog += Math.log(precChol[o + a * d + a]!);
    }
    if (type === 'full') logDet[c] = sumLog;
    else logDet.fill(sumLog);
  }
  return { precChol, logDet };
}

function illDefined(c: number, regCovar: number): InputError {
  return new InputError(
    `gmm requires positive-definite component covariances (component ${c} is ill-defined with regCovar=${regCovar}); ` +
      'use fewer components, remove duplicate or constant columns, or raise regCovar',
    [{ path: `component ${c}`, message: 'covariance is not positive definite' }],
  );
}
