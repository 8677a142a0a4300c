/**
 * Squared Euclidean distances for the K-means kernels, always summed in column order 0..d-1 from 0, so every
 * specialisation gives the same bits as the plain loop.
 *
 * Small column counts (d ≤ `SMALL_D`) use an unrolled form: the row is held in eight locals and the centres are
 * copied, zero-padded to eight columns, into a per-thread scratch. A padded column adds (0 − 0)² = +0 to a sum
 * that is ≥ +0, which leaves it unchanged, so the unrolled distance equals the plain loop's bit for bit.
 */

/** Largest column count served by the unrolled kernels. */
export const SMALL_D = 8;

/** Squared distance between row `xi` of x and row `ci` of c (offsets already multiplied by d). O(d). */
export function sqDist(x: Float64Array, xi: number, c: Float64Array, ci: number, d: number): number {
  let s = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const t0 = x[xi + j]! - c[ci + j]!;
    const t1 = x[xi + j + 1]! - c[ci + j + 1]!;
    const t2 = x[xi + j + 2]! - c[ci + j + 2]!;
    const t3 = x[xi + j + 3]! - c[ci + j + 3]!;
    s += t0 * t0;
    s += t1 * t1;
    s += t2 * t2;
    s += t3 * t3;
  }
  for (; j < d; j++) {
    const t = x[xi + j]! - c[ci + j]!;
    s += t * t;
  }
  return s;
}

/** Squared distance from the row (x0..x7) to the padded centre at offset `o` of `p` (stride 8). */
export function dist8(p: Float64Array, o: number, x0: number, x1: number, x2: number, x3: number, x4: number, x5: number, x6: number, x7: number): number {
  let t = x0 - p[o]!;
  let s = t * t;
  t = x1 - p[o + 1]!;
  s += t * t;
  t = x2 - p[o + 2]!;
  s += t * t;
  t = x3 - p[o + 3]!;
  s += t * t;
  t = x4 - p[o + 4]!;
  s += t * t;
  t = x5 - p[o + 5]!;
  s += t * t;
  t = x6 - p[o + 6]!;
  s += t * t;
  t = x7 - p[o + 7]!;
  s += t * t;
  return s;
}

let scratch = new Float64Array(0);

/**
 * Copies `count` rows of `src` (d columns, starting at row offset `rows[r] · d`, or row r when `rows` is null)
 * into a per-thread scratch with stride 8 and zero padding, and returns the scratch. Valid until the next call.
 */
export function padRows(src: Float64Array, d: number, count: number, rows: Int32Array | null): Float64Array {
  if (scratch.length < count * SMALL_D) scratch = new Float64Array(count * SMALL_D);
  const p = scratch;
  p.fill(0, 0, count * SMALL_D);
  for (let r = 0; r < count; r++) {
    const from = (rows ? rows[r]! : r) * d;
    for (let j = 0; j < d; j++) p[r * SMALL_D + j] = src[from + j]!;
  }
  return p;
}
