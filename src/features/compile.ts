/**
 * Compiles feature definitions into ONE SQL statement: the source CTEs, one aggregate CTE per source used
 * (`f_<source>`, grouped by customer_id), and a final select that left-joins them onto `f_seen`, the universe of
 * customers (everyone with an identified event or a purchase order before as-of). The statement takes one parameter,
 * `$as_of` (a TIMESTAMP string). Cost: one hash aggregation per source; no correlated subqueries.
 */
import { InputError } from '../core/errors.js';
import { quoteIdent } from '../store/db.js';
import type { FeatureDefinition } from './definitions.js';
import { SOURCE_CTES, type FeatureSource } from './sources.js';

const NAME = /^[a-z][a-z0-9_]*$/;

/** Returns the SELECT that computes `customer_id` then every feature, in definition order, sorted by customer_id. */
export function compileFeatures(definitions: readonly FeatureDefinition[]): string {
  validateDefinitions(definitions);
  const bySource = new Map<FeatureSource, FeatureDefinition[]>();
  for (const def of definitions) {
    const list = bySource.get(def.source) ?? [];
    list.push(def);
    bySource.set(def.source, list);
  }
  for (const d of definitions) if (d.whenAbsentIfIn && !bySource.has(d.whenAbsentIfIn)) bySource.set(d.whenAbsentIfIn, []);
  // f_seen (everyone seen: identified events or purchase orders) is the universe, so it always exists.
  if (!bySource.has('seen')) bySource.set('seen', []);
  const aggregates = [...bySource].map(([source, defs]) => {
    const exprs = defs.map((d) => `,\n    ${d.sql} AS ${quoteIdent(d.name)}`).join('');
    return `f_${source} AS (\n  SELECT customer_id${exprs}\n  FROM src_${source} GROUP BY customer_id\n)`;
  });
  const columns = definitions.map((d) => {
    const ref = `f_${d.source}.${quoteIdent(d.name)}`;
    const filled = d.whenAbsent === undefined ? ref : `coalesce(${ref}, ${d.whenAbsent})`;
    const value = d.whenAbsentIfIn ? `CASE WHEN f_${d.whenAbsentIfIn}.customer_id IS NOT NULL THEN ${filled} END` : filled;
    return `  ${value} AS ${quoteIdent(d.name)}`;
  });
  const joins = [...bySource.keys()].filter((s) => s !== 'seen').map((s) => `LEFT JOIN f_${s} ON f_${s}.customer_id = f_seen.customer_id`);
  return [
    `WITH ${[...SOURCE_CTES, ...aggregates].join(',\n')}`,
    `SELECT f_seen.customer_id,\n${columns.join(',\n')}`,
    'FROM f_seen',
    ...joins,
    'ORDER BY f_seen.customer_id',
  ].join('\n');
}

/** Throws an InputError listing every bad definition: names must be snake_case identifiers and unique. */
export function validateDefinitions(definitions: readonly FeatureDefinition[]): void {
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  definitions.forEach((d, i) => {
    if (!NAME.test(d.name) || d.name === 'customer_id') {
      issues.push({ path: `definitions[${i}].name`, message: `must be a snake_case name other than customer_id (got ${JSON.stringify(d.name)})` });
    }
    if (seen.has(d.name)) issues.push({ path: `definitions[${i}].name`, message: `duplicate feature name ${JSON.stringify(d.name)}` });
    seen.add(d.name);
  });
  if (definitions.length === 0) issues.push({ path: 'definitions', message: 'must hold at least one feature (got 0)' });
  if (issues.length > 0) {
    throw new InputError(`feature definitions are invalid (${issues.length} problem${issues.length > 1 ? 's' : ''}: ${issues[0]?.path} ${issues[0]?.message})`, issues);
  }
}
