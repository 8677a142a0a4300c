/**
 * The report's tables as HTML strings: the strategy per segment, the centroids in the features' own units, and the
 * RFM segments. Every text is escaped; numbers use en-US grouping.
 */
import type { RunSummary, SegmentSummary } from '../../pipeline/types.js';
import { humanise } from '../../segments/naming/index.js';
import type { Strategy } from '../../strategies/index.js';
import { esc } from '../svg/escape.js';

export const money = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
export const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** A coloured square before a segment's name. */
export function swatch(colour: string): string {
  return `<span class="swatch" style="background:${esc(colour)}"></span>`;
}

export interface StrategyRow {
  readonly name: string;
  readonly colour: string;
  /** Why the segment got its name, in words. */
  readonly reason: string;
  readonly strategy: Strategy | null;
}

/** One row per segment: goal, tactic, channels, offer, timing, contact cap and KPI. */
export function strategyTable(rows: readonly StrategyRow[]): string {
  const body = rows
    .map((s) => {
      const head = `<td>${swatch(s.colour)}<b>${esc(s.name)}</b>${s.reason ? `<div class="why">${esc(s.reason)}</div>` : ''}</td>`;
      const st = s.strategy;
      if (!st) return `<tr>${head}<td colspan="7" class="why">No strategy stored for this segment.</td></tr>`;
      return `<tr>${head}<td>${esc(st.goal)}</td><td>${esc(st.tactic)}</td><td>${esc(st.channels.join(', '))}</td><td>${esc(st.offer)}</td>` +
        `<td>${esc(st.timing)}</td><td>${esc(capText(st.frequencyCap))}</td><td>${esc(st.kpi)}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Segment and why</th><th>Goal</th><th>Tactic</th><th>Channels</th><th>Offer</th><th>Timing</th><th>Frequency cap</th><th>KPI</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Segment centroids (member means before scaling) in the features' own units; `segs` in display order. */
export function centroidTable(run: RunSummary, segs: readonly SegmentSummary[], colours: readonly string[]): string {
  const body = segs
    .map((s, i) => `<tr><td class="name">${swatch(colours[i] ?? '#999')}${esc(s.name)}</td><td class="num">${s.size.toLocaleString('en-US')}</td>` +
      run.features.map((f) => `<td class="num">${formatFeature(f, s.centroid[f])}</td>`).join('') + '</tr>')
    .join('');
  return `<table><thead><tr><th>Segment</th><th class="num">customers</th>${run.features.map((f) => `<th class="num">${esc(humanise(f))}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The named RFM segments of the run: customers, revenue and average recency, orders and spend. */
export function rfmTable(run: RunSummary): string {
  const body = run.rfm
    .map((r) => `<tr><td>${esc(r.segment)}</td><td class="num">${r.customers.toLocaleString('en-US')}</td><td class="num">${money(r.revenue)}</td><td class="num">${r.avgRecencyDays.toFixed(0)}</td><td class="num">${r.avgFrequency.toFixed(1)}</td><td class="num">${money(r.avgMonetary)}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>RFM segment</th><th class="num">customers</th><th class="num">revenue</th><th class="num">avg recency (days)</th><th class="num">avg orders</th><th class="num">avg spend</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** The line under the report naming the features and transforms of the run. */
export function featuresNote(run: RunSummary): string {
  return `<div class="sub">Features used: ${esc(run.features.join(', '))}. Transforms: ${esc(run.transforms.join('; '))}.${run.droppedFeatures.length ? ` Dropped (missing for every customer): ${esc(run.droppedFeatures.join(', '))}.` : ''}</div>`;
}

function formatFeature(feature: string, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (feature.endsWith('_rate') || feature.endsWith('_share')) return pct(v);
  if (Math.abs(v) >= 100) return money(v);
  return v.toFixed(2);
}

function capText(cap: { maxContacts: number; per: string; pauseAfterUnanswered?: number; retryAfterDays?: number }): string {
  let text = `≤ ${cap.maxContacts} per ${cap.per}`;
  if (cap.pauseAfterUnanswered) text += `; pause after ${cap.pauseAfterUnanswered} unanswered`;
  if (cap.retryAfterDays) text += `; retry after ${cap.retryAfterDays} days`;
  return text;
}
