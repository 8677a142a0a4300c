/** Test helper: loads the scikit-learn fixtures written by fixtures/sklearn/kmeans/generate.py. */
import { readFileSync } from 'node:fs';
import { createMatrix, type FeatureMatrix } from '../matrix.js';

export interface SklearnCase {
  readonly name: string;
  readonly data: string;
  readonly k: number;
  readonly tol: number;
  readonly maxIter: number;
  readonly init: number[];
  readonly fixed: { inertia: number; iterations: number; labels: number[]; centroids: number[] };
  readonly kmeansPlusPlusBestInertia: number;
}

interface FixtureFile {
  readonly source: string;
  readonly datasets: Record<string, { rows: number; cols: number; xB64: string }>;
  readonly cases: SklearnCase[];
}

const url = new URL('../../../fixtures/sklearn/kmeans/kmeans.json', import.meta.url);

export function loadKMeansFixtures(): { source: string; cases: SklearnCase[]; matrix(name: string): FeatureMatrix } {
  const file = JSON.parse(readFileSync(url, 'utf8')) as FixtureFile;
  return {
    source: file.source,
    cases: file.cases,
    matrix(name) {
      const ds = file.datasets[name];
      if (!ds) throw new Error(`fixture dataset ${name} not found`);
      const bytes = Buffer.from(ds.xB64, 'base64');
      const values = new Float64Array(ds.rows * ds.cols);
      new Uint8Array(values.buffer).set(bytes);
      return createMatrix(values, ds.rows, ds.cols);
    },
  };
}
