/**
 * Names clusters in business terms from their centroids, with the reason shown.
 * Each cluster is scored against every family profile (see families.ts); names are then handed out
 * greedily, best (cluster, family) score first, so two clusters share a family only when there are more
 * clusters than families or a second cluster fits a family far better than any free one. A cluster that
 * shares a family gets a qualifier from its most distinctive feature ("Stable value · high monetary").
 * Cost: O(k · families · features).
 */
import { FAMILIES, FAMILY_LABELS, FAMILY_PROFILES, STABLE_CENTRE_BONUS, type Family } from './families.js';

export interface ClusterProfileInput {
  /** Feature names, in the order of the centroid vectors. */
  readonly columns: readonly string[];
  /** k × cols, standardised centroids (z: standard deviations from the customer average). */
  readonly zCentroids: Float64Array;
  /** k × cols, centroids in the original units (for the reason text). */
  readonly rawCentroids: Float64Array;
  readonly k: number;
}

export interface ClusterName {
  readonly cluster: number;
  readonly family: Family;
  /** Display name, unique within the run: the family label, plus a qualifier when a family repeats. */
  readonly name: string;
  /** Why: the features that drove the choice, with their values and z. */
  readonly reason: string;
  readonly score: number;
}

export function nameClusters(input: ClusterProfileInput): ClusterName[] {
  const { columns, zCentroids, k } = input;
  const cols = columns.length;
  const scores = new Float64Array(k * FAMILIES.length);
  for (let c = 0; c < k; c++) {
    for (let f = 0; f < FAMILIES.length; f++) scores[c * FAMILIES.length + f] = familyScore(FAMILIES[f]!, columns, zCentroids.subarray(c * cols, (c + 1) * cols));
  }
  const pairs: { c: number; f: number; s: number }[] = [];
  for (let c = 0; c < k; c++) for (let f = 0; f < FAMILIES.length; f++) pairs.push({ c, f, s: scores[c * FAMILIES.length + f]! });
  pairs.sort((a, b) => b.s - a.s || a.c - b.c || a.f - b.f);
  const familyOf = new Int32Array(k).fill(-1);
  const taken = new Uint8Array(FAMILIES.length);
  for (const { c, f } of pairs) {
    if (familyOf[c] !== -1 || taken[f]) continue;
    familyOf[c] = f;
    taken[f] = 1;
  }
  // More clusters than families: the rest take their best family and get a qualifier below.
  for (let c = 0; c < k; c++) {
    if (familyOf[c] !== -1) continue;
    let best = 0;
    for (let f = 1; f < FAMILIES.length; f++) if (scores[c * FAMILIES.length + f]! > scores[c * FAMILIES.length + best]!) best = f;
    familyOf[c] = best;
  }
  const names: ClusterName[] = [];
  const uses = new Map<number, number>();
  for (let c = 0; c < k; c++) uses.set(familyOf[c]!, (uses.get(familyOf[c]!) ?? 0) + 1);
  const usedNames = new Set<string>();
  for (let c = 0; c < k; c++) {
    const family = FAMILIES[familyOf[c]!]!;
    const z = zCentroids.subarray(c * cols, (c + 1) * cols);
    let name: string = FAMILY_LABELS[family];
    if ((uses.get(familyOf[c]!) ?? 0) > 1) name = `${name} · ${qualifier(columns, z, usedNames, name)}`;
    usedNames.add(name);
    names.push({ cluster: c, family, name, reason: reasonFor(family, input, c), score: scores[c * FAMILIES.length + familyOf[c]!]! });
  }
  return names;
}

function familyScore(family: Family, columns: readonly string[], z: Float64Array): number {
  const profile = FAMILY_PROFILES[family];
  let score = 0;
  let meanAbs = 0;
  for (let j = 0; j < columns.length; j++) {
    const w = profile[columns[j]!];
    if (w !== undefined) score += w * clampZ(z[j]!);
    meanAbs += Math.abs(clampZ(z[j]!));
  }
  meanAbs /= Math.max(1, columns.length);
  if (family === 'stable_value') score += STABLE_CENTRE_BONUS * (1 - meanAbs);
  return score;
}

/** Caps |z| at 3 so one extreme feature cannot outvote the rest of a profile. */
function clampZ(v: number): number {
  return v > 3 ? 3 : v < -3 ? -3 : v;
}

function qualifier(columns: readonly string[], z: Float64Array, used: Set<string>, base: string): string {
  const order = Array.from(columns.keys()).sort((a, b) => Math.abs(z[b]!) - Math.abs(z[a]!));
  for (const j of order) {
    const text = `${z[j]! >= 0 ? 'high' : 'low'} ${humanise(columns[j]!)}`;
    if (!used.has(`${base} · ${text}`)) return text;
  }
  return `group ${used.size + 1}`;
}

function reasonFor(family: Family, input: ClusterProfileInput, c: number): string {
  const { columns, zCentroids, rawCentroids } = input;
  const cols = columns.length;
  const profile = FAMILY_PROFILES[family];
  const parts = columns
    .map((name, j) => ({ name, j, contribution: (profile[name] ?? 0) * clampZ(zCentroids[c * cols + j]!) }))
    .filter((p) => p.contribution !== 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 3)
    .map(({ name, j }) => `${humanise(name)} ${formatValue(name, rawCentroids[c * cols + j]!)} (${signed(zCentroids[c * cols + j]!)}σ)`);
  if (family === 'stable_value' || parts.length === 0) {
    const near = columns.filter((_, j) => Math.abs(zCentroids[c * cols + j]!) < 0.5).length;
    parts.push(`${near} of ${cols} features within ±0.5σ of the average`);
  }
  return parts.join(', ');
}

export function humanise(feature: string): string {
  return feature.replace(/_days$/, '').replace(/_/g, ' ');
}

function formatValue(feature: string, v: number): string {
  if (feature.endsWith('_rate') || feature.endsWith('_share')) return `${(v * 100).toFixed(0)}%`;
  if (feature.endsWith('_days')) return `${v.toFixed(0)} d`;
  if (feature === 'frequency_trend') return signed(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;
}
