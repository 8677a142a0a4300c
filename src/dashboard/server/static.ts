/**
 * Static files of the single-page app: a fixed set of content types, no directory listings, and no path that
 * leaves the web folder (`..`, encoded or not, is refused before the disk is touched).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { NotFoundError } from '../../core/errors.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Reads `pathname` (a URL path such as `/pages/overview.js`) from `root`; NotFoundError for anything else. */
export async function readStatic(root: string, pathname: string): Promise<StaticFile> {
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const contentType = CONTENT_TYPES[extname(relative).toLowerCase()];
  const resolved = normalize(join(root, relative));
  if (!contentType || relative.includes('\0') || !resolved.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new NotFoundError(`no file ${JSON.stringify(pathname)} in the dashboard`);
  }
  return { body: await readOrNotFound(resolved, pathname), contentType };
}

/** Reads a file the server knows by name (ECharts); NotFoundError when it has gone. */
export async function readKnown(file: string, contentType: string): Promise<StaticFile> {
  return { body: await readOrNotFound(file, file), contentType };
}

async function readOrNotFound(file: string, shown: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw new NotFoundError(`no file ${JSON.stringify(shown)} in the dashboard`);
    throw error;
  }
}
