import type { Command } from './command.js';
import { clusterCommand } from './cluster.js';
import { metricsCommand } from './metrics.js';
import { demoCommand } from './demo.js';
import { featuresCommand } from './features.js';
import { generateCommand } from './generate.js';
import { importCommand } from './import.js';
import { qualityCommand } from './quality.js';
import { reportCommand } from './report.js';
import { segmentCommand } from './segment.js';
import { predictCommand } from './predict.js';
import { clvCommand } from './clv.js';
import { journeysCommand } from './journeys.js';
import { serveCommand } from './serve.js';
import { dashboardCommand } from './dashboard.js';

/** Every command, by name, in the order `segmenta --help` lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  demo: demoCommand,
  generate: generateCommand,
  import: importCommand,
  quality: qualityCommand,
  features: featuresCommand,
  segment: segmentCommand,
  report: reportCommand,
  predict: predictCommand,
  clv: clvCommand,
  journeys: journeysCommand,
  serve: serveCommand,
  dashboard: dashboardCommand,
  cluster: clusterCommand,
  metrics: metricsCommand,
};
