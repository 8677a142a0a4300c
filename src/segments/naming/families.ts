/**
 * The business families a cluster can be named after, each described as a profile: a weight per feature on
 * the cluster centroid's standardised value (z, in standard deviations from the customer average).
 * A positive weight means "high on this feature is typical of the family". Features absent from a run
 * (e.g. no behaviour data) simply do not contribute.
 */
export const FAMILIES = [
  'high_value_active',
  'potential_growth',
  'stable_value',
  'churn_risk',
  'window_shoppers',
  'deal_seekers',
  'dormant',
  'new_customers',
] as const;

export type Family = (typeof FAMILIES)[number];

export const FAMILY_LABELS: Readonly<Record<Family, string>> = {
  high_value_active: 'High-value active',
  potential_growth: 'Potential growth',
  stable_value: 'Stable value',
  churn_risk: 'Churn risk',
  window_shoppers: 'Window shoppers',
  deal_seekers: 'Deal seekers',
  dormant: 'Dormant',
  new_customers: 'New customers',
};

/** Feature weights per family. Values are judgement, tuned so each family's defining trait dominates. */
export const FAMILY_PROFILES: Readonly<Record<Family, Readonly<Record<string, number>>>> = {
  high_value_active: { monetary: 1.2, frequency: 1, avg_order_value: 0.6, recency_days: -0.8, email_open_rate: 0.3, discount_share: -0.3 },
  potential_growth: { frequency_trend: 1.2, recency_days: -0.6, tenure_days: 0.2, email_open_rate: 0.3, monetary: 0.1 },
  stable_value: { frequency: 0.4, frequency_trend: -0.2, recency_days: -0.2 },
  churn_risk: { frequency_trend: -1.2, recency_days: 0.7, frequency: 0.4, email_open_rate: -0.3 },
  window_shoppers: { page_views: 0.8, product_views: 0.5, avg_dwell_seconds: 0.5, add_to_cart_rate: 0.4, cart_abandonment_rate: 1, frequency: -0.8 },
  deal_seekers: { discount_share: 1.6, avg_order_value: -0.4 },
  dormant: { recency_days: 1.4, frequency: -0.4, sessions: -0.3, page_views: -0.3, email_open_rate: -0.5, tenure_days: 0.3 },
  new_customers: { tenure_days: -1.6, frequency: -0.4, recency_days: -0.4 },
};

/**
 * How strongly being near average counts for "stable value": its profile alone would be weak, so a cluster
 * close to the centre (small mean |z|) earns this bonus times (1 − mean |z|).
 */
export const STABLE_CENTRE_BONUS = 1.2;
