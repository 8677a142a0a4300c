/**
 * Which features the segmentation (K-means, Ward or a mixture) uses and how each is transformed before clustering:
 * counts and money are skewed (a few customers buy 100× the median), so they enter as log1p; then every
 * column is winsorised at its 1st/99th percentile (clustering input only — stored facts are never changed)
 * and z-scored so no feature dominates by its unit.
 */
export const CLUSTER_FEATURES = [
  'recency_days',
  'frequency',
  'monetary',
  'avg_order_value',
  'tenure_days',
  'frequency_trend',
  'page_views',
  'avg_dwell_seconds',
  'add_to_cart_rate',
  'cart_abandonment_rate',
  'email_open_rate',
  'discount_share',
] as const;

/** Columns that enter as log1p(x). */
export const LOG_FEATURES: ReadonlySet<string> = new Set(['frequency', 'monetary', 'avg_order_value', 'page_views', 'avg_dwell_seconds', 'sessions', 'product_views']);

/** Winsorising quantiles, applied after the log transform. */
export const WINSOR_QUANTILES = [0.01, 0.99] as const;
