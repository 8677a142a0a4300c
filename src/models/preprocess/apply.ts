/**
 * Applies fitted preprocessing parameters to one row (e.g. a new customer), the same arithmetic as the fit.
 * O(cols). Writes into `out` when given (may be the row itself).
 */
import { InputError } from '../../core/errors.js';
import type { PreprocessParams } from './params.js';

type Handler<P> = (p: P, row: Float64Array, out: Float64Array) => void;

function checkLength(expected: number, row: Float64Array, kind: string): void {
  if (row.length !== expected) throw new InputError(`${kind} apply requires a row of ${expected} values (got ${row.length})`);
}

const handlers: { [K in PreprocessParams['kind']]: Handler<Extract<PreprocessParams, { kind: K }>> } = {
  zscore: (p, row, out) => {
    checkLength(p.center.length, row, 'zscore');
    for (let j = 0; j < row.length; j++) out[j] = (row[j]! - p.center[j]!) / p.scale[j]!;
  },
  robust: (p, row, out) => {
    checkLength(p.center.length, row, 'robust');
    for (let j = 0; j < row.length; j++) out[j] = (row[j]! - p.center[j]!) / p.scale[j]!;
  },
  minmax: (p, row, out) => {
    checkLength(p.min.length, row, 'minmax');
    for (let j = 0; j < row.length; j++) out[j] = row[j]! * p.scale[j]! - p.min[j]! * p.scale[j]!;
  },
  log1p: (p, row, out) => {
    if (out !== row) out.set(row);
    for (const c of p.columns) {
      const v = row[c]!;
      if (!(v > -1)) throw new InputError(`log1p requires values > -1 (got ${v} in column ${c + 1})`);
      out[c] = Math.log1p(v);
    }
  },
  winsorise: (p, row, out) => {
    checkLength(p.low.length, row, 'winsorise');
    for (let j = 0; j < row.length; j++) out[j] = Math.min(Math.max(row[j]!, p.low[j]!), p.high[j]!);
  },
};

/** Transforms `row` with fitted `params`; returns `out` (a new array unless given). */
export function applyToRow(params: PreprocessParams, row: Float64Array, out: Float64Array = new Float64Array(row.length)): Float64Array {
  (handlers[params.kind] as Handler<PreprocessParams>)(params, row, out);
  return out;
}
