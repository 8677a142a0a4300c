/**
 * Test helpers: a real server on a loopback port with a fresh database in its own temp folder, and a small client.
 * Used by the server's `*.test.ts` files; never by production code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Store } from '../store/db.js';
import { startServer, type ServerHandle, type StartOptions } from './server.js';

export const TEST_KEY = 'test-write-key';
export const TEST_ADMIN = 'test-admin-token';

export interface TestServer extends ServerHandle {
  readonly dir: string;
  readonly db: string;
  /** POST JSON with the write key as Basic user (or `auth: null` for none). */
  post(path: string, body: unknown, init?: { auth?: string | null; gzip?: boolean; headers?: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  /** GET with the admin token. */
  get(path: string, init?: { auth?: string | null }): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Servers started and not stopped yet. A test that fails before its `stop()` leaves its server listening, and the
 * open socket would keep the test file's process (and CI) waiting forever: the file's last hook stops them.
 */
const running = new Set<TestServer>();
after(async () => {
  for (const server of running) await server.stop().catch(() => undefined);
});

export function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

export async function startTestServer(options: Partial<StartOptions> = {}, dir = mkdtempSync(join(tmpdir(), 'segmenta-server-'))): Promise<TestServer> {
  const db = options.db ?? join(dir, 'test.duckdb');
  const handle = await startServer({ port: 0, writeKeys: [TEST_KEY], adminToken: TEST_ADMIN, logLevel: 'silent', piiSecret: 'test-secret', ...options, db });
  const post: TestServer['post'] = async (path, body, init = {}) => {
    const raw = typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...init.headers };
    const auth = init.auth === undefined ? basic(TEST_KEY) : init.auth;
    if (auth !== null) headers.Authorization = auth;
    if (init.gzip) headers['Content-Encoding'] = 'gzip';
    const response = await fetch(`${handle.url}${path}`, { method: 'POST', headers, body: init.gzip ? gzipSync(raw) : raw });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, headers: response.headers };
  };
  const get: TestServer['get'] = async (path, init = {}) => {
    const auth = init.auth === undefined ? `Bearer ${TEST_ADMIN}` : init.auth;
    const response = await fetch(`${handle.url}${path}`, { headers: auth === null ? {} : { Authorization: auth } });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    return { status: response.status, body, text, headers: response.headers };
  };
  const server: TestServer = {
    ...handle, dir, db, post, get,
    async stop() {
      running.delete(server);
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(server);
  return server;
}

/** Opens the (stopped) server's database, runs `work`, closes it. */
export async function inspect<T>(db: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(db);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

let counter = 0;
/** A valid track message with a unique messageId. */
export function track(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return { type: 'track', event: 'Product Viewed', userId: `u${counter % 7}`, messageId: `m-${process.pid}-${counter}`, timestamp: '2026-01-02T03:04:05.000Z', properties: { product_id: 'p1', price: 9.5 }, ...overrides };
}
