import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { blobs } from '../../models/select/test-blobs.js';
import { adjustedRandIndex } from '../../models/metrics/index.js';
import { Store, quoteLiteral } from '../../store/db.js';
import type { Io } from '../output.js';
import { clusterCommand } from './cluster.js';
import { metricsCommand } from './metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-cluster-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function capture(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), interactive: false };
}

const planted = blobs(240, 3, 2, 4);
const input = join(dir, 'blobs.csv');
writeFileSync(input, `id,x,y\n${Array.from({ length: 240 }, (_, i) => `cust-${i},${planted.m.values[2 * i]},${planted.m.values[2 * i + 1]}`).join('\n')}\n`);

function readLabels(file: string): { ids: string[]; labels: Int32Array } {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(header, 'id,label');
  return { ids: rows.map((r) => r.split(',')[0]!), labels: Int32Array.from(rows.map((r) => Number(r.split(',')[1]))) };
}

describe('segmenta cluster', () => {
  it('--method auto picks the planted k, prints JSON and writes id,label with the input ids', async () => {
    const io = capture();
    const out = join(dir, 'labels.csv');
    assert.equal(await clusterCommand.run(['--input', input, '--seed', '3', '--resamples', '3', '--labels-out', out, '--json'], io), 0);
    const result = JSON.parse(io.lines.join('\n')) as { method: string; k: number; sizes: number[]; metrics: { silhouette: number }; explanation: string; candidates: unknown[] };
    assert.equal(result.k, 3);
    assert.equal(result.method, 'kmeans');
    assert.deepEqual(result.sizes, [80, 80, 80]);
    assert.ok(result.metrics.silhouette > 0.8);
    assert.match(result.explanation, /^chose kmeans k=3: /);
    assert.equal(result.candidates.length, 63);
    const written = readLabels(out);
    assert.deepEqual(written.ids.slice(0, 3), ['cust-0', 'cust-1', 'cust-2']);
    assert.deepEqual(Array.from(written.labels.slice(0, 4)), [0, 1, 2, 0]);
    assert.equal(adjustedRandIndex(written.labels, planted.truth), 1);
    assert.deepEqual(io.errors, []);
  });

  it('prints a readable summary for one method with a fixed k, and reads Parquet', async () => {
    const parquet = join(dir, 'blobs.parquet');
    const store = await Store.open(':memory:');
    try {
      await store.run(`COPY (SELECT x, y FROM read_csv(${quoteLiteral(input)})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    } finally {
      store.close();
    }
    const io = capture();
    const out = join(dir, 'ward.csv');
    assert.equal(await clusterCommand.run(['--input', parquet, '--method', 'ward', '--k', '3', '--scale', 'none', '--labels-out', out], io), 0);
    const text = io.lines.join('\n');
    assert.match(text, /blobs\.parquet: 240 rows × 2 columns, scaled none/);
    assert.match(text, /ward k=3: silhouette 0\.\d{3} · Davies–Bouldin 0\.\d{3} · Calinski–Harabasz [\d.]+ · inertia [\d.]+/);
    assert.match(text, /sizes: 0: 80, 1: 80, 2: 80/);
    const written = readLabels(out);
    assert.deepEqual(written.ids.slice(0, 3), ['1', '2', '3'], 'row numbers without an id column');
    assert.equal(adjustedRandIndex(written.labels, planted.truth), 1);
  });

  it('--k auto for one method chooses k by silhouette with the elbow', async () => {
    const io = capture();
    await clusterCommand.run(['--input', input, '--method', 'kmeans', '--json'], io);
    const result = JSON.parse(io.lines.join('\n')) as { k: number; explanation: string };
    assert.equal(result.k, 3);
    assert.match(result.explanation, /inertia elbow at k=3 \(agrees\)/);
  });

  const bad: [string, string[], string | RegExp][] = [
    ['k above the rows', ['--method', 'kmeans', '--k', '500'], /^--k must be at most the number of rows of .*blobs\.csv \(got k=500, rows=240\)$/],
    ['k below 1', ['--method', 'kmeans', '--k', '0'], '--k must be a whole number between 1 and 1000000 (got "0")'],
    ['an unknown method', ['--method', 'dbscan'], '--method must be one of kmeans, minibatch, ward, complete, average, single, gmm, auto (got "dbscan")'],
    ['an unknown scaling', ['--scale', 'log'], '--scale must be one of zscore, robust, minmax, none (got "log")'],
    ['k = 1 with auto', ['--k', '1'], 'chooseModel requires integer k ≥ 2 to compare clusterings (got k=1)'],
  ];
  for (const [what, args, message] of bad) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(clusterCommand.run(['--input', input, ...args], capture()), { name: 'InputError', message });
    });
  }

  const badFiles: [string, string, string][] = [
    ['NaN', 'x,y\n1,2\nNaN,3\n', 'nan.csv line 3, column "x": value must be a finite number (got "NaN")'],
    ['Infinity', 'x,y\n1,2\n2,-Infinity\n', 'inf.csv line 3, column "y": value must be a finite number (got "-Infinity")'],
    ['an empty file', '', 'empty.csv is empty: expected a header line and at least one data row'],
    ['a non-numeric column', 'id,x,city\na,1,Paris\n', 'text.csv line 2, column "city": column is not numeric (got "Paris"); only the id column may hold text'],
  ];
  for (const [what, text, message] of badFiles) {
    it(`rejects a file with ${what}`, async () => {
      const file = join(dir, message.split(' ')[0]!);
      writeFileSync(file, text);
      await assert.rejects(clusterCommand.run(['--input', file, '--k', '2'], capture()), { name: 'InputError', message });
    });
  }

  it('requires --input', async () => {
    await assert.rejects(clusterCommand.run([], capture()), { message: 'segmenta cluster requires --input FILE (.csv or .parquet)' });
  });
});

describe('segmenta metrics', () => {
  it('reproduces the scores cluster printed, from the labels file it wrote', async () => {
    const out = join(dir, 'km.csv');
    const a = capture();
    await clusterCommand.run(['--input', input, '--method', 'kmeans', '--k', '3', '--labels-out', out, '--json'], a);
    const clustered = JSON.parse(a.lines.join('\n')) as { metrics: Record<string, number> };
    const b = capture();
    assert.equal(await metricsCommand.run(['--input', input, '--labels', out, '--json'], b), 0);
    const m = JSON.parse(b.lines.join('\n')) as Record<string, number | string>;
    assert.equal(m.alignedBy, 'id');
    assert.equal(m.k, 3);
    for (const key of ['silhouette', 'davies_bouldin', 'calinski_harabasz', 'inertia']) assert.equal(m[key], clustered.metrics[key], key);
  });

  it('prints the four scores for people', async () => {
    const labels = join(dir, 'rows.csv');
    writeFileSync(labels, `label\n${Array.from(planted.truth).join('\n')}\n`);
    const io = capture();
    await metricsCommand.run(['--input', input, '--labels', labels], io);
    assert.match(io.lines.join('\n'), /240 rows, k=3 \(labels matched by row\), scaled zscore\nsilhouette +0\.\d{4}\ndavies_bouldin +0\.\d{4}\ncalinski_harabasz +[\d.]+\ninertia +[\d.]+/);
  });

  it('rejects a labelling with a single cluster', async () => {
    const labels = join(dir, 'one.csv');
    writeFileSync(labels, `label\n${'0\n'.repeat(240)}`);
    await assert.rejects(metricsCommand.run(['--input', input, '--labels', labels], capture()), { message: /one\.csv: the metrics require between 2 and rows − 1 distinct labels \(got 1 labels, rows=240\)/ });
  });
});
