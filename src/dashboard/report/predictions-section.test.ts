import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PredictionSummary } from '../../pipeline/predict/index.js';
import type { SegmentSummary } from '../../pipeline/types.js';
import { predictionsSection, sentence } from './predictions-section.js';

const seg = (cluster: number, name: string, size: number) => ({ cluster, name, size }) as SegmentSummary;
const segs = [seg(1, 'Loyal & big', 300), seg(0, 'Lapsed', 200)];
const summary: PredictionSummary = {
  runId: 'run-1',
  propensity: { horizonDays: 90, model: 'gbt', asOf: '2026-01-01T00:00:00.000Z', customers: 500, rocAuc: 0.81 },
  churn: { horizonDays: 60, model: 'forest', asOf: '2026-01-01T00:00:00.000Z', customers: 420, rocAuc: null },
  segmentModel: {
    model: 'gbt', asOf: '2026-01-01T00:00:00.000Z', customers: 510, folds: 5, accuracy: 0.9926, macroF1: 0.99, baselineAccuracy: 0.9902,
    partial: [{ days: 30, customers: 400, classifier: 0.746, nearestCentroid: 0.194 }, { days: 60, customers: 380, classifier: null, nearestCentroid: null }],
  },
  segments: [
    { cluster: 0, name: 'Lapsed', members: 200, churn: { customers: 150, mean: 0.72 }, propensity: { customers: 200, mean: 0.08 }, placed: 205 },
    { cluster: 1, name: 'Loyal & big', members: 300, churn: { customers: 270, mean: 0.12 }, propensity: { customers: 300, mean: 0.344 }, placed: 305 },
  ],
};

describe('predictionsSection', () => {
  it('says per segment, in words, how likely its customers are to buy and to lapse', () => {
    assert.equal(sentence(summary.segments[1], summary), 'On average 34% likely to buy within 90 days. Of those who have bought before, on average 12% likely not to buy again within 60 days.');
    assert.equal(sentence(undefined, summary), 'No churn or propensity score for these customers yet.');
  });

  it('renders a table in the report\'s segment order, the bars, and the classifier\'s cross-validated accuracy, escaped', () => {
    const html = predictionsSection(summary, segs, ['#111', '#222']);
    assert.match(html, /^<h2>Predictions per segment<\/h2>/);
    assert.ok(html.indexOf('Loyal &amp; big</td>') < html.indexOf('Lapsed</td>'));
    assert.match(html, /<td class="num">34\.4%<\/td><td class="num">12\.0%<\/td><td class="num">305<\/td>/);
    assert.match(html, /Mean purchase propensity \(buys within 90 days\)/);
    assert.match(html, /held-out ROC AUC 0\.81/);
    assert.match(html, /In 5-fold cross-validation it gives 99\.3% of customers their K-means segment \(logistic regression baseline 99\.0%\)\./);
    assert.match(html, /first 30 days, it names the segment they end up in for 75% of customers, against 19% for the nearest segment centre\./);
    assert.doesNotMatch(html, /first 60 days|NaN|undefined/);
  });

  it('is empty without predictions, and leaves out what was not predicted', () => {
    assert.equal(predictionsSection(null, segs, []), '');
    assert.equal(predictionsSection(undefined, segs, []), '');
    const onlyChurn = predictionsSection({ ...summary, propensity: null, segmentModel: null }, segs, ['#111', '#222']);
    assert.doesNotMatch(onlyChurn, /propensity|classifier/);
    assert.match(onlyChurn, /Of those who have bought before, on average 72% likely not to buy again within 60 days\./);
  });
});
