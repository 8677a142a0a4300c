/** Bad input gets an InputError whose message names the subject, the rule and the values. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { createMatrix } from '../matrix.js';
import { chooseK, kmeans, miniBatchKMeans } from './index.js';

const five = createMatrix(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 5, 2, undefined, ['recency', 'spend']);

function throwsInput(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, message);
    return true;
  });
}

describe('kmeans rejects bad input with clear messages', () => {
  it('kmeans rejects k above rows', () => {
    throwsInput(() => kmeans(five, { k: 12 }), 'kmeans requires k between 1 and rows (got k=12, rows=5)');
  });
  it('kmeans rejects k below 1 and non-integer k', () => {
    throwsInput(() => kmeans(five, { k: 0 }), 'kmeans requires k between 1 and rows (got k=0, rows=5)');
    throwsInput(() => kmeans(five, { k: 2.5 }), 'kmeans requires k between 1 and rows (got k=2.5, rows=5)');
  });
  it('kmeans rejects an empty matrix', () => {
    throwsInput(() => kmeans(createMatrix(new Float64Array(0), 0, 3), { k: 1 }), 'kmeans requires a non-empty matrix (got rows=0, cols=3)');
  });
  it('kmeans names the row and column of a non-finite value', () => {
    const bad = createMatrix(Float64Array.from([1, 2, 3, NaN]), 2, 2, undefined, ['recency', 'spend']);
    throwsInput(() => kmeans(bad, { k: 1 }), 'kmeans requires finite values (got NaN at row 2, column spend)');
    const inf = createMatrix(Float64Array.from([Infinity, 2, 3, 4]), 2, 2);
    throwsInput(() => kmeans(inf, { k: 1 }), 'kmeans requires finite values (got Infinity at row 1, column x0)');
  });
  it('kmeans rejects initial centroids of the wrong length or with non-finite values', () => {
    throwsInput(() => kmeans(five, { k: 2, init: new Float64Array(3) }), 'kmeans requires init centroids of length k*cols (got length=3, k=2, cols=2)');
    throwsInput(() => kmeans(five, { k: 2, init: Float64Array.from([1, 2, 3, NaN]) }), 'kmeans requires finite init centroids (got NaN at centroid 2, column 2)');
  });
  it('kmeans rejects bad iteration caps, restarts and tolerances', () => {
    throwsInput(() => kmeans(five, { k: 2, maxIterations: 0 }), 'kmeans requires maxIterations to be an integer ≥ 1 (got maxIterations=0)');
    throwsInput(() => kmeans(five, { k: 2, nInit: 1.5 }), 'kmeans requires nInit to be an integer ≥ 1 (got nInit=1.5)');
    throwsInput(() => kmeans(five, { k: 2, tolerance: -1 }), 'kmeans requires tolerance to be finite and ≥ 0 (got tolerance=-1)');
  });
  it('miniBatchKMeans and chooseK name themselves in their messages', () => {
    throwsInput(() => miniBatchKMeans(five, { k: 6 }), 'miniBatchKMeans requires k between 1 and rows (got k=6, rows=5)');
    throwsInput(() => miniBatchKMeans(five, { k: 2, batchSize: 0 }), 'miniBatchKMeans requires batchSize to be an integer ≥ 1 (got batchSize=0)');
    throwsInput(() => chooseK(five, { kMin: 4, kMax: 3 }), 'chooseK requires integers 1 ≤ kMin ≤ kMax ≤ rows (got kMin=4, kMax=3, rows=5)');
  });
  it('the InputError lists the problem with its path', () => {
    try {
      kmeans(five, { k: 12 });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof InputError);
      assert.deepEqual(e.issues, [{ path: 'k', message: 'kmeans requires k between 1 and rows (got k=12, rows=5)' }]);
    }
  });
});
