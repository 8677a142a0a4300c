/**
 * The report's charts: which of the dashboard's charts it shows, in which section and how wide, drawn to SVG by
 * ECharts on the server from the same option builders the dashboard's pages use.
 */
import { renderSvgChart } from '../svg/echarts-ssr.js';
import { dataMarkCount } from '../svg/ssr-marks.js';
import type { ChartBuilders, ChartSpec } from './chart-builders.js';
import type { ReportData } from './report-data.js';

/** Where a chart goes in the report (see `renderDashboardReport`). */
export type ReportSection = 'segments' | 'change' | 'profile' | 'radar' | 'map' | 'k' | 'cohorts' | 'funnel';

/** How much of the report's width a chart takes. */
export type ChartLayout = 'full' | 'half' | 'third';

/** Pixel widths that fit the report's 1,180 px column (cards, gaps and padding taken off); the SVGs scale down. */
const WIDTHS: Readonly<Record<ChartLayout, number>> = { full: 1100, half: 530, third: 340 };

/**
 * Points on the report's cluster map. The dashboard draws its whole seeded sample (up to 5,000) on a canvas; as SVG
 * each point is an element, so the report thins the sample to keep the file small.
 */
export const REPORT_MAP_POINTS = 1_000;

export interface PlannedChart {
  readonly section: ReportSection;
  readonly layout: ChartLayout;
  readonly spec: ChartSpec;
}

export interface ReportChart {
  readonly id: string;
  readonly title: string;
  readonly hint: string | null;
  readonly section: ReportSection;
  readonly layout: ChartLayout;
  readonly width: number;
  readonly height: number;
  /** Standalone SVG (xmlns, viewBox, no script), safe to inline beside the report's other charts. */
  readonly svg: string;
  /** Data items drawn, over all series (`dataMarkCount`). */
  readonly marks: number;
}

/** The charts the payloads have data for, in page order. O(charts). */
export function planReportCharts(data: ReportData, b: ChartBuilders): PlannedChart[] {
  const planned: { section: ReportSection; layout: ChartLayout; spec: ChartSpec | null }[] = [];
  const add = (section: ReportSection, layout: ChartLayout, spec: ChartSpec | null) => planned.push({ section, layout, spec });
  if (data.overview.segments.length > 0) {
    add('segments', 'half', b.segmentMixChart(data.overview));
    add('segments', 'half', b.segmentRevenueChart(data.overview));
    add('change', 'full', b.segmentChangeChart(data.overview));
  }
  const seg = data.segments;
  if (seg.segments.length > 0) {
    add('profile', 'full', b.segmentHeatmapChart(seg));
    for (const s of seg.segments) add('radar', 'third', b.radarChart(seg, s));
    add('map', 'half', b.clusterMapChart(seg, { maxPoints: REPORT_MAP_POINTS, wrapLegend: true }));
    add('map', 'half', b.rfmGridChart(seg));
  }
  add('k', 'half', b.elbowChart(data.model));
  add('k', 'half', b.silhouetteByKChart(data.model));
  add('cohorts', 'full', b.cohortRetentionChart(data.cohorts));
  add('cohorts', 'full', b.cohortRevenueChart(data.cohorts));
  add('funnel', 'full', b.funnelChart(data.journeys));
  return planned.flatMap((p) => (p.spec ? [{ section: p.section, layout: p.layout, spec: p.spec }] : []));
}

/** Renders each planned chart to SVG, one after another. Cost: a few milliseconds to ~0.1 s per chart. */
export async function renderReportCharts(planned: readonly PlannedChart[], b: ChartBuilders): Promise<ReportChart[]> {
  const charts: ReportChart[] = [];
  for (const { section, layout, spec } of planned) {
    const width = WIDTHS[layout];
    // A white background, so a chart saved as its own file reads the same on any page it is embedded in.
    const svg = await renderSvgChart({ ...b.withBase(spec.option), backgroundColor: '#fff' }, { id: spec.id, label: spec.title, describe: spec.describe, width, height: spec.height });
    charts.push({ id: spec.id, title: spec.title, hint: spec.hint, section, layout, width, height: spec.height, svg, marks: dataMarkCount(svg) });
  }
  return charts;
}
