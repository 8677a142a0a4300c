/**
 * Counters and gauges for `/metrics`, in the Prometheus text format (version 0.0.4). Latencies are kept as a
 * bounded window of recent samples and reported as a summary (quantiles 0.5, 0.9, 0.99, plus sum and count).
 */
export type EventResult = 'accepted' | 'duplicate' | 'rejected' | 'dropped_no_consent';

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

  /** The exposition text; `gauges` are read at scrape time (queue depth, dedupe ids), `commits` are commit latencies. */
  render(gauges: Readonly<Record<string, { help: string; value: number }>>, commits: { samples: readonly number[]; total: number; failed: number }): string {
    const lines: string[] = [];
    lines.push('# HELP segmenta_events_total Events received by the collection API, by result.', '# TYPE segmenta_events_total counter');
    for (const [result, n] of Object.entries(this.events)) lines.push(`segmenta_events_total{result="${result}"} ${n}`);
    lines.push('# HELP segmenta_http_requests_total HTTP requests answered, by route and status.', '# TYPE segmenta_http_requests_total counter');
    for (const [labels, n] of this.requests) lines.push(`segmenta_http_requests_total{${labels}} ${n}`);
    summary(lines, 'segmenta_http_request_seconds', 'Time from request start to answer.', this.latency, this.latencySum, this.latencyCount);
    const commitSum = commits.samples.reduce((s, v) => s + v, 0);
    summary(lines, 'segmenta_write_commit_seconds', 'Duration of one group commit (recent window).', commits.samples, commitSum, commits.samples.length);
    lines.push('# HELP segmenta_write_commits_total Group commits, by outcome.', '# TYPE segmenta_write_commits_total counter');
    lines.push(`segmenta_write_commits_total{outcome="ok"} ${commits.total}`, `segmenta_write_commits_total{outcome="failed"} ${commits.failed}`);
    for (const [name, gauge] of Object.entries(gauges)) {
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
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
