/** z-score and 0..1 tables of segment means. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minMaxTable, zScoreTable } from './feature-tables.js';
import type { GroupStats } from './segment-stats.js';

const group = (means: (number | null)[], sds: (number | null)[] = means.map(() => null)): GroupStats => ({ size: 1, revenue: 0, means, sds, clv: null });

test('zScoreTable(segments, overall) divides the distance to the overall mean by the overall sd, null when sd is 0 or a mean is missing', () => {
  const overall = group([10, 5, 3], [2, 0, 1]);
  assert.deepEqual(zScoreTable([group([14, 5, null]), group([6, 7, 3])], overall), [[2, null, null], [-2, null, 0]]);
});

test('minMaxTable(segments) scales each feature 0..1 across segments, 0.5 when all equal, null for missing', () => {
  assert.deepEqual(minMaxTable([group([1, 4, null]), group([3, 4, 2]), group([2, 4, 8])], 3), [[0, 0.5, null], [1, 0.5, 0], [0.5, 0.5, 1]]);
  assert.deepEqual(minMaxTable([group([7])], 1), [[0.5]]);
});
