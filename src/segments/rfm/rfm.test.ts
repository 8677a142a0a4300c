import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { quintileScores, RFM_CODE_TABLE, RFM_GRID, RFM_SEGMENTS, rfmSegmentOf, scoreRfm, segmentIndexOfCode } from './index.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const ones = (n: number) => new Uint8Array(n).fill(1);

function scores(values: number[], descending = false): number[] {
  const out = new Int8Array(values.length);
  quintileScores(f64(values), ones(values.length), descending, out);
  return Array.from(out);
}

test('the RFM code table maps all 125 codes to exactly one segment and uses all 11 segments', () => {
  const seen = new Map<number, string>();
  for (const [r, f, byM] of RFM_CODE_TABLE) {
    assert.equal(byM.length, 5, `row ${r}${f}`);
    byM.forEach((segment, i) => {
      const code = 100 * r + 10 * f + i + 1;
      assert.ok(!seen.has(code), `code ${code} appears twice`);
      seen.set(code, segment);
    });
  }
  assert.equal(seen.size, 125);
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) assert.ok(seen.has(100 * r + 10 * f + m));
  assert.deepEqual(new Set(seen.values()), new Set(RFM_SEGMENTS));
  assert.equal(RFM_SEGMENTS.length, 11);
});

test('the written-out table agrees with the R × FM grid (FM = mean of F and M rounded half up)', () => {
  for (const [r, f, byM] of RFM_CODE_TABLE) {
    byM.forEach((segment, i) => {
      const m = i + 1;
      const fm = Math.floor((f + m + 1) / 2);
      assert.equal(segment, RFM_GRID[r - 1]![fm - 1], `code ${r}${f}${m}`);
      assert.equal(RFM_SEGMENTS[segmentIndexOfCode(100 * r + 10 * f + m)], segment);
    });
  }
  for (const bad of [0, 106, 160, 600, 1.5]) assert.equal(segmentIndexOfCode(bad), -1, String(bad));
});

test('quintileScores puts quintile boundaries at score = 1 + floor(5·(rank − 1)/n)', () => {
  // n = 10: ranks 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5
  assert.deepEqual(scores([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  // n = 7: floor(5·(0..6)/7) = 0, 0, 1, 2, 2, 3, 4
  assert.deepEqual(scores([1, 2, 3, 4, 5, 6, 7]), [1, 1, 2, 3, 3, 4, 5]);
  // n = 1 scores 1; n = 0 scores nothing
  assert.deepEqual(scores([42]), [1]);
  assert.deepEqual(scores([]), []);
});

test('quintileScores gives ties the score of the lowest rank of their block (heavy frequency ties)', () => {
  // ranks: six 1s share rank 1 → 1; the 2s share rank 7 → 1 + floor(30/10) = 4; 3 has rank 9 → 5; 10 has rank 10 → 5
  assert.deepEqual(scores([1, 1, 1, 1, 1, 1, 2, 2, 3, 10]), [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
  assert.deepEqual(scores([7, 7, 7, 7, 7]), [1, 1, 1, 1, 1]);
});

test('quintileScores for recency ranks fewer days higher (descending)', () => {
  // negated keys sorted: −100, −30, −5, −5, 0 → ranks 2, 3, 3, 1, 5
  assert.deepEqual(scores([30, 5, 5, 100, 0], true), [2, 3, 3, 1, 5]);
});

test('scoreRfm matches a hand-computed table of scores, codes, segments and weighted values', () => {
  const result = scoreRfm(f64([30, 5, 5, 100, 0]), f64([1, 1, 3, 2, 8]), f64([10, 20, 300, 40, 1000]), { weights: { r: 2, f: 1, m: 1 } });
  assert.equal(result.scored, 5);
  assert.deepEqual(Array.from(result.r), [2, 3, 3, 1, 5]);
  assert.deepEqual(Array.from(result.f), [1, 1, 4, 3, 5]); // sorted 1, 1, 2, 3, 8
  assert.deepEqual(Array.from(result.m), [1, 2, 4, 3, 5]);
  assert.deepEqual(Array.from(result.codes), [211, 312, 344, 133, 555]);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => rfmSegmentOf(result, i)), ['Hibernating', 'About To Sleep', 'Loyal', 'At Risk', 'Champions']);
  assert.deepEqual(Array.from(result.value), [1.5, 2.25, 3.5, 2, 5]); // (2R + F + M) / 4
});

test('scoreRfm leaves customers without a purchase unscored and ranks the others among themselves', () => {
  const result = scoreRfm(f64([NaN, 10, 20, NaN]), f64([0, 2, 1, NaN]), f64([0, 50, 10, NaN]));
  assert.equal(result.scored, 2);
  // n = 2: ranks 1, 2 → 1 + floor(5·(rank − 1)/2) = 1, 3 (with two customers the best scores 3, not 5)
  assert.deepEqual(Array.from(result.r), [0, 3, 1, 0]);
  assert.deepEqual(Array.from(result.codes), [0, 333, 111, 0]);
  assert.deepEqual(Array.from(result.segment).map((s) => (s < 0 ? null : RFM_SEGMENTS[s])), [null, 'Need Attention', 'Lost', null]);
  assert.ok(Number.isNaN(result.value[0]!) && result.value[1] === 3);
});

test('scoreRfm reports bad input with the values received', () => {
  assert.throws(() => scoreRfm(f64([1]), f64([1, 2]), f64([1])), { message: 'scoreRfm requires arrays of equal length (got recency=1, frequency=2, monetary=1)' });
  assert.throws(() => scoreRfm(f64([NaN]), f64([1]), f64([3])), { message: 'scoreRfm requires finite recency and monetary for customers with a purchase (got recency=NaN, monetary=3 at index 0)' });
  assert.throws(() => scoreRfm(f64([1]), f64([1]), f64([1]), { weights: { r: 0, f: 0, m: 0 } }), { message: 'scoreRfm requires finite non-negative weights with a positive sum (got r=0, f=0, m=0)' });
});

test('quintileScores: scores are in 1..5, equal values score equally, larger values never score lower', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }), fc.boolean(), (xs, desc) => {
    const s = scores(xs, desc);
    for (let i = 0; i < xs.length; i++) {
      assert.ok(s[i]! >= 1 && s[i]! <= 5);
      for (let j = 0; j < xs.length; j++) {
        if (xs[i] === xs[j]) assert.equal(s[i], s[j]);
        const better = desc ? xs[i]! < xs[j]! : xs[i]! > xs[j]!;
        if (better) assert.ok(s[i]! >= s[j]!);
      }
    }
  }), { seed: 20240301, numRuns: 200 });
});
