/**
 * Worker threads change nothing: a threaded fit gives the single-thread fit's labels, centroids, inertia,
 * iterations and history bit for bit (each chunk writes its own partials, added in chunk order), and the pooled
 * workers never keep the process alive.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { kmeans, PARALLEL_MIN_ROWS, type KMeansOptions } from './index.js';

/** n rows of k overlapping Gaussian blobs in d columns (overlap makes several iterations and label changes). */
function blobs(n: number, d: number, k: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const centres = Float64Array.from({ length: k * d }, () => rng.next() * 6 - 3);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j]! + rng.normal();
  }
  return createMatrix(x, n, d);
}

function sameFit(m: FeatureMatrix, options: KMeansOptions, threads: number): void {
  const one = kmeans(m, { ...options, threads: 1 });
  const many = kmeans(m, { ...options, threads });
  assert.ok(one.iterations > 1, `a test that iterates (got ${one.iterations})`);
  assert.deepEqual(many.labels, one.labels);
  assert.deepEqual(many.centroids, one.centroids);
  assert.equal(many.inertia, one.inertia);
  assert.equal(many.iterations, one.iterations);
  assert.deepEqual(many.inertiaHistory, one.inertiaHistory);
}

describe('kmeans on worker threads', () => {
  const n = 200_000;
  assert.ok(n >= PARALLEL_MIN_ROWS);
  it('hamerly with 2 threads equals 1 thread bit for bit (d = 8, unrolled kernels)', () => {
    sameFit(blobs(n, 8, 6, 1), { k: 6, nInit: 2, seed: 3, maxIterations: 30 }, 2);
  });
  it('lloyd with 3 threads equals 1 thread bit for bit (d = 11, generic kernels)', () => {
    sameFit(blobs(n, 11, 5, 2), { k: 5, nInit: 1, seed: 4, maxIterations: 15, algorithm: 'lloyd' }, 3);
  });
  it('a k scan on one matrix reuses its shared buffers and still equals fresh single-thread fits', () => {
    // Reused buffers are zeroed: a fit after a larger and a smaller k must not see their leftovers.
    const m = blobs(n, 6, 5, 5);
    const options = { nInit: 1, seed: 7, maxIterations: 20 };
    const scan = [6, 3, 6, 4].map((k) => kmeans(m, { ...options, k, threads: 2 }));
    for (const [i, k] of [6, 3, 6, 4].entries()) {
      const fresh = kmeans(m, { ...options, k, threads: 1 });
      assert.deepEqual(scan[i]!.labels, fresh.labels, `k=${k} (fit ${i + 1} of the scan)`);
      assert.deepEqual(scan[i]!.centroids, fresh.centroids, `k=${k} (fit ${i + 1} of the scan)`);
    }
  });
  it('rejects a thread count that is not a positive integer', () => {
    assert.throws(() => kmeans(blobs(10, 2, 2, 0), { k: 2, threads: 0 }), { message: 'kmeans requires threads to be an integer ≥ 1 (got threads=0)' });
  });
  it('a process that ran a threaded fit exits on its own (the pool does not keep it alive)', () => {
    // Run the same flavour as this test: sources under tsx, or the compiled .js files.
    const ts = import.meta.url.endsWith('.ts');
    const ext = ts ? 'ts' : 'js';
    const index = fileURLToPath(new URL(`./index.${ext}`, import.meta.url));
    const matrix = fileURLToPath(new URL(`../matrix.${ext}`, import.meta.url));
    const script = `
      const { kmeans } = await import(${JSON.stringify(index)});
      const { createMatrix } = await import(${JSON.stringify(matrix)});
      const n = ${PARALLEL_MIN_ROWS}, x = new Float64Array(n * 2);
      for (let i = 0; i < x.length; i++) x[i] = (i * 7919) % 1000;
      const r = kmeans(createMatrix(x, n, 2), { k: 3, nInit: 1, threads: 2 });
      console.log(r.labels.length);`;
    const r = spawnSync(process.execPath, [...(ts ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, `the child was killed (${r.signal}): it did not exit on its own; stderr: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), String(PARALLEL_MIN_ROWS));
  });
});
