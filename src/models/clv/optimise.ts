/**
 * A robust minimiser for small smooth problems (2–6 parameters): Nelder–Mead, restarted from its own best point
 * until a restart no longer improves, run from several starting points. Models hand it the negative
 * log-likelihood on log-parameters, so every parameter stays positive without constraints.
 */

/** Options of `minimise`; every field has a default. */
export interface MinimiseOptions {
  /** Iterations of one Nelder–Mead run (default 5000). */
  readonly maxIterations?: number;
  /** Relative tolerance on the objective across the simplex and between restarts (default 1e-12). */
  readonly tolerance?: number;
  /** Largest simplex edge at convergence, in the units of x (default 1e-7). */
  readonly xTolerance?: number;
  /** Restarts from the best point after a run has converged (default 8). */
  readonly maxRestarts?: number;
  /** Edge of the first simplex around each start (default 0.5, i.e. a factor e^0.5 on log-parameters). */
  readonly initialStep?: number;
}

/** What `minimise` found: the best point over all starts and whether its run converged, with the reason. */
export interface MinimiseResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly converged: boolean;
  /** Nelder–Mead iterations summed over all starts and restarts. */
  readonly iterations: number;
  readonly evaluations: number;
  readonly message: string;
}

interface RunResult {
  x: Float64Array;
  value: number;
  converged: boolean;
  iterations: number;
}

const DEFAULTS = { maxIterations: 5000, tolerance: 1e-12, xTolerance: 1e-7, maxRestarts: 8, initialStep: 0.5 };

/**
 * Minimises `f` from each of `starts` with restarted Nelder–Mead and returns the best point. Non-finite values
 * of `f` count as +Infinity (the simplex moves away from them). `converged` is true only when the best start's
 * simplex collapsed below both tolerances and a fresh restart from its best point did not improve it; otherwise the
 * message says why. Cost O(starts × restarts × maxIterations × cost(f)).
 * References: Nelder & Mead (1965), Computer Journal 7(4); Gao & Han (2012), adaptive coefficients.
 */
export function minimise(
  f: (x: Float64Array) => number,
  starts: readonly (readonly number[])[],
  options: MinimiseOptions = {},
): MinimiseResult {
  const opts = { ...DEFAULTS, ...options };
  if (starts.length === 0) throw new RangeError('minimise requires at least one starting point (got 0)');
  let evaluations = 0;
  const safe = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best: RunResult | null = null;
  let bestMessage = '';
  let iterations = 0;
  for (const start of starts) {
    let run = nelderMead(safe, Float64Array.from(start), opts);
    iterations += run.iterations;
    let restarts = 0;
    let message: string;
    while (true) {
      if (!run.converged) {
        message = `Nelder–Mead did not converge within maxIterations=${opts.maxIterations}`;
        break;
      }
      if (restarts >= opts.maxRestarts) {
        message = `restarts kept improving the objective after maxRestarts=${opts.maxRestarts}`;
        run.converged = false;
        break;
      }
      restarts++;
      const again = nelderMead(safe, run.x, { ...opts, initialStep: opts.initialStep / 4 });
      iterations += again.iterations;
      const improved = run.value - again.value > opts.tolerance * (Math.abs(run.value) + opts.tolerance);
      if (again.value < run.value) run = { ...again, converged: again.converged };
      if (!improved && run.converged) {
        message = `converged after ${restarts} restart(s)`;
        break;
      }
    }
    if (!Number.isFinite(run.value)) {
      run.converged = false;
      message = 'the objective was not finite anywhere the simplex went';
    }
    if (best === null || run.value < best.value) {
      best = run;
      bestMessage = message;
    }
  }
  const b = best!;
  return { x: b.x, value: b.value, converged: b.converged, iterations, evaluations, message: bestMessage };
}

/** One Nelder–Mead run with adaptive coefficients (Gao & Han 2012) from a simplex of edge `initialStep`. */
function nelderMead(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  opts: typeof DEFAULTS,
): RunResult {
  const n = x0.length;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const pts: Float64Array[] = [];
  const vals = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + opts.initialStep;
    pts.push(p);
    vals[i] = f(p);
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const along = (t: number, out: Float64Array, worst: Float64Array): void => {
    for (let j = 0; j < n; j++) out[j] = centroid[j]! + t * (centroid[j]! - worst[j]!);
  };
  let iter = 0;
  for (; iter < opts.maxIterations; iter++) {
    order.sort((i, j) => vals[i]! - vals[j]!);
    const bestI = order[0]!;
    const worstI = order[n]!;
    const fBest = vals[bestI]!;
    const fWorst = vals[worstI]!;
    let size = 0;
    for (let i = 0; i <= n; i++) {
      for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(pts[i]![j]! - pts[bestI]![j]!));
    }
    const spread = fWorst - fBest;
    if (Number.isFinite(fBest) && spread <= opts.tolerance * (Math.abs(fBest) + opts.tolerance) && size <= opts.xTolerance) {
      return { x: Float64Array.from(pts[bestI]!), value: fBest, converged: true, iterations: iter };
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]!]!;
      for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + p[j]! / n;
    }
    const worst = pts[worstI]!;
    along(alpha, xr, worst);
    const fr = f(xr);
    const fSecond = vals[order[n - 1]!]!;
    if (fr < fBest) {
      along(alpha * beta, xe, worst);
      const fe = f(xe);
      if (fe < fr) accept(worst, xe, fe);
      else accept(worst, xr, fr);
    } else if (fr < fSecond) {
      accept(worst, xr, fr);
    } else {
      const outside = fr < fWorst;
      along(outside ? alpha * gamma : -gamma, xc, worst);
      const fc = f(xc);
      if (fc < (outside ? fr : fWorst)) accept(worst, xc, fc);
      else shrink(bestI);
    }
    function accept(target: Float64Array, from: Float64Array, value: number): void {
      target.set(from);
      vals[worstI] = value;
    }
  }
  order.sort((i, j) => vals[i]! - vals[j]!);
  return { x: Float64Array.from(pts[order[0]!]!), value: vals[order[0]!]!, converged: false, iterations: iter };

  function shrink(bestI: number): void {
    const b = pts[bestI]!;
    for (let i = 0; i <= n; i++) {
      if (i === bestI) continue;
      const p = pts[i]!;
      for (let j = 0; j < n; j++) p[j] = b[j]! + delta * (p[j]! - b[j]!);
      vals[i] = f(p);
    }
  }
}
