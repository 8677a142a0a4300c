export { renderReport, type ReportOptions } from './render-report.js';
