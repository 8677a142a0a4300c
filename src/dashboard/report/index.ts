/** The static report: `buildReport` (from a store, with the dashboard's charts as SVG) and `renderReport` (from a run's summary). */
export { buildReport, type BuildReportOptions, type BuiltReport } from './build-report.js';
export { renderReport, REPORT_TITLE, type ReportOptions } from './render-report.js';
export type { ReportChart, ReportSection } from './report-charts.js';
