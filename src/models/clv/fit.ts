/**
 * Maximum-likelihood fitting shared by every model: minimise the negative log-likelihood over log-parameters
 * from several starts, and report the result with its convergence status.
 */
import { minimise, type MinimiseOptions } from './optimise.js';

/** Options of every `fit*` function. */
export interface FitOptions extends MinimiseOptions {
  /** Extra starting points, as parameter values (not logs), tried besides the model's defaults. */
  readonly starts?: readonly (readonly number[])[];
}

/**
 * A fitted model. `converged:false` comes with the reason in `message`; callers that need a usable fit call
 * `requireConverged`. `logLikelihood` is the weighted total over customers.
 */
export interface FitResult<P> {
  readonly params: P;
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly message: string;
}

/**
 * Fits `names.length` positive parameters by maximising `logLikelihood(values)`; starts are in parameter units.
 * Cost O(starts × evaluations × cost(logLikelihood)).
 */
export function fitPositive<K extends string>(
  names: readonly K[],
  logLikelihood: (values: Float64Array) => number,
  defaultStarts: readonly (readonly number[])[],
  options: FitOptions,
): FitResult<Record<K, number>> {
  const values = new Float64Array(names.length);
  const objective = (theta: Float64Array): number => {
    for (let i = 0; i < theta.length; i++) values[i] = Math.exp(theta[i]!);
    return -logLikelihood(values);
  };
  const starts = [...defaultStarts, ...(options.starts ?? [])].map((s) => {
    if (s.length !== names.length || s.some((v) => !(v > 0 && Number.isFinite(v)))) {
      throw new RangeError(`fit starts must be ${names.length} positive finite numbers (${names.join(', ')}) (got [${s.join(', ')}])`);
    }
    return s.map(Math.log);
  });
  const found = minimise(objective, starts, options);
  const params = {} as Record<K, number>;
  names.forEach((name, i) => (params[name] = Math.exp(found.x[i]!)));
  return {
    params,
    logLikelihood: -found.value,
    converged: found.converged,
    iterations: found.iterations,
    message: found.message,
  };
}

/** Returns the fit when it converged; otherwise throws an Error carrying the model name and the optimiser's reason. */
export function requireConverged<P>(model: string, fit: FitResult<P>): FitResult<P> {
  if (!fit.converged) throw new Error(`${model} fit did not converge: ${fit.message} (log-likelihood ${fit.logLikelihood})`);
  return fit;
}
