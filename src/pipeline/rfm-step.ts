/**
 * RFM step of a run: scores recency, frequency and monetary (quintiles, 125-code lookup) from the run's
 * feature matrix, row for row. Only `frequency` decides who is scored (≥ 1 purchase), so the imputed recency
 * of customers without a purchase never enters a score. A feature the matrix dropped (missing for everyone,
 * as recency is when nobody has bought yet) reads as missing, as the stored NULLs would.
 */
import type { FeatureMatrix } from '../models/matrix.js';
import { scoreRfm, type RfmScores, type RfmWeights } from '../segments/rfm/index.js';

export function scoreMatrixRfm(m: FeatureMatrix, weights?: RfmWeights): RfmScores {
  const column = (name: string): Float64Array => {
    const c = m.columns.indexOf(name);
    const out = new Float64Array(m.rows).fill(NaN);
    if (c < 0) return out;
    for (let r = 0; r < m.rows; r++) out[r] = m.values[r * m.cols + c]!;
    return out;
  };
  return scoreRfm(column('recency_days'), column('frequency'), column('monetary'), weights ? { weights } : {});
}
