/**
 * The data-quality report: runs every cleaning rule (plus one missing-value rule per feature of `customer_features`,
 * when that table exists) and the totals of what is kept.
 */
import { quoteIdent, type Store } from '../../store/db.js';
import { FEATURES, type FeatureDefinition } from '../definitions.js';
import { asOfParam, KEPT_LINE_AMOUNTS_CTE } from '../sources.js';
import { CLEANING_RULES, type CleaningAction, type CleaningRule } from './rules.js';

export interface RuleOutcome {
  readonly id: string;
  readonly description: string;
  readonly unit: CleaningRule['unit'];
  readonly rowsAffected: number;
  /** rowsAffected / the rule's base (0 when the base is empty). */
  readonly share: number;
  readonly examples: readonly Record<string, unknown>[];
  readonly action: CleaningAction;
}

export interface QualityTotals {
  readonly asOf: Date | null;
  readonly orderLines: number;
  readonly keptLines: number;
  /** orderLines − keptLines: every one of them is counted by at least one 'excluded from purchases' rule. */
  readonly excludedLines: number;
  readonly keptOrders: number;
  readonly customers: number;
  readonly revenue: number;
  readonly events: number;
}

export interface QualityReport {
  readonly rules: readonly RuleOutcome[];
  readonly totals: QualityTotals;
}

const IMPUTE_TEXT = { median: 'the column median', max: 'the column maximum', zero: '0' } as const;

/** Missing-value rules, one per feature: how many customers lack it, and how it is imputed for models. */
export function missingValueRules(definitions: readonly FeatureDefinition[]): CleaningRule[] {
  return definitions.map((d) => ({
    id: `missing_${d.name}`,
    description: `Missing ${d.name} (${d.missing.meaning}): imputed with ${IMPUTE_TEXT[d.missing.impute]} for models; left NULL in customer_features.`,
    action: 'imputed' as const, unit: 'feature values' as const,
    sql: `SELECT count(*) FROM customer_features WHERE ${quoteIdent(d.name)} IS NULL`,
    totalSql: 'SELECT count(*) FROM customer_features',
    examplesSql: `SELECT customer_id FROM customer_features WHERE ${quoteIdent(d.name)} IS NULL ORDER BY customer_id LIMIT 5`,
  }));
}

/**
 * Runs the report. `asOf` restricts line rules and totals to facts before it (default: everything). Missing-value
 * rules describe the stored `customer_features` of the last `computeFeatures` run. Cost: a few scans of order_lines.
 */
export async function qualityReport(store: Store, asOf?: Date): Promise<QualityReport> {
  const params = { as_of: asOf ? asOfParam(asOf) : '9999-12-31 00:00:00' };
  const rules: CleaningRule[] = [...CLEANING_RULES];
  const stored = await store.scalar<number>(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'customer_features'`);
  if (Number(stored) > 0) {
    const names = new Set((await store.readColumns(`SELECT column_name FROM information_schema.columns WHERE table_name = 'customer_features'`)).columns.column_name);
    rules.push(...missingValueRules(FEATURES.filter((d) => names.has(d.name))));
  }
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) outcomes.push(await runRule(store, rule, params));
  return { rules: outcomes, totals: await totals(store, params, asOf ?? null) };
}

async function runRule(store: Store, rule: CleaningRule, params: Record<string, string>): Promise<RuleOutcome> {
  const needs = (sql: string) => (sql.includes('$as_of') ? params : undefined);
  const rowsAffected = Number((await store.scalar(rule.sql, needs(rule.sql))) ?? 0);
  const total = Number((await store.scalar(rule.totalSql, needs(rule.totalSql))) ?? 0);
  const examples = rowsAffected > 0 ? await store.rows(rule.examplesSql, needs(rule.examplesSql)) : [];
  return {
    id: rule.id, description: rule.description, unit: rule.unit, action: rule.action,
    rowsAffected, share: total > 0 ? rowsAffected / total : 0, examples: examples.slice(0, 5),
  };
}

async function totals(store: Store, params: Record<string, string>, asOf: Date | null): Promise<QualityTotals> {
  const [row] = await store.rows<Record<string, number | null>>(`WITH ${KEPT_LINE_AMOUNTS_CTE}
    SELECT (SELECT count(*) FROM order_lines WHERE ordered_at < $as_of::TIMESTAMP) AS order_lines,
           count(*) AS kept_lines, count(DISTINCT order_id) AS kept_orders, count(DISTINCT customer_id) AS customers,
           coalesce(sum(amount), 0) AS revenue,
           (SELECT count(*) FROM events WHERE ts < $as_of::TIMESTAMP) AS events
    FROM src_line_amounts`, params);
  const n = (v: number | null | undefined) => Number(v ?? 0);
  return {
    asOf, orderLines: n(row?.order_lines), keptLines: n(row?.kept_lines), excludedLines: n(row?.order_lines) - n(row?.kept_lines),
    keptOrders: n(row?.kept_orders), customers: n(row?.customers), revenue: n(row?.revenue), events: n(row?.events),
  };
}
