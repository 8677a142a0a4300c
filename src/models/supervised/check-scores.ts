/** Shared checks for metric inputs: same lengths, binary labels, finite scores, weights. */
import { fail, validateWeights } from './validate.js';

/** Validates binary labels (0/1, both present) against scores and weights; returns the order by descending score. */
export function binaryScoreOrder(who: string, y: Int32Array, score: Float64Array, sampleWeight?: Float64Array): Int32Array {
  if (score.length !== y.length) fail(`${who} requires one score per label (got ${score.length} scores, ${y.length} labels)`, 'score');
  let pos = 0;
  for (let i = 0; i < y.length; i++) {
    const l = y[i]!;
    if (l !== 0 && l !== 1) fail(`${who} requires binary labels 0 or 1 (got ${l} at row ${i + 1})`, `y[${i}]`);
    if (!Number.isFinite(score[i]!)) fail(`${who} requires finite scores (got ${score[i]} at row ${i + 1})`, `score[${i}]`);
    pos += l;
  }
  if (pos === 0 || pos === y.length) fail(`${who} requires both classes in y (got only class ${y[0]} in ${y.length} rows)`, 'y');
  if (sampleWeight) validateWeights(who, sampleWeight, y.length);
  const order = new Int32Array(y.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  return order;
}

/** Validates labels in 0..C−1 against a row-major n × C probability matrix. */
export function checkProba(who: string, y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array): void {
  if (proba.length !== y.length * C) fail(`${who} requires rows × classes probabilities (got ${proba.length}, rows=${y.length}, classes=${C})`, 'proba');
  for (let i = 0; i < y.length; i++) {
    const l = y[i]!;
    if (l < 0 || l >= C) fail(`${who} requires labels in 0..${C - 1} (got ${l} at row ${i + 1})`, `y[${i}]`);
  }
  for (let i = 0; i < proba.length; i++) {
    const p = proba[i]!;
    if (!(p >= -1e-9 && p <= 1 + 1e-9)) fail(`${who} requires probabilities in [0, 1] (got ${p} at row ${Math.floor(i / C) + 1}, class ${i % C})`, `proba[${i}]`);
  }
  if (sampleWeight) validateWeights(who, sampleWeight, y.length);
}

/**
 * Macro average of a binary score over classes, one-vs-rest (sklearn's `multi_class='ovr', average='macro'`):
 * class c's labels are binarised and its probability column is the score. O(C · n) plus C binary scores.
 */
export function oneVsRestMean(
  who: string,
  binary: (y: Int32Array, score: Float64Array, sampleWeight?: Float64Array) => number,
  y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array,
): number {
  checkProba(who, y, proba, C, sampleWeight);
  const yc = new Int32Array(y.length);
  const sc = new Float64Array(y.length);
  let sum = 0;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < y.length; i++) {
      yc[i] = y[i] === c ? 1 : 0;
      sc[i] = proba[i * C + c]!;
    }
    sum += binary(yc, sc, sampleWeight);
  }
  return sum / C;
}
