/**
 * Kneedle (Satopää, Albrecht, Irwin & Raghavan 2011): finds the knee of a convex decreasing curve such as inertia
 * against k, the point where adding clusters stops paying off.
 */
import { InputError } from '../../core/errors.js';

/** Differences within this of 0 are rounding noise of the scaling, not a bend. */
const FLAT = 1e-12;

export interface KneedleOptions {
  /** Sensitivity S: how far (in mean x-steps) the difference curve must fall after a peak to call it a knee. Default 1. */
  readonly sensitivity?: number;
}

export interface KneedleResult {
  /** The knee's x (e.g. k), or null when the curve has none (it is close to a straight line). */
  readonly knee: number | null;
  /** Index of the knee in the sorted x, or −1. */
  readonly kneeIndex: number;
  /** x sorted ascending, and the matching y. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** x scaled to [0, 1]. */
  readonly xNormalized: Float64Array;
  /** y scaled to [0, 1] and flipped (1 − y_n) so that the curve is concave increasing. */
  readonly yNormalized: Float64Array;
  /** The difference curve D = yNormalized − xNormalized; the knee is a local maximum of it. */
  readonly difference: Float64Array;
  /** The threshold of the peak that was called the knee (NaN when there is none). */
  readonly threshold: number;
}

/**
 * Knee of a convex decreasing curve given as columns `x` (e.g. k) and `y` (e.g. inertia), in any order of x:
 * both are scaled to [0, 1], y is flipped, and the first local maximum of the difference curve after which the
 * curve falls below `D_max − S · mean(Δx_n)` is the knee (offline Kneedle without smoothing, as the `kneed`
 * package's default). Use it to pick k from an elbow plot. Cost O(m log m) for m points.
 * Reference: Satopää et al. (2011), "Finding a 'Kneedle' in a Haystack", ICDCS Workshops, 166–171.
 */
export function kneedle(x: ArrayLike<number>, y: ArrayLike<number>, options: KneedleOptions = {}): KneedleResult {
  const m = x.length;
  if (y.length !== m) throw new InputError(`kneedle requires x.length == y.length (got x.length=${m}, y.length=${y.length})`);
  if (m < 2) throw new InputError(`kneedle requires at least 2 points (got ${m})`);
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new InputError(`kneedle requires finite points (got x=${x[i]}, y=${y[i]} at index ${i})`, [{ path: `points[${i}]`, message: 'not finite' }]);
    }
  }
  const s = options.sensitivity ?? 1;
  if (!(s >= 0)) throw new InputError(`kneedle requires sensitivity >= 0 (got ${s})`);
  const idx = Array.from({ length: m }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const xs = Float64Array.from(idx, (i) => x[i]!);
  const ys = Float64Array.from(idx, (i) => y[i]!);
  for (let i = 1; i < m; i++) {
    if (xs[i] === xs[i - 1]) throw new InputError(`kneedle requires distinct x values (got ${xs[i]} twice)`);
  }
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < m; i++) {
    yMin = Math.min(yMin, ys[i]!);
    yMax = Math.max(yMax, ys[i]!);
  }
  const xSpan = xs[m - 1]! - xs[0]!;
  const ySpan = yMax - yMin;
  const xn = new Float64Array(m);
  const yn = new Float64Array(m);
  const diff = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    xn[i] = (xs[i]! - xs[0]!) / xSpan;
    yn[i] = ySpan === 0 ? 0 : 1 - (ys[i]! - yMin) / ySpan;
    diff[i] = yn[i]! - xn[i]!;
  }
  const step = 1 / (m - 1);
  let threshold = NaN;
  let candidate = -1;
  for (let i = 1; i < m - 1; i++) {
    // A knee lies strictly below the chord (D > 0); the margin keeps rounding noise on a straight line from counting.
    const isMax = diff[i]! > diff[i - 1]! && diff[i]! >= diff[i + 1]! && diff[i]! > FLAT;
    const isMin = diff[i]! < diff[i - 1]! && diff[i]! <= diff[i + 1]!;
    if (isMax) {
      candidate = i;
      threshold = diff[i]! - s * step;
    } else if (isMin && candidate >= 0) {
      threshold = 0;
    }
    if (candidate >= 0 && diff[i + 1]! < threshold) {
      return { knee: xs[candidate]!, kneeIndex: candidate, x: xs, y: ys, xNormalized: xn, yNormalized: yn, difference: diff, threshold };
    }
  }
  return { knee: null, kneeIndex: -1, x: xs, y: ys, xNormalized: xn, yNormalized: yn, difference: diff, threshold: NaN };
}
