/**
 * Reads the features of `features/definitions.ts` from a customer's incremental state at an as-of instant, each
 * the same arithmetic as its SQL definition: whole-day differences of UTC dates, windows of 90/180 days before the
 * as-of, ratios with a NULL (here NaN) denominator rule, `whenAbsent` values for customers without rows in the
 * source. NaN means missing; the model imputes it as the run did. O(1) per feature except `frequency_trend`
 * (O(purchases in the kept window)) and `preferred_hour` (24 bins).
 */
import type { FeatureState } from './feature-state.js';

const DAY_MS = 86_400_000;

/** One feature's value from the state at `asOf` (epoch ms); NaN for missing (SQL NULL). */
export type FeatureReader = (s: FeatureState, asOf: number) => number;

/** Whole days between the UTC dates of two instants: `date_diff('day', a::DATE, b::DATE)`. */
export function dayDiff(a: number, b: number): number {
  return Math.floor(b / DAY_MS) - Math.floor(a / DAY_MS);
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : NaN);
/** Behaviour features are NULL for a customer without page or track events (`src_behaviour` has no row). */
const behaviour = (s: FeatureState, value: number): number => (s.behaviour > 0 ? value : NaN);

/** Every feature the live path can maintain, by definition name. */
export const FEATURE_READERS: Readonly<Record<string, FeatureReader>> = {
  recency_days: (s, asOf) => (s.frequency > 0 ? dayDiff(s.lastOrder, asOf) : NaN),
  frequency: (s) => s.frequency,
  monetary: (s) => s.monetary,
  avg_order_value: (s) => ratio(s.monetary, s.frequency),
  tenure_days: (s, asOf) => (Number.isNaN(s.firstSeen) ? NaN : dayDiff(s.firstSeen, asOf)),
  avg_days_between_orders: (s) => (s.frequency > 1 ? (s.lastOrder / 1000 - s.firstOrder / 1000) / 86_400 / (s.frequency - 1) : NaN),
  frequency_trend: frequencyTrend,
  sessions: (s) => behaviour(s, s.sessions.size),
  page_views: (s) => behaviour(s, s.pageViews),
  avg_dwell_seconds: (s) => ratio(s.dwellSum, s.dwellCount),
  product_views: (s) => behaviour(s, s.productViewed),
  add_to_cart_rate: (s) => ratio(s.productAdded, s.productViewed),
  cart_abandonment_rate: (s) => ratio(s.abandonedSessions, s.addedSessions),
  email_open_rate: (s) => ratio(s.emailOpened, s.emailDelivered),
  email_click_rate: (s) => ratio(s.emailClicked, s.emailDelivered),
  discount_share: (s) => ratio(s.discounted, s.frequency),
  category_count: (s) => s.categories.size,
  preferred_hour: (s) => (s.frequency > 0 ? busiestHour(s.orderHours) : s.events > 0 ? busiestHour(s.eventHours) : NaN),
};

/** (orders in the last 90 days − orders in the 90 days before) / max(1, orders in the last 180 days). */
function frequencyTrend(s: FeatureState, asOf: number): number {
  const last = asOf - 90 * DAY_MS;
  const prior = asOf - 180 * DAY_MS;
  let recent = 0;
  let before = 0;
  for (const at of s.recentOrders) {
    if (at >= last) recent++;
    else if (at >= prior) before++;
  }
  return (recent - before) / Math.max(1, recent + before);
}

/** The hour with the most counts; ties go to the earliest hour. */
function busiestHour(hours: Int32Array): number {
  let best = 0;
  for (let h = 1; h < 24; h++) if (hours[h]! > hours[best]!) best = h;
  return best;
}

/**
 * The as-of a customer's features are read at live: what a run started now would use (`defaultAsOf`: midnight UTC
 * after the latest fact — here after now, or after the customer's last fact if that is later), and never before the
 * run's own as-of, so until then a customer is measured exactly as the run measured them.
 */
export function liveAsOf(runAsOf: number, now: number, lastSeen: number): number {
  const latest = Number.isNaN(lastSeen) ? now : Math.max(now, lastSeen);
  return Math.max(runAsOf, (Math.floor(latest / DAY_MS) + 1) * DAY_MS);
}

/** Readers for `columns` in order; throws naming the first column the live path cannot maintain. */
export function featureReaders(columns: readonly string[]): FeatureReader[] {
  return columns.map((name) => {
    const reader = FEATURE_READERS[name];
    if (!reader) throw new Error(`live features cannot maintain column ${JSON.stringify(name)} (known: ${Object.keys(FEATURE_READERS).join(', ')})`);
    return reader;
  });
}

/** Writes the features of `readers` for state `s` at `asOf` into `out` (NaN = missing); returns `out`. */
export function readFeatures(readers: readonly FeatureReader[], s: FeatureState, asOf: number, out: Float64Array): Float64Array {
  for (let j = 0; j < readers.length; j++) out[j] = readers[j]!(s, asOf);
  return out;
}
