/**
 * Types of the shared chart option builders (index.js) for the TypeScript side (the report). Hand-written because
 * tsc does not read this folder's JavaScript; kept honest by the report's tests, which call every builder on real
 * payloads and check the charts they draw.
 */
import type { EChartsOption } from 'echarts/types/dist/echarts';
import type { CohortsPayload, JourneysPayload, ModelChoicePayload, OverviewPayload, SegmentRow, SegmentsPayload } from '../../api/types.js';

/** A chart: what `chartCard` draws in the browser and the report renders to SVG. */
export interface ChartSpec {
  /** Names the PNG/CSV/SVG files and the `data-chart` attribute. */
  readonly id: string;
  readonly title: string;
  readonly hint: string | null;
  /** Pixels. */
  readonly height: number;
  readonly option: EChartsOption;
  readonly csv: { readonly headers: readonly string[]; readonly rows: readonly (readonly unknown[])[] };
  /** Plain text about one data mark (lines separated by '\n'), or null for none. */
  describe(seriesIndex: number, dataIndex: number): string | null;
}

type Maybe = number | null | undefined;

/** The dashboard's number formats (../ui.js); null, undefined and NaN show as an en dash. */
export const fmt: {
  int(v: Maybe): string;
  /** Whole numbers from 1,000 up, else two decimals. */
  money(v: Maybe): string;
  pct(v: Maybe, digits?: number): string;
  num(v: Maybe, digits?: number): string;
  date(v: string | null | undefined): string;
  dateTime(v: string | null | undefined): string;
  compact(v: Maybe): string;
  delta(v: Maybe, format?: (x: number) => string): string;
};
/** `days_since_last_order` → `days since last order`. */
export function humanise(name: string): string;

/** The base option every chart starts from (animation off, the page's font); the chart's own keys win. */
export function withBase(option: EChartsOption): EChartsOption;
export function describedTooltip(describe: ChartSpec['describe']): (params: unknown) => string;
export function escapeHtml(text: string): string;

/** A headline number: raw `value` and formatted `shown`. */
export interface KpiTile {
  readonly id: string;
  readonly label: string;
  readonly value: number | null;
  readonly shown: string;
  readonly extra: string | null;
}
export function kpiTiles(kpis: OverviewPayload['kpis']): KpiTile[];
export function segmentMixChart(data: OverviewPayload): ChartSpec;
export function segmentRevenueChart(data: OverviewPayload): ChartSpec;
export function segmentChangeChart(data: OverviewPayload): ChartSpec | null;

export function segmentHeatmapChart(data: SegmentsPayload): ChartSpec;
export function radarChart(data: SegmentsPayload, segment: SegmentRow): ChartSpec | null;
export function clusterMapChart(data: SegmentsPayload, options?: { readonly maxPoints?: number; readonly wrapLegend?: boolean }): (ChartSpec & { readonly seriesSegments: readonly SegmentRow[] }) | null;
export function rfmGridChart(data: SegmentsPayload): ChartSpec;

export function elbowChart(data: ModelChoicePayload): ChartSpec | null;
export function silhouetteByKChart(data: ModelChoicePayload): ChartSpec | null;

export function cohortRetentionChart(data: CohortsPayload): ChartSpec | null;
export function cohortRevenueChart(data: CohortsPayload): ChartSpec | null;

export function funnelChart(data: JourneysPayload): ChartSpec | null;
