export { runSegmentation, type SegmentRunOptions } from './segment-run.js';
export { loadRunSummary } from './latest-run.js';
export type { RunSummary, SegmentSummary, RunContext, KChoice, RfmSegmentSummary } from './types.js';
export { DEMO_DEFAULTS, runDemo, type DemoOptions, type DemoResult } from './demo.js';
