/**
 * Partially observed customers, made from the real ones: the features each customer had after only the first `days`
 * days of their history, as if they had just arrived. Every customer gets their own cut-off, first seen (day) + days
 * (at most the as-of), so the facts are copied into an in-memory database attached beside the store, each customer's
 * timestamps shifted by (as-of − cut-off) whole days, and the features computed there with the shared definitions at
 * the common as-of: a fact counts iff it came before the customer's cut-off, recency and tenure are measured from the
 * cut-off, and the store's own tables (`customer_features`, `feature_snapshots`) are never touched. Events after the
 * cut-off are not copied; orders and lines are copied whole, so an order still pairs with its lines exactly as in the
 * store. Cost: one scan and copy of the facts plus one feature computation over the copy.
 */
import { computeFeatures, FEATURES } from '../../features/index.js';
import { asOfParam, SOURCE_CTES } from '../../features/sources.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { quoteIdent, quoteLiteral, type Store } from '../../store/db.js';
import { readRawFeatures } from './feature-rows.js';

const COPY = 'segmenta_partial';

export interface PartialHistoryOptions {
  /** The full history's as-of instant (midnight UTC keeps day counts exact). */
  readonly asOf: Date;
  /**
   * Days of each customer's history kept, counted from the day they were first seen: the same for everyone, or drawn
   * per customer from min..max by a seeded hash of the id (training rows that cover a range of short histories).
   */
  readonly days: number | { readonly min: number; readonly max: number; readonly seed: number };
  readonly columns: readonly string[];
  readonly now: Date;
}

export interface PartialHistory {
  /** Raw `columns` (NaN = missing), one row per customer seen before the as-of, sorted by customer id. */
  readonly matrix: FeatureMatrix;
  /** 1 where the customer's history was really cut short (first seen more than their `days` before the as-of). */
  readonly truncated: Uint8Array;
}

/** The features of every customer seen before the as-of, after only their first `days` days. */
export async function partialHistoryFeatures(store: Store, options: PartialHistoryOptions): Promise<PartialHistory> {
  const { asOf, days, columns, now } = options;
  const range = typeof days === 'number' ? { min: days, max: days, seed: 0 } : days;
  const home = quoteIdent(String(await store.scalar<string>('SELECT current_database()')));
  const searchPath = String((await store.scalar<string>(`SELECT current_setting('search_path')`)) ?? '');
  const copy = quoteIdent(COPY);
  const t = (name: string) => `${copy}.main.${quoteIdent(name)}`;
  const from = (name: string) => `${home}.main.${quoteIdent(name)}`;
  await store.run(`DETACH DATABASE IF EXISTS ${copy}`);
  await store.run(`ATTACH ':memory:' AS ${copy}`);
  try {
    await store.run(
      `CREATE TABLE ${t('cutoffs')} AS
       WITH ${SOURCE_CTES.join(',\n')}
       SELECT customer_id, cut, $as_of::TIMESTAMP - cut AS shift FROM (
         SELECT customer_id, least(date_trunc('day', min(first_ts)) + to_days(($min::INTEGER + hash(customer_id, $seed::BIGINT) % ($max::INTEGER - $min::INTEGER + 1)::UBIGINT)::INTEGER), $as_of::TIMESTAMP) AS cut
         FROM src_seen GROUP BY customer_id)`,
      { as_of: asOfParam(asOf), min: range.min, max: range.max, seed: range.seed },
    );
    await store.run(
      `CREATE TABLE ${t('events')} AS
       SELECT e.* REPLACE (e.ts + c.shift AS ts) FROM ${from('events')} e
       LEFT JOIN ${from('identities')} i ON i.alias_id = coalesce(e.user_id, e.anonymous_id)
       JOIN ${t('cutoffs')} c ON c.customer_id = coalesce(i.customer_id, e.user_id)
       WHERE e.ts < c.cut`,
    );
    for (const [table, column] of [['orders', 'ordered_at'], ['order_lines', 'ordered_at']] as const) {
      await store.run(
        `CREATE TABLE ${t(table)} AS
         SELECT x.* REPLACE (x.${column} + c.shift AS ${column}) FROM ${from(table)} x
         LEFT JOIN ${from('identities')} i ON i.alias_id = x.customer_id
         JOIN ${t('cutoffs')} c ON c.customer_id = coalesce(i.customer_id, x.customer_id)`,
      );
    }
    await store.run(`CREATE TABLE ${t('feature_snapshots')} AS SELECT * FROM ${from('feature_snapshots')} LIMIT 0`);
    // Unqualified names now resolve to the copy first (events, orders, order_lines, customer_features,
    // feature_snapshots) and to the store for the rest (identities, products).
    await store.run(`SET search_path = ${quoteLiteral(`${copy}.main,${home}.main`)}`);
    try {
      await computeFeatures(store, { asOf, now, definitions: FEATURES.filter((d) => columns.includes(d.name)) });
      const matrix = await readRawFeatures(store, columns);
      const cut = await store.readColumns(`SELECT customer_id, cut < $as_of::TIMESTAMP AS short FROM cutoffs`, { as_of: asOfParam(asOf) });
      const short = new Set<string>();
      const ids = cut.columns.customer_id ?? [];
      const flags = cut.columns.short ?? [];
      for (let i = 0; i < ids.length; i++) if (flags[i] === true) short.add(String(ids[i]));
      return { matrix, truncated: Uint8Array.from(matrix.ids, (id) => (short.has(id) ? 1 : 0)) };
    } finally {
      await store.run(searchPath ? `SET search_path = ${quoteLiteral(searchPath)}` : 'RESET search_path');
    }
  } finally {
    await store.run(`DETACH DATABASE IF EXISTS ${copy}`);
  }
}
