/**
 * The charts the dashboard and the static report share, as ECharts option builders: payload in (the JSON of
 * `src/dashboard/api`), chart spec out —
 *   { id, title, hint, height, option, csv: { headers, rows }, describe(seriesIndex, dataIndex) → text | null }.
 * The dashboard draws a spec on a canvas (../charts.js `chartCard`); the report renders the same spec to SVG on the
 * server (src/dashboard/svg/echarts-ssr.ts), so both show the same numbers, colours and labels. `describe` is a
 * mark's tooltip in the browser and its <title> in the SVG.
 *
 * Why plain ES modules here rather than TypeScript compiled to dist/: the browser must load them, and the dashboard
 * serves only this folder (src/dashboard/web, found from src/ and dist/ alike: ../../server/assets.ts); tsc emits
 * no .js from here. So they live once, DOM-free, beside the pages that import them; Node loads them from the same
 * path (src/dashboard/report/chart-builders.ts), whether it runs src/ under tsx or dist/. `index.d.ts` types them for
 * the TypeScript side, and the report's tests run every builder on real payloads.
 *
 * `fmt` and `humanise` (../ui.js, whose DOM calls all sit inside functions) are re-exported so the report formats
 * its numbers and names exactly as the dashboard does.
 *
 * Charts only the dashboard draws (flows, silhouette per segment, dendrogram, journey graph, ...) stay in their page.
 */
export { fmt, humanise } from '../ui.js';
export { withBase, describedTooltip, escapeHtml } from './style.js';
export { kpiTiles, segmentMixChart, segmentRevenueChart, segmentChangeChart } from './overview.js';
export { segmentHeatmapChart, radarChart, clusterMapChart, rfmGridChart } from './segments.js';
export { elbowChart, silhouetteByKChart } from './model.js';
export { cohortRetentionChart, cohortRevenueChart } from './cohorts.js';
export { funnelChart } from './journeys.js';
