/**
 * Where the dashboard's files are on disk, from `src/` under tsx and from `dist/` after `npm run build` alike.
 *
 * tsc emits only `.ts` files (tsconfig has no `allowJs`), so the browser's plain ES modules, HTML and CSS never
 * reach `dist/`. Rather than copy them at build time, the server serves them from their one home in the source
 * tree: it walks up from this module to the package root (the folder whose package.json is named `segmenta`) and
 * uses `<root>/src/dashboard/web`. That holds from `src/dashboard/server/` and `dist/dashboard/server/` alike, and
 * for an installed package (npm ships `src/` with it). ECharts is found the way Node finds any dependency
 * (`require.resolve`), so a hoisted `node_modules` works too; nothing is fetched from a CDN.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'segmenta';

export interface DashboardAssets {
  /** The folder of the single-page app (index.html, app.js, pages/, style.css). */
  readonly webRoot: string;
  /** ECharts' minified browser build. */
  readonly echartsFile: string;
}

/** The package root above `from` (a file URL or path): the nearest folder with a package.json named `segmenta`. */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readName(manifest) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`dashboard assets: no package.json named "${PACKAGE_NAME}" above ${from}`);
    dir = parent;
  }
}

function readName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** Locates the web folder and ECharts; throws naming the missing path when either is absent. */
export function locateAssets(from: string = import.meta.url): DashboardAssets {
  const root = packageRoot(from);
  const webRoot = join(root, 'src', 'dashboard', 'web');
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error(`dashboard assets: ${join(webRoot, 'index.html')} is missing`);
  const require = createRequire(join(root, 'package.json'));
  // `echarts` resolves (condition "require") to dist/echarts.js; the minified build sits beside it.
  const echartsFile = join(dirname(require.resolve('echarts')), 'echarts.min.js');
  if (!existsSync(echartsFile)) throw new Error(`dashboard assets: ${echartsFile} is missing (is the echarts package installed?)`);
  return { webRoot, echartsFile };
}
