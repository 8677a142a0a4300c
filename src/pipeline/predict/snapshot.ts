/**
 * The data side of a prediction: feature snapshots at two instants kept in memory, who bought in a window (the
 * labels), and the stored predictions table.
 */
import { timestampValue } from '@duckdb/node-api';
import { InputError } from '../../core/errors.js';
import { computeFeatures, FEATURES, readFeatureMatrix } from '../../features/index.js';
// The kept-purchase rule is shared with the features stage so that a label and a feature never disagree on what a purchase is.
import { asOfParam, KEPT_LINES_CTE, ORDERS_CTE } from '../../features/sources.js';
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import type { Store } from '../../store/db.js';

/** Computes `customer_features` as of `asOf` (replacing the table) and reads every non-empty feature, imputed. */
export async function featureSnapshot(store: Store, asOf: Date, now: Date): Promise<FeatureMatrix> {
  await computeFeatures(store, { asOf, now });
  const read = await readFeatureMatrix(store, FEATURES.map((d) => d.name));
  return read.matrix;
}

/** The named columns of a matrix, in the given order. O(rows · columns). */
export function selectColumns(m: FeatureMatrix, columns: readonly string[]): FeatureMatrix {
  const index = columns.map((name) => m.columns.indexOf(name));
  const d = columns.length;
  const values = new Float64Array(m.rows * d);
  for (let r = 0; r < m.rows; r++) {
    for (let j = 0; j < d; j++) values[r * d + j] = m.values[r * m.cols + index[j]!]!;
  }
  return createMatrix(values, m.rows, d, m.ids, columns);
}

/** Customers with at least one kept purchase order in [from, to) (from = null: since the beginning). */
export async function buyersBetween(store: Store, from: Date | null, to: Date): Promise<Set<string>> {
  const read = await store.readColumns(
    `WITH ${KEPT_LINES_CTE}, ${ORDERS_CTE}
     SELECT DISTINCT customer_id FROM src_orders WHERE customer_id IS NOT NULL AND ($from::TIMESTAMP IS NULL OR ordered_at >= $from::TIMESTAMP)`,
    { as_of: asOfParam(to), from: from ? asOfParam(from) : null },
  );
  return new Set((read.columns.customer_id ?? []).map(String));
}

/** The rows whose id passes `keep`, as row indices. */
export function rowsWhere(m: FeatureMatrix, keep: (id: string) => boolean): Int32Array {
  const out: number[] = [];
  for (let r = 0; r < m.rows; r++) if (keep(m.ids[r]!)) out.push(r);
  return Int32Array.from(out);
}

/** Rows for `customer_predictions` (a table of the store's migrations 2 and 4). */
export interface PredictionRows {
  readonly target: string;
  readonly horizonDays: number;
  readonly model: string;
  readonly asOf: Date;
  readonly createdAt: Date;
  readonly ids: readonly string[];
  readonly probability: Float64Array;
  /** Segment predictions only: the run, and the predicted cluster and segment name per customer. */
  readonly segment?: { readonly runId: string; readonly cluster: Int32Array; readonly names: readonly string[] };
}

/** Replaces the rows of the same target and horizon with these, in one transaction. Returns the rows written. */
export async function writePredictions(store: Store, p: PredictionRows): Promise<number> {
  if (p.ids.length !== p.probability.length) {
    throw new InputError(`writing predictions requires one probability per customer (got ${p.probability.length} probabilities, ${p.ids.length} customers)`);
  }
  if (p.segment && p.segment.cluster.length !== p.ids.length) {
    throw new InputError(`writing segment predictions requires one cluster per customer (got ${p.segment.cluster.length} clusters, ${p.ids.length} customers)`);
  }
  return store.transaction(async () => {
    await store.run('DELETE FROM customer_predictions WHERE target = $target AND horizon_days = $horizon', { target: p.target, horizon: p.horizonDays });
    const asOf = timestampValue(BigInt(p.asOf.getTime()) * 1000n);
    const createdAt = timestampValue(BigInt(p.createdAt.getTime()) * 1000n);
    const appender = await store.appender('customer_predictions');
    for (let i = 0; i < p.ids.length; i++) {
      appender.appendVarchar(p.ids[i]!);
      appender.appendVarchar(p.target);
      appender.appendInteger(p.horizonDays);
      appender.appendDouble(p.probability[i]!);
      appender.appendVarchar(p.model);
      appender.appendTimestamp(asOf);
      appender.appendTimestamp(createdAt);
      if (p.segment) {
        const cluster = p.segment.cluster[i]!;
        appender.appendVarchar(p.segment.runId);
        appender.appendInteger(cluster);
        appender.appendVarchar(p.segment.names[cluster] ?? `Segment ${cluster + 1}`);
      } else {
        for (let j = 0; j < 3; j++) appender.appendNull();
      }
      appender.endRow();
    }
    appender.closeSync();
    return p.ids.length;
  });
}

/** The evaluation of one prediction model, kept in `prediction_models` (migration 4) beside its scores. */
export interface ModelRecord {
  readonly target: string;
  readonly horizonDays: number;
  readonly model: string;
  readonly runId: string | null;
  readonly asOf: Date;
  readonly createdAt: Date;
  readonly customers: number;
  readonly metrics: object;
}

/** Replaces the record of the same target and horizon. Call inside the transaction that writes the scores. */
export async function writeModelRecord(store: Store, r: ModelRecord): Promise<void> {
  await store.run('DELETE FROM prediction_models WHERE target = $target AND horizon_days = $horizon', { target: r.target, horizon: r.horizonDays });
  await store.run(
    'INSERT INTO prediction_models VALUES ($target, $horizon, $model, $run, $as_of::TIMESTAMP, $created::TIMESTAMP, $customers, $metrics::JSON)',
    {
      target: r.target, horizon: r.horizonDays, model: r.model, run: r.runId, as_of: asOfParam(r.asOf), created: asOfParam(r.createdAt),
      customers: r.customers, metrics: JSON.stringify(r.metrics),
    },
  );
}
