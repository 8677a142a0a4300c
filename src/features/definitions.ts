/**
 * Customer features as data. Each entry is one aggregate SQL expression over a source CTE (see `sources.ts`),
 * grouped by customer; `compileFeatures` joins them into one statement. Adding a feature is adding one entry.
 *
 * Conventions: `whenAbsent` is the value for a customer with no rows in the source (0 orders is a fact, not a gap);
 * anything still NULL is missing, and `missing` says what that means and how `readFeatureMatrix` imputes it.
 */
import { AS_OF, trackCounter, type FeatureSource } from './sources.js';

/** How a missing value is filled for models: the column median, zero, or the column maximum. */
export type ImputeRule = 'median' | 'zero' | 'max';

export interface FeatureDefinition {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly group: 'purchase' | 'behaviour';
  readonly source: FeatureSource;
  /** An aggregate expression over `src_<source>`; `$as_of` is the as-of instant. */
  readonly sql: string;
  /** Value for a customer with no rows in the source; omitted means NULL (missing). */
  readonly whenAbsent?: number;
  /** Apply `whenAbsent` only to customers present in this other source (else NULL), e.g. 0 sessions but behaviour. */
  readonly whenAbsentIfIn?: FeatureSource;
  readonly missing: { readonly meaning: string; readonly impute: ImputeRule };
}

const LAST_90 = `ordered_at >= ${AS_OF} - INTERVAL 90 DAY`;
const PRIOR_90 = `ordered_at >= ${AS_OF} - INTERVAL 180 DAY AND ordered_at < ${AS_OF} - INTERVAL 90 DAY`;
/** Track events named `event`, summed over the customer's digest rows (`sources.ts` EVENT_COUNTERS). */
const track = (event: string) => `sum(${trackCounter(event)})::BIGINT`;
const BEHAVIOUR_MISSING = { meaning: 'no behaviour events at all (e.g. an offline buyer)', impute: 'median' } as const;

export const FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'recency_days', unit: 'days', group: 'purchase', source: 'orders',
    description: "Whole days from the last purchase date to the as-of date: date_diff('day', max(ordered_at)::DATE, as_of::DATE).",
    sql: `date_diff('day', max(ordered_at)::DATE, (${AS_OF})::DATE)`,
    missing: { meaning: 'no purchase yet', impute: 'max' },
  },
  {
    name: 'frequency', unit: 'orders', group: 'purchase', source: 'orders',
    description: 'Distinct kept purchase orders.',
    sql: 'count(*)', whenAbsent: 0,
    missing: { meaning: 'cannot be missing: no purchases is 0', impute: 'zero' },
  },
  {
    name: 'monetary', unit: 'currency', group: 'purchase', source: 'orders',
    description: 'Sum of quantity × unit_price − discount over kept purchase lines (revenue − discount for orders without lines).',
    sql: 'sum(amount)', whenAbsent: 0,
    missing: { meaning: 'cannot be missing: no purchases is 0', impute: 'zero' },
  },
  {
    name: 'avg_order_value', unit: 'currency', group: 'purchase', source: 'orders',
    description: 'monetary / frequency.',
    sql: 'sum(amount) / count(*)',
    missing: { meaning: 'no purchase: nothing spent', impute: 'zero' },
  },
  {
    name: 'tenure_days', unit: 'days', group: 'purchase', source: 'seen',
    description: "Whole days from first seen (first identified event or first purchase order) to the as-of date: date_diff('day', min(first_ts)::DATE, as_of::DATE).",
    sql: `date_diff('day', min(first_ts)::DATE, (${AS_OF})::DATE)`,
    missing: { meaning: 'cannot be missing: every customer was seen', impute: 'median' },
  },
  {
    name: 'avg_days_between_orders', unit: 'days', group: 'purchase', source: 'orders',
    description: '(last − first purchase time, in fractional days) / (frequency − 1); null when frequency < 2.',
    sql: '(epoch(max(ordered_at)) - epoch(min(ordered_at))) / 86400.0 / nullif(count(*) - 1, 0)',
    missing: { meaning: 'fewer than two orders: no gap observed yet', impute: 'max' },
  },
  {
    name: 'frequency_trend', unit: 'ratio', group: 'purchase', source: 'orders',
    description: '(orders in the last 90 days − orders in the 90 days before) / max(1, their sum); in [−1, 1].',
    sql: `(count(*) FILTER (WHERE ${LAST_90}) - count(*) FILTER (WHERE ${PRIOR_90}))
      / greatest(1, count(*) FILTER (WHERE ordered_at >= ${AS_OF} - INTERVAL 180 DAY))`,
    whenAbsent: 0,
    missing: { meaning: 'cannot be missing: no orders in either window is 0', impute: 'zero' },
  },
  {
    name: 'sessions', unit: 'sessions', group: 'behaviour', source: 'sessions',
    description: 'Distinct session_id among page and track events (0 when behaviour events carry no session_id).',
    sql: 'count(*)', whenAbsent: 0, whenAbsentIfIn: 'behaviour', missing: BEHAVIOUR_MISSING,
  },
  {
    name: 'page_views', unit: 'views', group: 'behaviour', source: 'behaviour',
    description: 'Number of page events.',
    sql: 'sum(page_views)::BIGINT', missing: BEHAVIOUR_MISSING,
  },
  {
    name: 'avg_dwell_seconds', unit: 'seconds', group: 'behaviour', source: 'behaviour',
    description: 'Mean dwell_seconds of page events; null without page views with a dwell time.',
    sql: 'sum(page_dwell_sum) / nullif(sum(page_dwell_count), 0)',
    missing: { meaning: 'no page view with a dwell time', impute: 'median' },
  },
  {
    name: 'product_views', unit: 'views', group: 'behaviour', source: 'behaviour',
    description: 'Number of `Product Viewed` track events.',
    sql: track('Product Viewed'), missing: BEHAVIOUR_MISSING,
  },
  {
    name: 'add_to_cart_rate', unit: 'ratio', group: 'behaviour', source: 'behaviour',
    description: '`Product Added` / `Product Viewed` events; null without product views.',
    sql: `${track('Product Added')} / nullif(${track('Product Viewed')}, 0)`,
    missing: { meaning: 'no product views', impute: 'median' },
  },
  {
    name: 'cart_abandonment_rate', unit: 'ratio', group: 'behaviour', source: 'sessions',
    description: 'Sessions with a `Product Added` and no `Order Completed` / sessions with a `Product Added`; null without such sessions.',
    sql: 'count(*) FILTER (WHERE added AND NOT completed) / nullif(count(*) FILTER (WHERE added), 0)',
    missing: { meaning: 'no session with a product added', impute: 'median' },
  },
  {
    name: 'email_open_rate', unit: 'ratio', group: 'behaviour', source: 'behaviour',
    description: '`Email Opened` / `Email Delivered` events; null without deliveries.',
    sql: `${track('Email Opened')} / nullif(${track('Email Delivered')}, 0)`,
    missing: { meaning: 'no email delivered', impute: 'median' },
  },
  {
    name: 'email_click_rate', unit: 'ratio', group: 'behaviour', source: 'behaviour',
    description: '`Email Link Clicked` / `Email Delivered` events; null without deliveries.',
    sql: `${track('Email Link Clicked')} / nullif(${track('Email Delivered')}, 0)`,
    missing: { meaning: 'no email delivered', impute: 'median' },
  },
  {
    name: 'discount_share', unit: 'ratio', group: 'purchase', source: 'orders',
    description: 'Share of purchase orders with any discount > 0 (on a line or on the order).',
    sql: 'avg(CASE WHEN discounted THEN 1.0 ELSE 0.0 END)',
    missing: { meaning: 'no purchase', impute: 'zero' },
  },
  {
    name: 'category_count', unit: 'categories', group: 'purchase', source: 'lines',
    description: "Distinct categories of kept purchase lines (line category, else the product's category from products; neither: not counted).",
    sql: 'count(DISTINCT category)', whenAbsent: 0,
    missing: { meaning: 'cannot be missing: no purchases is 0', impute: 'zero' },
  },
  {
    name: 'preferred_hour', unit: 'hour (UTC)', group: 'purchase', source: 'hours',
    description: 'The UTC hour (0–23) with most purchase orders, ties → earliest hour; from all identified events when there are no purchases; null if neither.',
    // most orders (else events) in the hour, then the earliest hour: the key n·24 + (23 − hour) orders exactly that
    sql: 'coalesce(arg_max(hour, n * 24 + (23 - hour)) FILTER (WHERE from_orders), arg_max(hour, n * 24 + (23 - hour)) FILTER (WHERE NOT from_orders))',
    missing: { meaning: 'neither orders nor events', impute: 'median' },
  },
];
