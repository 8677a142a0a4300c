/**
 * A segmentation run: features as of a date → feature matrix → segments (K-means, Ward on a sample, a Gaussian
 * mixture, or `auto`) named in business terms → RFM scores and segments → the playbook's strategy per segment.
 * The run (its model: scaling, centroids, names; metrics; segment summaries) and every customer's membership are
 * written in one transaction; run-record.ts says what the stored JSON holds.
 */
import { silentProgress, type Progress } from '../core/progress.js';
import { computeFeatures, readFeatureMatrix } from '../features/index.js';
import { CLUSTER_FEATURES, SEGMENT_DEFAULTS, segmentCustomers, type SegmentMethodChoice } from '../segments/clustering/index.js';
import { DEFAULT_PLAYBOOK, type Playbook } from '../strategies/index.js';
import type { Store } from '../store/db.js';
import { scoreMatrixRfm } from './rfm-step.js';
import { runMetricsJson, runModelJson, runParamsJson } from './run-record.js';
import { summariseSegments } from './summarise.js';
import type { RunContext, RunSummary } from './types.js';
import { newRunId } from '../core/ids.js';

export interface SegmentRunOptions {
  readonly k: number | 'auto';
  readonly seed: number;
  /** Default 'kmeans'. */
  readonly method?: SegmentMethodChoice;
  /** Customers Ward's tree is built on at most (default 5,000). */
  readonly treeSample?: number;
  /** Bootstrap resamples of the stability check (default 0: off). */
  readonly stability?: number;
  readonly asOf?: Date;
  readonly playbook?: Playbook;
  readonly now?: Date;
  readonly progress?: Progress;
}

export async function runSegmentation(store: Store, options: SegmentRunOptions): Promise<RunSummary> {
  const now = options.now ?? new Date();
  const ctx: RunContext = { now, seed: options.seed, runId: newRunId(now, options.seed.toString(36)) };
  const progress = options.progress ?? silentProgress;
  const playbook = options.playbook ?? DEFAULT_PLAYBOOK;
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    const value = await work();
    timings[name] = (performance.now() - start) / 1000;
    return value;
  };

  progress.phase('features', 4);
  const snapshot = await time('features', () => computeFeatures(store, { asOf: options.asOf, now }));
  progress.update(1, 'feature matrix');
  const read = await time('read matrix', () => readFeatureMatrix(store, CLUSTER_FEATURES));
  progress.update(2, `clustering ${read.matrix.rows.toLocaleString('en-US')} customers`);
  const method = options.method ?? 'kmeans';
  const seg = await time('clustering', () =>
    segmentCustomers(read.matrix, { k: options.k, seed: options.seed, method, treeSample: options.treeSample, stability: options.stability }),
  );
  progress.update(3, 'RFM');
  const rfm = await time('rfm', () => scoreMatrixRfm(read.matrix));

  const summary = await time('write run', () =>
    store.transaction(async () => {
      await store.run(
        `INSERT INTO segment_runs VALUES ($run, $snapshot, $created, 'done', $method, $k, $seed, $params, $model, $metrics, NULL)`,
        {
          run: ctx.runId,
          snapshot: snapshot.snapshotId,
          created: now.toISOString(),
          method: seg.method,
          k: seg.k,
          seed: options.seed,
          params: runParamsJson({ k: options.k, method, asOf: snapshot.asOf, treeSample: method === 'kmeans' ? undefined : options.treeSample ?? SEGMENT_DEFAULTS.treeSample, stability: options.stability }, read),
          model: runModelJson(seg, read),
          metrics: runMetricsJson(seg),
        },
      );
      const appender = await store.appender('segment_memberships');
      const ids = read.matrix.ids;
      for (let i = 0; i < ids.length; i++) {
        const cluster = seg.labels[i]!;
        const rfmSegment = rfm.segment[i]!;
        appender.appendVarchar(ctx.runId);
        appender.appendVarchar(ids[i]!);
        appender.appendInteger(cluster);
        appender.appendVarchar(seg.names[cluster]!.name);
        if (rfmSegment >= 0) {
          appender.appendTinyInt(rfm.r[i]!);
          appender.appendTinyInt(rfm.f[i]!);
          appender.appendTinyInt(rfm.m[i]!);
          appender.appendVarchar(String(rfm.codes[i]));
          appender.appendVarchar(rfm.segmentNames[rfmSegment]!);
        } else {
          for (let j = 0; j < 5; j++) appender.appendNull();
        }
        appender.endRow();
      }
      appender.closeSync();
      const summaryValue = await summariseSegments(store, ctx, snapshot.asOf, seg, read, playbook, timings);
      await store.run(`UPDATE segment_runs SET segments = $segments WHERE run_id = $run`, { segments: JSON.stringify(summaryValue), run: ctx.runId });
      return summaryValue;
    }),
  );
  progress.update(4);
  progress.done();
  return summary;
}
