/**
 * Post-processing of ECharts' server-side SVG, and reading its data marks back.
 *
 * ECharts names its clip paths and CSS classes after a per-process counter (`zr0-c0`, `zr3-cls-1`): inline two charts
 * of two processes (or two renders) in one page and `url(#zr0-c0)` may point into the wrong chart. `finishSvg` renames
 * them after the chart's id. ECharts tags each data mark (a bar, a pie slice, a heatmap cell, a point) with
 * `ecmeta_series_index`, `ecmeta_data_index` and `ecmeta_ssr_type="chart"`; `finishSvg` gives those marks a <title> (the tooltip a browser shows
 * without any script) and `dataMarks` counts them, which is how tests and `segmenta report --json` check that a chart
 * drew its data.
 */
import { esc } from './escape.js';

export interface SvgFinish {
  /** The chart's id: prefixes the SVG's ids and classes (unique within a page) and names it in `data-chart`. */
  readonly id: string;
  /** The chart's accessible name (its title). */
  readonly label: string;
  /** Plain text for one data mark's <title> (lines separated by '\n'), or null for none. */
  readonly describe?: (seriesIndex: number, dataIndex: number) => string | null;
}

/**
 * Opening tags of data marks, `<path ... ecmeta_series_index="0" ecmeta_data_index="3" ecmeta_ssr_type="chart">` (or
 * self-closing). Legend items are typed "legend"; a series' mark lines are typed "chart" too, with the index of the
 * line, so the charts make them `silent` and silent elements are not data marks (`indexes`).
 */
const MARK = /<([a-z]+)(\s[^>]*?\becmeta_ssr_type="chart"[^>]*?)(\/?)>/g;
const SERIES_INDEX = /\becmeta_series_index="(\d+)"/;
const DATA_INDEX = /\becmeta_data_index="(\d+)"/;
const SILENT = /\becmeta_silent="true"/;

/** The series and data index of a mark's attributes; null when either is missing or the element is silent. */
function indexes(attributes: string): { series: number; data: number } | null {
  if (SILENT.test(attributes)) return null;
  const series = SERIES_INDEX.exec(attributes)?.[1];
  const data = DATA_INDEX.exec(attributes)?.[1];
  return series === undefined || data === undefined ? null : { series: Number(series), data: Number(data) };
}

/** Renames ECharts' ids and classes after `id`, adds the accessible name and the marks' <title>s. O(length). */
export function finishSvg(svg: string, options: SvgFinish): string {
  const prefix = options.id.replace(/[^A-Za-z0-9_-]/g, '_');
  let out = svg
    // Inside tags only (ids, classes, url(#...) and href="#..." references), never in text a chart shows.
    .replace(/<[a-z][^>]*>/g, (tag) => tag.replace(/(\bid="|\bclass="|url\(#|href="#)zr\d+-/g, `$1${prefix}-`))
    // In the hover styles: nothing is clickable in a static file, and ECharts writes an object fill (a visual map's
    // handle) as `fill:[object Object]`, which a browser would drop anyway.
    .replace(/<style[\s\S]*?<\/style>/g, (style) => style.replace(/\.zr\d+-/g, `.${prefix}-`).replace(/(cursor:pointer|[a-z-]+:\[object Object\]);\n?/g, ''));
  if (options.describe) out = titleMarks(out, options.describe);
  return out.replace(/^<svg\b([^>]*)>/, (_all, attributes: string) =>
    `<svg class="echart" data-chart="${esc(options.id)}" role="img" aria-label="${esc(options.label)}"${attributes}><title>${esc(options.label)}</title>`);
}

/** Each data mark gets `describe`'s text as a <title> child. */
function titleMarks(svg: string, describe: NonNullable<SvgFinish['describe']>): string {
  return svg.replace(MARK, (all, tag: string, attributes: string, selfClosing: string) => {
    const at = indexes(attributes);
    const text = at === null ? null : describe(at.series, at.data);
    if (text === null) return all;
    const title = `<title>${esc(text)}</title>`;
    return selfClosing ? `<${tag}${attributes}>${title}</${tag}>` : `${all}${title}`;
  });
}

/**
 * The data marks of an ECharts SVG: for each series index, the distinct data indexes drawn (several elements may draw
 * one data item, e.g. a radar's area and its points). O(length).
 */
export function dataMarks(svg: string): Map<number, Set<number>> {
  const marks = new Map<number, Set<number>>();
  for (const match of svg.matchAll(MARK)) {
    const at = indexes(match[2]!);
    if (at === null) continue;
    let drawn = marks.get(at.series);
    if (!drawn) marks.set(at.series, (drawn = new Set()));
    drawn.add(at.data);
  }
  return marks;
}

/** How many data items `dataMarks` found over all series. */
export function dataMarkCount(svg: string): number {
  let n = 0;
  for (const drawn of dataMarks(svg).values()) n += drawn.size;
  return n;
}
