/**
 * Computes the feature table `customer_features` (one row per customer, `customer_id` first, then the features in
 * definition order) in one DuckDB statement, and records a `feature_snapshots` row with the definitions as JSON.
 */
import { InputError } from '../core/errors.js';
import type { Store } from '../store/db.js';
import { compileFeatures } from './compile.js';
import { FEATURES, type FeatureDefinition } from './definitions.js';
import { asOfParam } from './sources.js';

export interface ComputeFeaturesOptions {
  /** Only facts strictly before this instant count. Default: `defaultAsOf(store)`. */
  readonly asOf?: Date;
  readonly definitions?: readonly FeatureDefinition[];
  /** The run's clock, for `created_at`. Default: now. */
  readonly now?: Date;
}

export interface FeatureSnapshot {
  readonly snapshotId: string;
  readonly asOf: Date;
  readonly customers: number;
  readonly columns: readonly string[];
}

/**
 * The default as-of: midnight UTC of the day after the last event, order or order line. Throws an InputError when the
 * store holds none of them.
 */
export async function defaultAsOf(store: Store): Promise<Date> {
  const last = await store.scalar<Date | null>(`SELECT greatest(
      (SELECT max(ts) FROM events), (SELECT max(ordered_at) FROM orders), (SELECT max(ordered_at) FROM order_lines))`);
  if (last == null) throw new InputError('computing features requires events or orders (got none: the store is empty)');
  const day = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate());
  return new Date(day + 86_400_000);
}

/**
 * Writes `customer_features` (CREATE OR REPLACE) and a snapshot row; returns the snapshot. Cost: one scan of events,
 * order lines and orders, hash-aggregated by customer (seconds for 10M events / 1M customers).
 */
export async function computeFeatures(store: Store, options: ComputeFeaturesOptions = {}): Promise<FeatureSnapshot> {
  const definitions = options.definitions ?? FEATURES;
  const sql = compileFeatures(definitions);
  const asOf = options.asOf ?? (await defaultAsOf(store));
  if (Number.isNaN(asOf.getTime())) throw new InputError('computing features requires a valid as-of date (got Invalid Date)');
  const now = options.now ?? new Date();
  return store.transaction(async () => {
    await store.run(`CREATE OR REPLACE TABLE customer_features AS ${sql}`, { as_of: asOfParam(asOf) });
    const customers = Number((await store.scalar<number>('SELECT count(*) FROM customer_features')) ?? 0);
    const stamp = asOf.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const previous = Number((await store.scalar<number>(`SELECT count(*) FROM feature_snapshots WHERE starts_with(snapshot_id, $p)`, { p: `fs-${stamp}-` })) ?? 0);
    const snapshotId = `fs-${stamp}-${previous + 1}`;
    await store.run(`INSERT INTO feature_snapshots VALUES ($id, $as_of::TIMESTAMP, $now::TIMESTAMP, $n, $defs::JSON)`, {
      id: snapshotId, as_of: asOfParam(asOf), now: asOfParam(now), n: customers, defs: JSON.stringify(definitions),
    });
    return { snapshotId, asOf, customers, columns: definitions.map((d) => d.name) };
  });
}
