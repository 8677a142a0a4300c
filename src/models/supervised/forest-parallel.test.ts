import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import type { GrownTree } from './cart.js';
import { growFromCounter } from './forest-job.js';
import { fitRandomForestParallel, prepareForestJob } from './forest-parallel.js';
import { fitRandomForest, type RandomForest, type RandomForestOptions } from './random-forest.js';

/** Three noisy classes from a linear score on 6 columns. */
function data(n: number, seed: number): { X: FeatureMatrix; y: Int32Array } {
  const rng = createRng(seed);
  const d = 6;
  const v = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += (v[i * d + j] = rng.normal()) * (j - 2);
    z += rng.normal();
    y[i] = z > 2 ? 2 : z > 0 ? 1 : 0;
  }
  return { X: createMatrix(v, n, d), y };
}

function assertSameForest(a: RandomForest, b: RandomForest): void {
  assert.equal(a.trees.length, b.trees.length);
  a.trees.forEach((t, i) => {
    const u = b.trees[i]!;
    for (const k of ['feature', 'threshold', 'left', 'right', 'value', 'impurity', 'nNodeSamples', 'weightedNNodeSamples'] as const) {
      assert.deepEqual(Array.from(u[k]), Array.from(t[k]), `tree ${i} ${k}`);
    }
  });
  assert.equal(b.oobScore, a.oobScore);
  if (a.oobProba) assert.deepEqual(Array.from(b.oobProba!), Array.from(a.oobProba));
}

describe('fitRandomForestParallel', () => {
  const { X, y } = data(3000, 11);
  const cases: [string, RandomForestOptions][] = [
    ['bootstrap with out-of-bag score', { nEstimators: 12, seed: 4 }],
    ['balanced class weights and minSamplesLeaf 5', { nEstimators: 9, seed: 9, classWeight: 'balanced', minSamplesLeaf: 5 }],
    ['no bootstrap', { nEstimators: 6, seed: 2, bootstrap: false }],
  ];
  for (const [name, options] of cases) {
    it(`on 2 threads gives the same forest as fitRandomForest for the same seed: ${name}`, async () => {
      const one = fitRandomForest(X, y, options);
      const two = await fitRandomForestParallel(X, y, { ...options, threads: 2, minRows: 0 });
      assertSameForest(one, two);
      assert.deepEqual(Array.from(two.predictProba(X)), Array.from(one.predictProba(X)));
    });
  }

  it('grows any tree from the shared job alone, as a worker thread does: trees 5.. from the counter equal the one-thread trees', () => {
    const options = { nEstimators: 10, seed: 4 };
    const one = fitRandomForest(X, y, options);
    const { job } = prepareForestJob(X, y, options)!;
    Atomics.store(new Int32Array(job.next), 0, 5); // trees 0..4 taken by other threads
    const got = new Map<number, GrownTree>();
    growFromCounter(job, (t, g) => got.set(t, g));
    assert.deepEqual([...got.keys()], [5, 6, 7, 8, 9]);
    for (const [t, g] of got) {
      assert.deepEqual(Array.from(g.threshold), Array.from(one.trees[t]!.threshold), `tree ${t}`);
      assert.deepEqual(Array.from(g.value), Array.from(one.trees[t]!.value), `tree ${t}`);
    }
  });

  it('rejects bad options with the same InputError as fitRandomForest', async () => {
    await assert.rejects(fitRandomForestParallel(X, y, { nEstimators: 0, threads: 2 }), { name: 'InputError', message: 'random forest requires an integer nEstimators >= 1 (got 0)' });
  });
});
