/**
 * The dashboard's HTTP server on `node:http` (no framework: a handful of GET routes). It opens the database
 * read-only, so it can never change the data it shows, and only while requests come (`./lease.ts`), so other
 * commands can write it meanwhile. It serves two things:
 * - `GET /v1/dashboard/...`: JSON from the data layer (`./routes.ts`), one database call at a time (one connection);
 *   the same routes and payloads as in `segmenta serve`, open here unless `authorize` is given;
 * - everything else: the single-page app and ECharts (`./site.ts`), so the page works offline.
 * Errors are JSON `{ error: { code, message, issues } }` with their status, mapped in `./errors.ts` only.
 * A loopback dashboard answers only requests addressed to a loopback host name, so a web page elsewhere cannot
 * read customer data through DNS rebinding.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../../core/errors.js';
import { locateAssets, type DashboardAssets } from './assets.js';
import { errorAnswer, HttpError } from './errors.js';
import { DEFAULT_IDLE_CLOSE_MS, StoreLease } from './lease.js';
import { API_ROUTES, type ApiRoute } from './routes.js';
import { decodePathSegment, jsonText, readAppFile, SECURITY_HEADERS, sendFile } from './site.js';

export interface DashboardOptions {
  /** The database file (opened read-only; it must exist). */
  readonly db: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1 (this machine only). */
  readonly host?: string;
  /** Where unexpected failures are reported (default: stderr). */
  readonly log?: (line: string) => void;
  /** The database is closed after this long without requests, so other commands can write it (default 5 s). */
  readonly idleCloseMs?: number;
  /**
   * Checks each JSON request (default: none, the routes are open): null lets it through, else it is answered 401 with
   * the refusal's message and challenge. The CLI hands in the service's admin-token check for `--admin-token`, so
   * this stage needs no import from the server's.
   */
  readonly authorize?: (req: IncomingMessage) => { readonly message: string; readonly challenge: string } | null;
}

export interface DashboardHandle {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends open connections and closes the database. */
  close(): Promise<void>;
}

/** How long close() lets in-flight requests finish before ending their connections. */
const CLOSE_GRACE_MS = 2_000;

/** Opens `db` read-only and serves the dashboard on `host:port`. */
export async function startDashboard(options: DashboardOptions): Promise<DashboardHandle> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const assets = locateAssets();
  if (options.db !== ':memory:' && !existsSync(options.db)) {
    throw new InputError(`database ${options.db} does not exist; create one with \`segmenta demo\` or \`segmenta import\` first`, [{ path: 'db', message: 'no such file' }]);
  }
  const lease = await StoreLease.open(options.db, options.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS);
  try {
    return await serve(lease, assets, host, options.port, log, options.authorize);
  } catch (error) {
    await lease.close();
    throw error;
  }
}

async function serve(lease: StoreLease, assets: DashboardAssets, host: string, port: number, log: (line: string) => void, authorize: DashboardOptions['authorize']): Promise<DashboardHandle> {
  const routes = compile(API_ROUTES);
  const loopback = isLoopback(host);
  const server = createServer({ keepAlive: true, requestTimeout: 60_000 });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (loopback) checkHost(req.headers.host);
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname} (the dashboard is read-only; allowed: GET, HEAD)`, { Allow: 'GET, HEAD' });
      if (url.pathname.startsWith('/v1/')) {
        const { route, params } = match(routes, url.pathname);
        const refusal = authorize?.(req);
        if (refusal) throw new HttpError(401, 'unauthorized', refusal.message, { 'WWW-Authenticate': refusal.challenge });
        const body = await lease.use((store) => route.handler(store, { params, query: url.searchParams }));
        sendJson(res, 200, body, method);
      } else {
        sendFile(res, await readAppFile(assets, url.pathname), method);
      }
    } catch (error) {
      const answer = errorAnswer(error);
      if (answer.status >= 500) log(`segmenta dashboard: ${req.method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}`);
      sendJson(res, answer.status, answer.body, req.method ?? 'GET', answer.headers);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${bound}/`,
    port: bound,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Browsers keep connections open: end the idle ones now, and any still busy after a short grace.
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        await stopped;
        clearTimeout(force);
        await lease.close();
      })();
      return closing;
    },
  };
}

/** A port in use or not allowed is bad input (a flag to change), not a crash. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new InputError(`port ${port} on ${host} is already in use; choose another with --port (0 picks a free one)`);
  if (error.code === 'EACCES') return new InputError(`port ${port} on ${host} needs more privileges; choose a port above 1023 with --port`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new InputError(`host ${host} is not an address of this machine (got ${error.code}); use 127.0.0.1 or 0.0.0.0 with --host`);
  return error;
}

interface CompiledRoute {
  readonly route: ApiRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

function compile(routes: readonly ApiRoute[]): readonly CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route, pattern: new RegExp(`^${source}/?$`), names };
  });
}

function match(routes: readonly CompiledRoute[], pathname: string): { route: ApiRoute; params: Record<string, string> } {
  for (const { route, pattern, names } of routes) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = decodePathSegment(m[i + 1] ?? '');
    });
    return { route, params };
  }
  throw new HttpError(404, 'not_found', `no dashboard API route ${pathname} (routes: ${routes.map((r) => r.route.path).join(', ')})`);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.startsWith('127.');
}

function checkHost(header: string | undefined): void {
  const name = (header ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!LOOPBACK_NAMES.has(name) && !name.startsWith('127.') && !name.endsWith('.localhost')) {
    throw new HttpError(421, 'wrong_host', `this dashboard listens on a loopback address and answers only requests for localhost (got Host ${JSON.stringify(header ?? '')})`);
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function sendJson(res: ServerResponse, status: number, body: unknown, method: string, headers: Readonly<Record<string, string>> = {}): void {
  const text = jsonText(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS, ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : text);
}
