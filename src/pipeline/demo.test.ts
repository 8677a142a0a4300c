/**
 * The judged figure for the spine: `npm run demo` as shipped (20,000 customers, seed 42) recovers the
 * planted personas with an adjusted Rand index ≥ 0.9 against the generator's truth.csv. Seeds 1–3 always passed;
 * the default seed gave 0.84 (k = 7) until the k scan refitted its best k's neighbours (`kmeans-segments.ts`).
 * Runs the whole demo on a real DuckDB file: ~30 s.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_DEFAULTS, runDemo } from './demo.js';

test('the default demo recovers the planted personas (ARI ≥ 0.9) and writes every output', { timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'segmenta-demo-'));
  try {
    const result = await runDemo({ ...DEMO_DEFAULTS, out });
    assert.ok(result.personaRecoveryAri >= 0.9, `ARI ${result.personaRecoveryAri} at k=${result.run.k}`);
    assert.equal(result.run.k, 8, 'one cluster per planted persona family');
    for (const file of Object.values(result.files)) assert.ok(existsSync(file), `${file} written`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
