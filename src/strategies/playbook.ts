/**
 * The segment-to-tactic playbook: for each business family, what to aim for and how to act on it.
 * A playbook is data; the default below follows established CRM practice (value-based service tiers,
 * win-back with contact caps, retargeting for browse abandonment), and a shop can override any part of it
 * with a YAML or JSON file (see loadPlaybook).
 */
import type { Family } from '../segments/naming/index.js';

export const CHANNELS = ['email', 'sms', 'push', 'onsite', 'paid_social', 'retargeting_ads', 'direct_mail', 'phone', 'none'] as const;
export type Channel = (typeof CHANNELS)[number];
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface FrequencyCap {
  /** At most this many marketing contacts ... */
  readonly maxContacts: number;
  /** ... per this period. */
  readonly per: Period;
  /** Stop contacting after this many contacts in a row with no open, click or visit (optional). */
  readonly pauseAfterUnanswered?: number;
  /** Days to wait after such a pause before trying again (optional). */
  readonly retryAfterDays?: number;
}

export interface Strategy {
  readonly goal: string;
  readonly tactic: string;
  readonly channels: readonly Channel[];
  readonly offer: string;
  readonly timing: string;
  readonly frequencyCap: FrequencyCap;
  /** The measure that tells whether the tactic works. */
  readonly kpi: string;
}

export type Playbook = Readonly<Record<Family, Strategy>>;

export const DEFAULT_PLAYBOOK: Playbook = {
  high_value_active: {
    goal: 'Keep and deepen the relationship with the most valuable customers',
    tactic: 'Exclusivity and VIP service: early access to new ranges, a dedicated service line, loyalty tier perks; no blanket discounts',
    channels: ['email', 'phone', 'onsite'],
    offer: 'Early access and VIP perks (free express delivery, gifts), not price cuts',
    timing: 'At new-collection launches and after each purchase (thank-you within 2 days)',
    frequencyCap: { maxContacts: 2, per: 'week' },
    kpi: 'Retention rate and revenue per customer vs holdout',
  },
  potential_growth: {
    goal: 'Raise order frequency and basket size of customers on the way up',
    tactic: 'Tiered promotions (spend more, save more), bundles and cross-sell from categories they have not bought yet',
    channels: ['email', 'onsite', 'push'],
    offer: 'Tiered discount (e.g. 10% over 50, 15% over 100) and bundle prices',
    timing: 'Within 7 days of a purchase, and at their usual purchase hour',
    frequencyCap: { maxContacts: 2, per: 'week' },
    kpi: 'Average order value and orders per customer vs holdout',
  },
  stable_value: {
    goal: 'Keep steady customers buying at low cost to serve',
    tactic: 'Low-cost standard service: newsletter, replenishment reminders, self-service; no costly incentives',
    channels: ['email'],
    offer: 'None by default; standard loyalty points',
    timing: 'Monthly newsletter; replenishment reminder near their usual inter-purchase time',
    frequencyCap: { maxContacts: 1, per: 'week' },
    kpi: 'Repeat purchase rate at stable contact cost',
  },
  churn_risk: {
    goal: 'Find out why they are slipping and win them back before they lapse',
    tactic: 'Diagnose and recall: a short survey on what changed, then a personal recall offer; at most one recall a week, pause after 3 unanswered contacts and retry after 90 days',
    channels: ['email', 'sms'],
    offer: 'Personal recall offer (e.g. 15% on their favourite category) after the survey',
    timing: 'When their time since last order passes 1.5× their usual inter-purchase time',
    frequencyCap: { maxContacts: 1, per: 'week', pauseAfterUnanswered: 3, retryAfterDays: 90 },
    kpi: 'Win-back rate (a purchase within 30 days) vs holdout',
  },
  window_shoppers: {
    goal: 'Turn browsing into a first or second order',
    tactic: 'Retargeting: abandoned-cart and browse-abandonment reminders with the products they viewed, social proof, free shipping threshold',
    channels: ['email', 'retargeting_ads', 'onsite'],
    offer: 'Free shipping or a small first-order incentive on viewed items',
    timing: 'Cart reminder 1 hour and 24 hours after abandonment; browse reminder after 2 days',
    frequencyCap: { maxContacts: 3, per: 'week' },
    kpi: 'Cart recovery and browse-to-buy conversion vs holdout',
  },
  deal_seekers: {
    goal: 'Sell on price without training everyone to wait for discounts',
    tactic: 'Time-limited offers, flash sales and clearance, sent only to this segment',
    channels: ['email', 'push', 'sms'],
    offer: 'Time-limited discount (24–72 h) on selected stock; coupons with expiry',
    timing: 'Sale events and end-of-season clearance',
    frequencyCap: { maxContacts: 2, per: 'week' },
    kpi: 'Margin per order and redemption rate vs holdout',
  },
  dormant: {
    goal: 'Reactivate lapsed customers, or stop spending on them',
    tactic: 'Reactivation: a "we miss you" series with a strong one-time offer, then suppress if there is no response',
    channels: ['email', 'direct_mail'],
    offer: 'One-time strong incentive (e.g. 20% or a gift) with a short expiry',
    timing: 'One series of up to 3 messages over 3 weeks, then quarterly at most',
    frequencyCap: { maxContacts: 1, per: 'week', pauseAfterUnanswered: 3, retryAfterDays: 90 },
    kpi: 'Reactivation rate and cost per reactivated customer vs holdout',
  },
  new_customers: {
    goal: 'Turn a first order into a habit',
    tactic: 'Onboarding series: welcome, how-to and care content, second-order incentive, product recommendations',
    channels: ['email', 'onsite'],
    offer: 'Second-order incentive valid 30 days',
    timing: 'Welcome on day 0, content on day 3 and 7, second-order offer on day 14',
    frequencyCap: { maxContacts: 3, per: 'week' },
    kpi: 'Second-purchase rate within 60 days vs holdout',
  },
};
