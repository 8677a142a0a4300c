/**
 * Test support: reads the scikit-learn reference values written by `fixtures/sklearn/metrics/generate.py` and
 * compares numbers with a relative tolerance. Used by the `*.test.ts` files of this folder only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createMatrix, type FeatureMatrix } from '../matrix.js';

export interface FixtureLabeling {
  readonly name: string;
  readonly labels: number[];
  readonly centers?: number[];
  readonly inertia?: number;
}

export interface FixtureDataset {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly values: number[];
  readonly labelings: FixtureLabeling[];
  readonly scores: {
    labeling: string;
    silhouette: number;
    silhouetteExact: number;
    daviesBouldin: number;
    calinskiHarabasz: number;
    inertiaOfMeans: number;
  }[];
  readonly pairs: { a: string; b: string; ari: number; nmi: number; mi: number }[];
  readonly silhouetteSamples: { labeling: string; sklearn: number[]; exact: number[] };
  readonly elbow: { k: number[]; inertia: number[] };
}

export interface FixtureEdgeCase {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly values: number[];
  readonly labels: number[];
  readonly silhouetteSamples: number[];
  readonly silhouette: number;
  readonly daviesBouldin: number;
  readonly calinskiHarabasz: number;
}

export interface MetricsFixture {
  readonly sklearn: string;
  readonly datasets: FixtureDataset[];
  readonly edgeCases: FixtureEdgeCase[];
  readonly pairCases: { name: string; a: number[]; b: number[]; ari: number; nmi: number }[];
  readonly kneedle: { name: string; x: number[]; y: number[]; knee: number | null; difference: number[] }[];
}

let cached: MetricsFixture | undefined;

/** The parsed `fixtures/sklearn/metrics/metrics.json` (same relative path from src/ and dist/). */
export function loadFixture(): MetricsFixture {
  cached ??= JSON.parse(readFileSync(new URL('../../../fixtures/sklearn/metrics/metrics.json', import.meta.url), 'utf8')) as MetricsFixture;
  return cached;
}

/** The dataset's matrix. */
export function matrixOf(d: { values: number[]; rows: number; cols: number }): FeatureMatrix {
  return createMatrix(Float64Array.from(d.values), d.rows, d.cols);
}

/** The named labeling as an Int32Array. */
export function labelsOf(d: FixtureDataset, name: string): Int32Array {
  const l = d.labelings.find((x) => x.name === name);
  assert.ok(l, `labeling ${name} exists in ${d.name}`);
  return Int32Array.from(l.labels);
}

/** Asserts |actual − expected| <= rel·max(|actual|, |expected|) + abs. */
export function assertClose(actual: number, expected: number, what: string, rel = 1e-9, abs = 1e-12): void {
  const tol = rel * Math.max(Math.abs(actual), Math.abs(expected)) + abs;
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} (diff ${actual - expected}, tol ${tol})`);
}
