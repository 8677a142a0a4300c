/**
 * Counters and gauges for `/metrics`, in the Prometheus text format (version 0.0.4). Latencies are kept as a
 * bounded window of recent samples and reported as a summary (quantiles 0.5, 0.9, 0.99, plus sum and count).
 */
export type EventResult = 'accepted' | 'duplicate' | 'rejected' | 'dropped_no_consent';

/**
 * What `/metrics` reads at scrape time, as the shapes it needs (not the classes, so a test can pass plain objects):
 * the group-commit writer, the dedupe window and the two live caches (`live/live-rfm.ts`, `live/live-kmeans.ts`).
 */
export interface MetricSources {
  readonly writer: {
    readonly depth: number;
    readonly stats: {
      readonly commits: number; readonly failedCommits: number; readonly commitSeconds: readonly number[];
      readonly eventsWritten: number; readonly ordersWritten: number; readonly orderLinesWritten: number; readonly orderSteps: number;
    };
  };
  readonly dedupe: { readonly size: number; readonly bytes: number };
  readonly live: { readonly held: number; readonly evicted: number };
  readonly liveKmeans: {
    readonly cache: { readonly held: number; readonly limit: number; readonly evicted: number; readonly forgotten: number };
    readonly stats: { readonly loads: number };
  };
}

/** One series family: a single value, or one value per value of the label `by`. */
type Family = { readonly help: string } & ({ readonly value: number } | { readonly by: string; readonly values: Readonly<Record<string, number>> });

export class Metrics {
  readonly events: Record<EventResult, number> = { accepted: 0, duplicate: 0, rejected: 0, dropped_no_consent: 0 };
  private readonly requests = new Map<string, number>();
  private readonly latency: number[] = [];
  private latencySum = 0;
  private latencyCount = 0;

  countRequest(route: string, status: number, seconds: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.latency.push(seconds);
    if (this.latency.length > 8192) this.latency.splice(0, 4096);
    this.latencySum += seconds;
    this.latencyCount++;
  }

  /** The exposition text, with every value read from `sources` now. */
  render(sources: MetricSources): string {
    const { writer, dedupe, live, liveKmeans } = sources;
    const lines: string[] = [];
    lines.push('# HELP segmenta_events_total Events received by the collection API, by result.', '# TYPE segmenta_events_total counter');
    for (const [result, n] of Object.entries(this.events)) lines.push(`segmenta_events_total{result="${result}"} ${n}`);
    lines.push('# HELP segmenta_http_requests_total HTTP requests answered, by route and status.', '# TYPE segmenta_http_requests_total counter');
    for (const [labels, n] of this.requests) lines.push(`segmenta_http_requests_total{${labels}} ${n}`);
    summary(lines, 'segmenta_http_request_seconds', 'Time from request start to answer.', this.latency, this.latencySum, this.latencyCount);
    const commits = writer.stats.commitSeconds;
    const commitSum = commits.reduce((s, v) => s + v, 0);
    summary(lines, 'segmenta_write_commit_seconds', 'Duration of one group commit (recent window).', commits, commitSum, commits.length);
    // Failed order steps of pending browsing count as failed commits too (the writer counts them together).
    family(lines, 'counter', 'segmenta_write_commits_total', { help: 'Group commits, by outcome.', by: 'outcome', values: { ok: writer.stats.commits, failed: writer.stats.failedCommits } });
    family(lines, 'counter', 'segmenta_events_written_total', { help: 'Events committed to the events table since start.', value: writer.stats.eventsWritten });
    family(lines, 'counter', 'segmenta_orders_written_total', { help: 'Orders written to the orders table from Order Completed events since start.', value: writer.stats.ordersWritten });
    family(lines, 'counter', 'segmenta_order_lines_written_total', { help: 'Order lines written from Order Completed events since start.', value: writer.stats.orderLinesWritten });
    family(lines, 'counter', 'segmenta_order_steps_total', { help: 'Order steps run since start (one per commit holding an order, or per window of pending browsing).', value: writer.stats.orderSteps });
    family(lines, 'gauge', 'segmenta_write_queue_events', { help: 'Events queued or being committed.', value: writer.depth });
    family(lines, 'gauge', 'segmenta_dedupe_ids', { help: 'messageIds held in the dedupe window.', value: dedupe.size });
    family(lines, 'gauge', 'segmenta_dedupe_bytes', { help: 'Bytes of the dedupe window\'s fingerprint table.', value: dedupe.bytes });
    family(lines, 'gauge', 'segmenta_live_cache_customers', { help: 'Customer states held by each live cache.', by: 'cache', values: { rfm: live.held, kmeans: liveKmeans.cache.held } });
    family(lines, 'gauge', 'segmenta_live_cache_limit_customers', { help: 'Bound of each live cache, in customers.', value: liveKmeans.cache.limit });
    family(lines, 'counter', 'segmenta_live_cache_evictions_total', { help: 'Customer states dropped for room (least recently used) since start, by cache.', by: 'cache', values: { rfm: live.evicted, kmeans: liveKmeans.cache.evicted } });
    family(lines, 'counter', 'segmenta_live_kmeans_loads_total', { help: 'Customer states loaded from the store into the live K-means cache since start.', value: liveKmeans.stats.loads });
    family(lines, 'counter', 'segmenta_live_kmeans_forgets_total', { help: 'Times the live K-means cache dropped every state because too many had been evicted.', value: liveKmeans.cache.forgotten });
    return `${lines.join('\n')}\n`;
  }
}

/** Prometheus requires a counter's name to end in `_total`; a gauge's must not (it would read as a counter). */
function family(lines: string[], type: 'counter' | 'gauge', name: string, series: Family): void {
  if (name.endsWith('_total') !== (type === 'counter')) throw new Error(`metric ${name}: a ${type} name ${type === 'counter' ? 'must' : 'must not'} end in _total`);
  lines.push(`# HELP ${name} ${series.help}`, `# TYPE ${name} ${type}`);
  if ('value' in series) lines.push(`${name} ${series.value}`);
  else for (const [label, value] of Object.entries(series.values)) lines.push(`${name}{${series.by}="${label}"} ${value}`);
}

function summary(lines: string[], name: string, help: string, samples: readonly number[], sum: number, count: number): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} summary`);
  const sorted = [...samples].sort((a, b) => a - b);
  for (const q of [0.5, 0.9, 0.99]) {
    const v = sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    lines.push(`${name}{quantile="${q}"} ${Number.isNaN(v) ? 'NaN' : v.toFixed(6)}`);
  }
  lines.push(`${name}_sum ${sum.toFixed(6)}`, `${name}_count ${count}`);
}
