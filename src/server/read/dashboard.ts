/**
 * The dashboard inside `segmenta serve`. Its JSON routes (`/v1/dashboard/...`, the same routes and payloads as
 * `segmenta dashboard`) join the read API behind the admin token; its pages and their files are served at
 * `/dashboard/` without one (they hold no data: the page asks for the token and sends it with each API request).
 * The queries run on the read connections, so a slow page never holds up an ingest commit nor sees one half done.
 */
import type { Logger } from 'pino';
import { NotFoundError } from '../../core/errors.js';
import { API_ROUTES, jsonText, locateAssets, readAppFile, sendFile, type DashboardAssets } from '../../dashboard/server/index.js';
import { checkAdmin } from '../http/auth.js';
import type { Handler, Route } from '../http/router.js';
import type { ReadConnections } from './readers.js';

/** Where `segmenta serve` mounts the single-page app. */
export const DASHBOARD_MOUNT = '/dashboard';

export interface DashboardDeps {
  readonly readers: ReadConnections;
  readonly adminToken: string;
  readonly log: Logger;
}

export function dashboardRoutes(deps: DashboardDeps): Route[] {
  const api: Route[] = API_ROUTES.map((route) => ({
    method: 'GET', path: route.path,
    handler: async (ctx) => {
      checkAdmin(ctx.req, deps.adminToken);
      const body = await deps.readers.use((store) => route.handler(store, { params: ctx.params, query: ctx.query }));
      // The same text `segmenta dashboard` sends (`jsonText`), so both servers answer byte for byte alike.
      return { status: 200, text: jsonText(body), contentType: 'application/json; charset=utf-8', headers: { 'Cache-Control': 'no-store' } };
    },
  }));
  const assets = findAssets(deps.log);
  const page: Handler = async (ctx) => {
    // The raw path, still percent-encoded: `readAppFile` decodes it once and refuses any `..`.
    const pathname = new URL(ctx.req.url ?? '/', 'http://localhost').pathname;
    // The app loads its files by relative URLs, which need the trailing slash.
    if (pathname === DASHBOARD_MOUNT) return { status: 308, text: '', contentType: 'text/plain; charset=utf-8', headers: { Location: `${DASHBOARD_MOUNT}/` } };
    if (assets instanceof Error) throw new NotFoundError(`the dashboard is not available: ${assets.message}`);
    sendFile(ctx.res, await readAppFile(assets, pathname.slice(DASHBOARD_MOUNT.length)), 'GET');
    return { handled: true };
  };
  return [...api, { method: 'GET', path: DASHBOARD_MOUNT, handler: page }, { method: 'GET', path: `${DASHBOARD_MOUNT}/*`, handler: page }];
}

/** The app's files; when they are missing the service still runs (ingestion matters more) and the pages say why. */
function findAssets(log: Logger): DashboardAssets | Error {
  try {
    return locateAssets();
  } catch (error) {
    log.warn({ err: error }, 'dashboard files not found; /dashboard/ answers 404');
    return error as Error;
  }
}
