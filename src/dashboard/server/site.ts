/**
 * The single-page app as HTTP answers, shared by `segmenta dashboard` (which serves it at `/`) and `segmenta serve`
 * (which mounts it at `/dashboard/`): its files, ECharts beside them at `vendor/echarts.min.js`, the security headers
 * they carry, and the JSON text of API payloads. `index.html` loads everything by relative URLs, so the app works
 * at any mount point that ends in `/`; its data comes from the absolute `/v1/dashboard/...` routes in both servers.
 */
import type { ServerResponse } from 'node:http';
import { InputError, NotFoundError } from '../../core/errors.js';
import type { DashboardAssets } from './assets.js';
import { readKnown, readStatic, type StaticFile } from './static.js';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // ECharts writes tooltip markup with style attributes, hence 'unsafe-inline' for styles only; no inline scripts.
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Where ECharts is, relative to the app's root. */
const ECHARTS_PATH = '/vendor/echarts.min.js';

/**
 * The app's file at `pathname`, relative to where the app is mounted and still percent-encoded as in the URL
 * (`/`, `/app.js`, `/pages/overview.js`, `/vendor/echarts.min.js`); NotFoundError for anything else, including any
 * path that would leave the web folder.
 */
export async function readAppFile(assets: DashboardAssets, pathname: string): Promise<StaticFile> {
  if (pathname === ECHARTS_PATH) return readKnown(assets.echartsFile, 'text/javascript; charset=utf-8');
  const decoded = decodePathSegment(pathname);
  if (decoded.split(/[\\/]/).includes('..')) throw new NotFoundError(`no file ${JSON.stringify(pathname)} in the dashboard`);
  return readStatic(assets.webRoot, decoded);
}

/** Writes a file with the security headers; no body for HEAD. */
export function sendFile(res: ServerResponse, file: StaticFile, method: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
    'Cache-Control': 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : file.body);
}

/** A payload as JSON text; a bigint too large for a safe number (Store keeps those) is written as a number. */
export function jsonText(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value));
}

/** Percent-decodes a URL path (segment); bad encoding is an InputError naming it. */
export function decodePathSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new InputError(`path segment ${JSON.stringify(value)} is not valid percent-encoding`);
  }
}
