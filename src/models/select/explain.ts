/** The human explanation of a model choice: what won, by how much, how stable, and what was approximated. */
import type { Candidate } from './grid.js';
import { isHierarchical } from './types.js';

export interface ExplainInput {
  readonly chosen: Candidate;
  /** Eligible candidates by descending silhouette. */
  readonly ranked: readonly Candidate[];
  readonly candidates: readonly Candidate[];
  readonly stableFound: boolean;
  readonly rule: string;
  readonly rows: number;
  readonly hierarchicalSample: number | null;
  readonly silhouetteSample: number;
  /** Row cap of hierarchical trees in bootstrap refits. */
  readonly stabilitySample?: number;
}

const f2 = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2));
const name = (c: Candidate): string => `${c.method} k=${c.k}`;
const stab = (c: Candidate): string => (c.stability ? `${f2(c.stability.mean)} ± ${f2(c.stability.std)}` : 'not computed');

export function explainChoice(x: ExplainInput): string {
  const { chosen, ranked } = x;
  const rival = ranked.find((c) => c.method !== chosen.method) ?? ranked.find((c) => c !== chosen);
  const parts = [
    `chose ${name(chosen)}: silhouette ${f2(chosen.silhouette)}${rival ? ` (next best ${name(rival)}: ${f2(rival.silhouette)})` : ''}, stability ${stab(chosen)}`,
    `Davies–Bouldin ${f2(chosen.daviesBouldin)}, Calinski–Harabasz ${Math.round(chosen.calinskiHarabasz ?? 0).toLocaleString('en-US')}`,
  ];
  const top = ranked[0];
  if (top && top !== chosen) {
    parts.push(x.stableFound && top.stability && top.stability.mean >= 0.8
      ? `${name(top)} scored ${f2(top.silhouette)} but counts as tied and is less simple`
      : `${name(top)} scored a higher silhouette ${f2(top.silhouette)} but its stability is ${stab(top)}`);
  }
  if (!x.stableFound) parts.push(`no candidate checked reached the stability bar, so the most stable of the best by silhouette was taken`);
  const gmm = x.candidates.filter((c) => c.bic !== null).sort((a, b) => a.bic! - b.bic!)[0];
  if (gmm) parts.push(`gmm's BIC is lowest at k=${gmm.k}`);
  parts.push(`rule: ${x.rule}`);
  if (x.hierarchicalSample !== null) {
    parts.push(`hierarchical methods were fitted on a sample of ${x.hierarchicalSample.toLocaleString('en-US')} of ${x.rows.toLocaleString('en-US')} rows, the rest assigned to the nearest cluster mean`);
  }
  if (x.stabilitySample !== undefined && isHierarchical(chosen.method) && x.rows * 0.632 > x.stabilitySample) {
    parts.push(`its bootstrap refits built trees on ${x.stabilitySample.toLocaleString('en-US')} rows each`);
  }
  if (x.rows > x.silhouetteSample) parts.push(`silhouettes for the comparison on a sample of ${x.silhouetteSample.toLocaleString('en-US')} rows`);
  return `${parts.join('; ')}.`;
}
