/**
 * The report's predictions section: per segment, the mean purchase propensity and churn risk of its members with a
 * sentence a marketer can read aloud, bars of both, and how far the segment classifier can be trusted to place new
 * customers. Inline HTML and SVG only; empty string when there is nothing to show.
 */
import type { PredictionSummary, SegmentPredictions } from '../../pipeline/predict/index.js';
import type { SegmentSummary } from '../../pipeline/types.js';
import { barChart } from '../svg/charts.js';
import { esc } from '../svg/escape.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const whole = (v: number) => `${Math.round(v * 100)}%`;

/** `segs` in display order with their colours; predictions matched by cluster. */
export function predictionsSection(p: PredictionSummary | null | undefined, segs: readonly SegmentSummary[], colours: readonly string[]): string {
  if (!p || (!p.churn && !p.propensity && !p.segmentModel)) return '';
  const byCluster = new Map(p.segments.map((s) => [s.cluster, s] as const));
  const rows = segs.map((s, i) => ({ seg: s, colour: colours[i] ?? '#999', pred: byCluster.get(s.cluster) }));
  const charts: string[] = [];
  if (p.propensity) {
    const h = p.propensity.horizonDays;
    charts.push(barChart(rows.map((r) => ({ label: r.seg.name, value: r.pred?.propensity?.mean ?? 0, colour: r.colour, text: r.pred?.propensity ? pct(r.pred.propensity.mean) : '–' })), { title: `Mean purchase propensity (buys within ${h} days)` }));
  }
  if (p.churn) {
    const h = p.churn.horizonDays;
    charts.push(barChart(rows.map((r) => ({ label: r.seg.name, value: r.pred?.churn?.mean ?? 0, colour: r.colour, text: r.pred?.churn ? pct(r.pred.churn.mean) : '–' })), { title: `Mean churn risk (no purchase within ${h} days)` }));
  }
  const placed = p.segmentModel !== null;
  const tableRows = rows
    .map((r) => `<tr><td><span class="swatch" style="background:${r.colour}"></span>${esc(r.seg.name)}</td><td class="num">${r.seg.size.toLocaleString('en-US')}</td>` +
      (p.propensity ? `<td class="num">${r.pred?.propensity ? pct(r.pred.propensity.mean) : '–'}</td>` : '') +
      (p.churn ? `<td class="num">${r.pred?.churn ? pct(r.pred.churn.mean) : '–'}</td>` : '') +
      (placed ? `<td class="num">${r.pred?.placed != null ? r.pred.placed.toLocaleString('en-US') : '–'}</td>` : '') +
      `<td>${esc(sentence(r.pred, p))}</td></tr>`)
    .join('');
  const head = '<tr><th>Segment</th><th class="num">customers</th>' +
    (p.propensity ? `<th class="num">purchase propensity (${p.propensity.horizonDays} d)</th>` : '') +
    (p.churn ? `<th class="num">churn risk (${p.churn.horizonDays} d)</th>` : '') +
    (placed ? '<th class="num">placed by the classifier</th>' : '') +
    '<th>In plain words</th></tr>';
  return `<h2>Predictions per segment</h2>
${charts.length > 0 ? `<div class="grid">${charts.map((c) => `<div class="card">${c}</div>`).join('')}</div>` : ''}
<div class="card"><p class="why">${esc(intro(p))}</p><table><thead>${head}</thead><tbody>${tableRows}</tbody></table>
${p.segmentModel ? `<p>${esc(classifierText(p))}</p>` : ''}</div>`;
}

/** "On average 34% likely to buy within 90 days. …" for one segment. */
export function sentence(s: SegmentPredictions | undefined, p: PredictionSummary): string {
  const parts: string[] = [];
  if (p.propensity && s?.propensity) parts.push(`On average ${whole(s.propensity.mean)} likely to buy within ${p.propensity.horizonDays} days.`);
  if (p.churn && s?.churn) parts.push(`Of those who have bought before, on average ${whole(s.churn.mean)} likely not to buy again within ${p.churn.horizonDays} days.`);
  if (parts.length === 0) parts.push('No churn or propensity score for these customers yet.');
  return parts.join(' ');
}

function intro(p: PredictionSummary): string {
  const parts: string[] = [];
  const auc = (v: number | null) => (v === null ? '' : `, held-out ROC AUC ${v.toFixed(2)}`);
  if (p.propensity) parts.push(`Purchase propensity: chance of buying within ${p.propensity.horizonDays} days after ${p.propensity.asOf.slice(0, 10)} (${p.propensity.model}${auc(p.propensity.rocAuc)}).`);
  if (p.churn) parts.push(`Churn risk: chance that a customer who has bought does not buy again within ${p.churn.horizonDays} days after ${p.churn.asOf.slice(0, 10)} (${p.churn.model}${auc(p.churn.rocAuc)}).`);
  parts.push('Each figure is the mean over the segment\'s customers who were scored.');
  return parts.join(' ');
}

function classifierText(p: PredictionSummary): string {
  const m = p.segmentModel!;
  const parts = [`New and partially observed customers are placed in these segments by a classifier (${m.model}) trained on this run, without re-running K-means.`];
  if (m.accuracy !== null) {
    parts.push(`In ${m.folds ?? 'k'}-fold cross-validation it gives ${pct(m.accuracy)} of customers their K-means segment${m.baselineAccuracy !== null ? ` (logistic regression baseline ${pct(m.baselineAccuracy)})` : ''}.`);
  }
  for (const h of m.partial) {
    if (h.classifier === null) continue;
    parts.push(`Seeing only a customer's first ${h.days} days, it names the segment they end up in for ${whole(h.classifier)} of customers${h.nearestCentroid !== null ? `, against ${whole(h.nearestCentroid)} for the nearest segment centre` : ''}.`);
  }
  return parts.join(' ');
}
