/**
 * The RFM summary every buy-till-you-die model is fitted on, as typed columns, and its validation at the edge.
 */
import { InputError, type InputIssue } from '../../core/errors.js';

/**
 * Per-customer calibration summary: `frequency` = repeat purchase days x, `recency` = time of the last purchase
 * t_x and `T` = time observed, both measured from the first purchase; `weights` = how many customers share the row
 * (default 1 each), so that identical (x, t_x, T) rows can be grouped.
 */
export interface RfmSummary {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly weights?: Float64Array;
}

const MAX_ISSUES = 10;

/**
 * Checks a summary once, at the entry of a fit: equal lengths, at least one row, integer x ≥ 0, 0 ≤ t_x ≤ T,
 * t_x = 0 when x = 0, finite non-negative weights. Throws an `InputError` naming the first rows at fault.
 * `periodsNamed` renames T in messages (BG/BB calls it periods). Cost O(n).
 */
export function validateSummary(model: string, s: RfmSummary, periodsNamed = 'T'): void {
  const n = s.frequency.length;
  const lengths = [s.recency.length, s.T.length, ...(s.weights ? [s.weights.length] : [])];
  if (lengths.some((l) => l !== n)) {
    throw new InputError(
      `${model} requires frequency, recency, ${periodsNamed}${s.weights ? ' and weights' : ''} of one length ` +
        `(got ${[n, ...lengths].join(', ')})`,
    );
  }
  if (n === 0) throw new InputError(`${model} requires at least one customer (got 0 rows)`);
  const issues: InputIssue[] = [];
  let total = 0;
  for (let i = 0; i < n && issues.length < MAX_ISSUES; i++) {
    const x = s.frequency[i]!;
    const tx = s.recency[i]!;
    const T = s.T[i]!;
    const w = s.weights ? s.weights[i]! : 1;
    const problem = rowProblem(x, tx, T, w, periodsNamed);
    if (problem) issues.push({ path: `row ${i}`, message: problem });
    else total += w;
  }
  if (issues.length > 0) {
    throw new InputError(`${model} rejected ${issues.length}${issues.length === MAX_ISSUES ? '+' : ''} row(s): ${issues[0]!.path}: ${issues[0]!.message}`, issues);
  }
  if (!(total > 0)) throw new InputError(`${model} requires a positive total weight (got ${total})`);
}

function rowProblem(x: number, tx: number, T: number, w: number, periodsNamed: string): string | null {
  if (!(Number.isInteger(x) && x >= 0)) return `frequency must be a whole number ≥ 0 (got ${x})`;
  if (!(Number.isFinite(tx) && tx >= 0)) return `recency must be finite and ≥ 0 (got ${tx})`;
  if (!(Number.isFinite(T) && T > 0)) return `${periodsNamed} must be finite and > 0 (got ${T})`;
  if (tx > T) return `recency must not exceed ${periodsNamed} (got recency=${tx}, ${periodsNamed}=${T})`;
  if (x === 0 && tx !== 0) return `recency must be 0 when frequency is 0 (got recency=${tx})`;
  if (!(Number.isFinite(w) && w >= 0)) return `weight must be finite and ≥ 0 (got ${w})`;
  return null;
}

/**
 * Groups identical (x, t_x, T) rows into one weighted row; fitting cost then scales with the number of distinct
 * rows (a few tens of thousands for a million customers measured in days). Keeps first-seen order. Cost O(n).
 */
export function groupSummary(s: RfmSummary): RfmSummary & { readonly weights: Float64Array } {
  const index = new Map<string, number>();
  const n = s.frequency.length;
  const f: number[] = [];
  const r: number[] = [];
  const t: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${s.frequency[i]!},${s.recency[i]!},${s.T[i]!}`;
    const weight = s.weights ? s.weights[i]! : 1;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, f.length);
      f.push(s.frequency[i]!);
      r.push(s.recency[i]!);
      t.push(s.T[i]!);
      w.push(weight);
    } else {
      w[at] = w[at]! + weight;
    }
  }
  return { frequency: Float64Array.from(f), recency: Float64Array.from(r), T: Float64Array.from(t), weights: Float64Array.from(w) };
}

/** Total weight of a summary (its customer count when unweighted). */
export function totalWeight(s: RfmSummary): number {
  if (!s.weights) return s.frequency.length;
  let total = 0;
  for (let i = 0; i < s.weights.length; i++) total += s.weights[i]!;
  return total;
}
