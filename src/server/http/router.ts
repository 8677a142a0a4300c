/**
 * A small router: routes are data (`method`, a path pattern with `:name` parameters, a handler), matched in order.
 * A pattern ending in `/*` matches everything below its prefix (a folder of static files), given as the `rest`
 * parameter. An unknown path is a 404 and a known path with the wrong method a 405 with `Allow`, both as JSON errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

/** What a handler returns: a JSON body (or text with its content type), or `handled` when it wrote the response itself (SSE). */
export type Answer =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly text: string; readonly contentType: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly handled: true };

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly receivedAt: Date;
}

export type Handler = (ctx: RequestContext) => Promise<Answer>;

export interface Route {
  readonly method: string;
  readonly path: string;
  readonly handler: Handler;
}

interface Compiled extends Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export class Router {
  private readonly routes: Compiled[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const folder = route.path.endsWith('/*');
      const source = (folder ? route.path.slice(0, -2) : route.path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      if (folder) names.push('rest');
      return { ...route, pattern: new RegExp(folder ? `^${source}/(.+)$` : `^${source}/?$`), names };
    });
  }

  /** The handler, path parameters and route pattern (a metrics label without ids) for a request; throws 404/405 as HttpError. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string>; path: string } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return { handler: route.handler, params, path: route.path };
    }
    if (allowed.length > 0) {
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${pathname} (allowed: ${allowed.join(', ')})`, [], { Allow: allowed.join(', ') });
    }
    throw new HttpError(404, 'not_found', `no route ${method} ${pathname}`);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(400, 'bad_request', `path segment ${JSON.stringify(value)} is not valid percent-encoding`);
  }
}
