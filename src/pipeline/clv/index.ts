/** CLV and journeys glue: read inputs through DuckDB, run the models, return reports for the CLI. */
export { readClvFile, readOnlineRetail, readJourneySteps, EVENT_STATE_SQL, PRESETS, type ClvInput, type ReadySummary, type Preset } from './read.js';
export { runClv, accuracy, CLV_MODELS, type ClvModel, type ClvRunOptions, type ClvReport, type HoldoutReport, type Accuracy, type FitSummary } from './run.js';
