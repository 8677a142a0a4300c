/**
 * The dashboard's chart option builders (src/dashboard/web/options), loaded for the report from their one home.
 *
 * They are the browser's plain ES modules, which tsc does not copy to dist/; so they are imported by file URL from
 * the dashboard's web folder (`locateAssets`, which walks up to the package root), the same files whether this runs
 * from src/ under tsx or from dist/. Their types come from the hand-written `index.d.ts` beside them.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { locateAssets } from '../server/assets.js';
import type * as Builders from '../web/options/index.js';

export type ChartBuilders = typeof Builders;
export type { ChartSpec } from '../web/options/index.js';

let loading: Promise<ChartBuilders> | undefined;

/** The builders module, imported once. Throws naming the file when the web folder is missing. */
export function loadChartBuilders(): Promise<ChartBuilders> {
  loading ??= import(pathToFileURL(join(locateAssets().webRoot, 'options', 'index.js')).href) as Promise<ChartBuilders>;
  return loading;
}
