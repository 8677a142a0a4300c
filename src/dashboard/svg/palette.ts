/**
 * One colour per segment family, the same on every chart and page, so "churn risk" is always the same red.
 * Colours from a colour-blind-safe qualitative palette (Okabe–Ito, extended).
 */
import type { Family } from '../../segments/naming/index.js';

export const FAMILY_COLOURS: Readonly<Record<Family, string>> = {
  high_value_active: '#0072B2',
  potential_growth: '#009E73',
  stable_value: '#56B4E9',
  churn_risk: '#D55E00',
  window_shoppers: '#CC79A7',
  deal_seekers: '#E69F00',
  dormant: '#7F7F7F',
  new_customers: '#332288',
};

/** Diverging colour for a z value: blue below average, red above, white at 0 (clamped at ±2.5σ). */
export function divergingColour(z: number): string {
  const t = Math.max(-1, Math.min(1, z / 2.5));
  const mix = (a: number, b: number, f: number) => Math.round(a + (b - a) * f);
  const [r, g, b] = t >= 0 ? [mix(255, 202, t), mix(255, 0, t), mix(255, 32, t)] : [mix(255, 5, -t), mix(255, 113, -t), mix(255, 176, -t)];
  return `rgb(${r},${g},${b})`;
}
