/**
 * ECharts' server-side renderer: an ECharts option in, a standalone SVG string out, with no browser and no DOM — the
 * dashboard's charts for the static report and for embedding elsewhere. The SVG is then made safe to inline next to
 * others (`finishSvg`): its ids carry the chart's id, and each data mark gets a <title> tooltip.
 */
import type { EChartsOption } from 'echarts/types/dist/echarts';
import { finishSvg, type SvgFinish } from './ssr-marks.js';

type ECharts = typeof import('echarts');

let loading: Promise<ECharts> | undefined;

/** ECharts is loaded on first use (about half a second), not whenever a module that can render is imported. */
function loadECharts(): Promise<ECharts> {
  loading ??= import('echarts');
  return loading;
}

export interface SvgChartOptions extends SvgFinish {
  /** Size in pixels; the SVG has a viewBox, so it scales to its container. */
  readonly width: number;
  readonly height: number;
}

/**
 * Renders `option` (animation should be off: the renderer snapshots the first frame) to an SVG string. Each call uses
 * its own chart instance, always disposed: ECharts keeps a timer alive for an undisposed one. Cost: linear in the
 * marks drawn; a few milliseconds for a bar chart, ~100 ms for a scatter of a few thousand points.
 */
export async function renderSvgChart(option: EChartsOption, options: SvgChartOptions): Promise<string> {
  const echarts = await loadECharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: options.width, height: options.height });
  try {
    chart.setOption(option);
    return finishSvg(chart.renderToSVGString({ useViewBox: true }), options);
  } finally {
    chart.dispose();
  }
}
