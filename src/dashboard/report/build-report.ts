/**
 * `segmenta report`: reads the database the way the dashboard does, draws the dashboard's charts to SVG on the
 * server and writes them into one self-contained HTML file. Returns the HTML, each chart's SVG (for `--svg-dir`) and
 * the state of the data, so the caller can say what it wrote.
 */
import { formatQualityReport, qualityReport } from '../../features/cleaning/index.js';
import { loadRunSummary } from '../../pipeline/index.js';
import { loadPredictionSummary } from '../../pipeline/predict/index.js';
import { quoteLiteral, type Store } from '../../store/db.js';
import type { PayloadState } from '../api/index.js';
import { loadChartBuilders } from './chart-builders.js';
import { renderDashboardReport } from './dashboard-report.js';
import { planReportCharts, renderReportCharts, type ReportChart } from './report-charts.js';
import { loadReportData } from './report-data.js';
import { renderReport, REPORT_TITLE } from './render-report.js';

export interface BuildReportOptions {
  readonly title?: string;
  /**
   * A finished run to report on. The dashboard's charts describe the newest finished run; for an older one the
   * report is drawn from that run's stored summary alone (`renderReport`), and says so.
   */
  readonly runId?: string;
}

export interface BuiltReport {
  readonly html: string;
  /** The SVG charts in the report, in page order (none for the summary-only report of an older run). */
  readonly charts: readonly ReportChart[];
  /** `empty`: no finished run (the report says what to do); `running`: a run is in progress (shown: the last finished). */
  readonly state: PayloadState;
  readonly message: string | null;
  readonly runId: string | null;
}

/**
 * Builds the report. NotFoundError when `runId` names no finished run. Cost: the dashboard's payloads (seconds at
 * 100k customers) plus ~0.5 s to load ECharts and a few seconds to draw the charts.
 */
/**
 * DuckDB's limit while the report reads: its statements are aggregates that spill well, and in the demo it is the
 * last stage of a process whose allocator still holds pages of the earlier ones. At 1M customers the report alone
 * peaked at 1.48 GB RSS under the 1 GB default and at 0.98 GB under this one (and ran no slower); the demo's peak
 * was set by it.
 */
const REPORT_MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;
const REPORT_MEMORY_LIMIT = '512MiB';

/** Runs `work` under a lower DuckDB memory limit when the store's is higher, restoring it after. */
async function withMemoryLimit<T>(store: Store, limit: string, work: () => Promise<T>): Promise<T> {
  const current = String(await store.scalar<string>(`SELECT current_setting('memory_limit')`));
  if (!(sizeBytes(current) > REPORT_MEMORY_LIMIT_BYTES)) return work();
  await store.run(`SET memory_limit = ${quoteLiteral(limit)}`);
  try {
    return await work();
  } finally {
    await store.run(`SET memory_limit = ${quoteLiteral(current)}`);
  }
}

/** Bytes of a DuckDB size text such as `953.6 MiB` (NaN when unreadable: the limit is then left alone). */
function sizeBytes(text: string): number {
  const m = /^([\d.]+)\s*(bytes|[KMGT]i?B)$/i.exec(text.trim());
  if (!m) return NaN;
  const unit = m[2]!.toUpperCase();
  const power = 'BKMGT'.indexOf(unit === 'BYTES' ? 'B' : unit[0]!);
  return Number(m[1]) * (unit.includes('I') ? 1024 : 1000) ** power;
}

export async function buildReport(store: Store, options: BuildReportOptions = {}): Promise<BuiltReport> {
  const title = options.title ?? REPORT_TITLE;
  if (options.runId !== undefined) {
    const older = await olderRunReport(store, options.runId, title);
    if (older) return older;
  }
  const data = await withMemoryLimit(store, REPORT_MEMORY_LIMIT, () => loadReportData(store));
  const builders = await loadChartBuilders();
  const charts = await renderReportCharts(planReportCharts(data, builders), builders);
  return {
    html: renderDashboardReport(data, charts, { title, fmt: builders.fmt, kpiTiles: builders.kpiTiles }),
    charts,
    state: data.overview.state,
    message: data.overview.message,
    runId: data.overview.run?.runId ?? null,
  };
}

/** The summary-only report when `runId` is a finished run other than the newest; null when it is the newest. */
async function olderRunReport(store: Store, runId: string, title: string): Promise<BuiltReport | null> {
  const run = await loadRunSummary(store, runId);
  const latest = await loadRunSummary(store);
  if (latest.runId === run.runId) return null;
  const message = `Run ${run.runId} is older than the newest finished run ${latest.runId}: this report is drawn from its stored summary; the dashboard's charts (cluster map, RFM grid, cohorts, journeys) describe the newest run only.`;
  const html = renderReport(run, {
    title,
    note: message,
    quality: formatQualityReport(await qualityReport(store, new Date(run.asOf))),
    predictions: await loadPredictionSummary(store, run.runId),
  });
  return { html, charts: [], state: 'ready', message, runId: run.runId };
}
