/**
 * The eight customer personas of the synthetic shop, as data. Each persona fixes its share of customers and
 * how its members browse, dwell, fill carts, buy, take discounts, read email and churn over the year. The
 * numbers were tuned with `scripts/synth-check` until K-means on the standardised features recovers the
 * personas (adjusted Rand index ≥ 0.9); see that folder's README for the figures.
 */

export const PERSONAS = [
  'high_value_active',
  'potential_growth',
  'stable_value',
  'churn_risk',
  'window_shoppers',
  'deal_seekers',
  'dormant',
  'new_customers',
] as const;

export type Persona = (typeof PERSONAS)[number];

/** Inclusive range [low, high]. */
export type Range = readonly [number, number];

/** When a customer's orders happen; `days` below are days since the window start. */
export type OrderPattern =
  /** About `perYear` orders at near-regular intervals (interval jitter as a fraction of the interval). */
  | { readonly kind: 'steady'; readonly perYear: number; readonly jitter: number }
  /** A Poisson process with `perYear` orders a year from first seen to the end. */
  | { readonly kind: 'poisson'; readonly perYear: number }
  /** Orders whose density grows like t^power over the customer's tenure (positive frequency trend). */
  | { readonly kind: 'growing'; readonly perYear: number; readonly power: number }
  /** A Poisson process that stops `stopBeforeEnd` days before the window ends, with a last order at the stop. */
  | { readonly kind: 'stopped'; readonly perYear: number; readonly stopBeforeEnd: Range }
  /** `count` orders within `withinDays` of first seen, none afterwards. */
  | { readonly kind: 'early'; readonly count: Range; readonly withinDays: number }
  /** `count` orders any time after first seen (for customers first seen recently). */
  | { readonly kind: 'few'; readonly count: Range }
  /** With probability `pOne` one order within `withinDays` of first seen, otherwise none. */
  | { readonly kind: 'maybeOne'; readonly pOne: number; readonly withinDays: number };

export interface PersonaSpec {
  /** Share of all customers. */
  readonly share: number;
  /** First-seen day: `days` after the window start, or before its end when `fromEnd`. */
  readonly firstSeen: { readonly fromEnd: boolean; readonly days: Range };
  readonly orders: OrderPattern;
  /** Median order value (before discount), currency units. */
  readonly aov: number;
  /** Probability that an order uses a coupon, and the coupon's share off. */
  readonly discountProb: number;
  readonly discountRate: Range;
  /**
   * Browsing (non-buying) visits per 30 days while active. Kept low so that the shop has about 109 events per
   * customer, the pipeline's judged scale (100k customers ≈ 10M events); see scripts/synth-check/README.md.
   */
  readonly browsePerMonth: number;
  /** Activity after which visits stop: the window end, or a number of days after the last order. */
  readonly activeUntil: { readonly kind: 'end' } | { readonly kind: 'lastOrder'; readonly plusDays: number };
  /** Stray visits after activity stopped. */
  readonly lateVisits: Range;
  /** Mean page views per visit, and median seconds on a page. */
  readonly pagesPerVisit: number;
  readonly dwellSeconds: number;
  /** Mean products viewed in a browsing visit, and the chance each view is added to the cart. */
  readonly productViewsPerVisit: number;
  readonly addProb: number;
  /** Email open probability at the window start and end (linear in between), and the chance an open is clicked. */
  readonly emailOpen: Range;
  readonly clickGivenOpen: number;
}

export const PERSONA_SPECS: Readonly<Record<Persona, PersonaSpec>> = {
  high_value_active: {
    share: 0.08, firstSeen: { fromEnd: false, days: [0, 30] },
    orders: { kind: 'steady', perYear: 28, jitter: 0.4 },
    aov: 220, discountProb: 0.03, discountRate: [0.05, 0.1],
    browsePerMonth: 0.35, activeUntil: { kind: 'end' }, lateVisits: [0, 0],
    pagesPerVisit: 3, dwellSeconds: 45, productViewsPerVisit: 3, addProb: 0.05,
    emailOpen: [0.7, 0.7], clickGivenOpen: 0.4,
  },
  potential_growth: {
    share: 0.14, firstSeen: { fromEnd: false, days: [0, 60] },
    orders: { kind: 'growing', perYear: 10, power: 3 },
    aov: 40, discountProb: 0.15, discountRate: [0.05, 0.15],
    browsePerMonth: 0.35, activeUntil: { kind: 'end' }, lateVisits: [0, 0],
    pagesPerVisit: 4, dwellSeconds: 60, productViewsPerVisit: 3, addProb: 0.25,
    emailOpen: [0.5, 0.6], clickGivenOpen: 0.35,
  },
  stable_value: {
    share: 0.16, firstSeen: { fromEnd: false, days: [0, 30] },
    orders: { kind: 'steady', perYear: 10, jitter: 0.15 },
    aov: 90, discountProb: 0.2, discountRate: [0.05, 0.15],
    browsePerMonth: 0.175, activeUntil: { kind: 'end' }, lateVisits: [0, 0],
    pagesPerVisit: 2, dwellSeconds: 28, productViewsPerVisit: 2, addProb: 0.05,
    emailOpen: [0.35, 0.35], clickGivenOpen: 0.2,
  },
  churn_risk: {
    share: 0.12, firstSeen: { fromEnd: false, days: [0, 30] },
    orders: { kind: 'stopped', perYear: 18, stopBeforeEnd: [100, 150] },
    aov: 130, discountProb: 0.05, discountRate: [0.05, 0.15],
    browsePerMonth: 0.28, activeUntil: { kind: 'lastOrder', plusDays: 10 }, lateVisits: [0, 2],
    pagesPerVisit: 3, dwellSeconds: 30, productViewsPerVisit: 2, addProb: 0.06,
    emailOpen: [0.3, 0], clickGivenOpen: 0.2,
  },
  window_shoppers: {
    share: 0.12, firstSeen: { fromEnd: false, days: [0, 60] },
    orders: { kind: 'maybeOne', pOne: 0.95, withinDays: 90 },
    aov: 60, discountProb: 0.02, discountRate: [0.05, 0.15],
    browsePerMonth: 0.56, activeUntil: { kind: 'end' }, lateVisits: [0, 0],
    pagesPerVisit: 5, dwellSeconds: 110, productViewsPerVisit: 4, addProb: 0.7,
    emailOpen: [0.2, 0.2], clickGivenOpen: 0.3,
  },
  deal_seekers: {
    share: 0.12, firstSeen: { fromEnd: false, days: [0, 30] },
    orders: { kind: 'poisson', perYear: 9 },
    aov: 28, discountProb: 0.92, discountRate: [0.15, 0.35],
    browsePerMonth: 0.42, activeUntil: { kind: 'end' }, lateVisits: [0, 0],
    pagesPerVisit: 3, dwellSeconds: 22, productViewsPerVisit: 3, addProb: 0.3,
    emailOpen: [0.65, 0.65], clickGivenOpen: 0.5,
  },
  dormant: {
    share: 0.14, firstSeen: { fromEnd: false, days: [0, 20] },
    orders: { kind: 'early', count: [1, 3], withinDays: 80 },
    aov: 55, discountProb: 0.05, discountRate: [0.05, 0.15],
    browsePerMonth: 0.28, activeUntil: { kind: 'lastOrder', plusDays: 15 }, lateVisits: [0, 1],
    pagesPerVisit: 2, dwellSeconds: 15, productViewsPerVisit: 1, addProb: 0.05,
    emailOpen: [0.06, 0.01], clickGivenOpen: 0.1,
  },
  new_customers: {
    share: 0.12, firstSeen: { fromEnd: true, days: [3, 45] },
    orders: { kind: 'few', count: [1, 2] },
    aov: 65, discountProb: 0.9, discountRate: [0.1, 0.15],
    browsePerMonth: 0.7, activeUntil: { kind: 'end' }, lateVisits: [0, 0],
    pagesPerVisit: 3, dwellSeconds: 40, productViewsPerVisit: 2, addProb: 0.1,
    emailOpen: [0.45, 0.45], clickGivenOpen: 0.3,
  },
};

/** Cumulative shares in `PERSONAS` order, for drawing a persona with one uniform number. */
export function personaCdf(specs: Readonly<Record<Persona, PersonaSpec>> = PERSONA_SPECS): Float64Array {
  const cdf = new Float64Array(PERSONAS.length);
  let sum = 0;
  PERSONAS.forEach((p, i) => {
    sum += specs[p].share;
    cdf[i] = sum;
  });
  for (let i = 0; i < cdf.length; i++) cdf[i]! /= sum;
  return cdf;
}

/** The persona whose cumulative share first exceeds `u` (u in [0, 1)). */
export function personaAt(cdf: Float64Array, u: number): Persona {
  for (let i = 0; i < cdf.length; i++) if (u < cdf[i]!) return PERSONAS[i]!;
  return PERSONAS[PERSONAS.length - 1]!;
}
