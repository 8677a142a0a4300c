/**
 * The HTTP service: opens the database (the server owns its file), warms the messageId window and consent from it,
 * and serves the routes on `node:http` (no framework: the routes are few and the hot path is body → JSON →
 * group commit, where a framework would only add cost). Errors become answers in `http/errors.ts` only.
 * Ingestion writes through the writer's connection, answering a batch once it is synced into the journal beside
 * the database (`<db>.journal/`, loaded into DuckDB behind the answers and at the next start: `ingest/journal.ts`);
 * reads (the read API and the dashboard at `/dashboard/`) use connections of their own on the same database
 * (`read/readers.ts`) and first wait for the events answered before them to be loaded.
 * `close()` stops accepting, lets in-flight requests finish (up to `drainTimeoutMs`), commits what is queued and
 * closes the database.
 */
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { pino, type Logger } from 'pino';
import { Store } from '../store/db.js';
import { secret } from '../store/secrets.js';
import { RateLimiter, WriteKeys } from './http/auth.js';
import { BodyError } from './http/body.js';
import { errorAnswer } from './http/errors.js';
import { Router, type Answer, type Route } from './http/router.js';
import { collectionRoutes } from './ingest/collect.js';
import { DedupeIndex } from './ingest/dedupe.js';
import { Privacy } from './ingest/privacy.js';
import { journalDirOf, openJournal } from './ingest/leftover.js';
import { GroupCommitWriter, type WriterOptions } from './ingest/writer.js';
import { LiveKmeans } from './live/live-kmeans.js';
import { LiveRfm } from './live/live-rfm.js';
import { SegmentStreams } from './live/streams.js';
import { Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { DEFAULT_SERVE_OPTIONS, type ServeOptions } from './options.js';
import { dashboardRoutes } from './read/dashboard.js';
import { ReadConnections } from './read/readers.js';
import { readRoutes } from './read/routes.js';

export interface ServerHandle {
  readonly url: string;
  readonly port: number;
  /** The write key in use (the first configured one, or the stored/generated one). */
  readonly writeKey: string;
  readonly adminToken: string;
  /** Secrets generated on this start (print them once); empty on later starts. */
  readonly generated: Readonly<{ writeKey?: string; adminToken?: string }>;
  close(): Promise<void>;
}

export type StartOptions = Partial<ServeOptions> & {
  readonly db: string;
  readonly logger?: Logger;
  /** Makes the messageId window (tests: one that reports fingerprint collisions, which real ids almost never do). */
  readonly dedupeIndex?: (windowMs: number) => DedupeIndex;
};

/** How often the messageId window forgets ids older than the window. */
const DEDUPE_PRUNE_MS = 3600_000;

/**
 * The server's checkpoint threshold. A checkpoint took 0.6–1.9 s, hardly more for a bigger log (the row groups
 * that gained rows seem to be written whole); at DuckDB's 16 MB one ran every few loads under batch traffic, and
 * the loads fell behind the answers. Measured on 2 cores, 16 connections of 100-event batches for 30 s: commits took
 * 11.2 s in all at 64 MB (7 checkpoints over 1 s), 8.7 s at 256 MB (2). A kill leaves at most this much log to
 * replay at the next start: 180 MB replayed in 2.6 s.
 */
const CHECKPOINT_THRESHOLD = '256MB';
const CHECKPOINT_THRESHOLD_BYTES = 256e6;

/**
 * Small journal loads start at most every 150 ms (`WriterOptions.minLoadIntervalMs`); reads that wait for the loads
 * and loads of 5,000 events or more do not wait, so a profile read is not delayed by it, while a segment change on
 * the SSE stream may come up to that much later. Single `/v1/track` requests, 64 connections on 2 cores: 50 ms
 * against loading back to back gave 166-173 µs of server CPU per request (6.7-6.9k requests/s) against 209-223 µs
 * (5.8-6.1k); 150 ms against 50 ms, four alternated pairs at a slower moment: 179-191 µs (5.8-6.0k/s) against
 * 168-221 µs (5.2-7.0k/s), less in three pairs of four. Batches, which load thousands of events at a time, are unchanged.
 */
const LOAD_INTERVAL_MS = 150;

/**
 * How long a profile read waits for the live segment passes over the events acknowledged before it. A pass takes
 * ~100 ms for a comeback of 27 events idle; one delayed by a checkpoint or a model reload delays reads by this much
 * at most, and the read then shows the segments as last committed.
 */
const LIVE_READ_WAIT_MS = 1_000;

/**
 * More DuckDB threads for a load whose commit will checkpoint. DuckDB checkpoints inside the commit that takes
 * its log past the threshold, and the loads wait for it: over 1M events the checkpoint took 2.6 s on the one thread
 * left to DuckDB while serving, long enough to fill the queue (503s). On every core it is ~40% shorter (800k rows:
 * 0.82 s against 1.29 s). The log's size is read from its file; a load's own share of the log is guessed
 * generously (twice its journal files, plus 32 MB), so the load before the checkpoint may be boosted too.
 */
function checkpointBoost(db: string, threads: number): WriterOptions['loadSettings'] {
  const cores = availableParallelism();
  if (db === ':memory:' || threads >= cores) return undefined;
  const size = (path: string): number => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return (paths) => {
    const load = paths.reduce((total, path) => total + size(path), 0);
    if (size(`${db}.wal`) + 2 * load + 32e6 < CHECKPOINT_THRESHOLD_BYTES) return undefined;
    return { set: `SET threads = ${cores}`, reset: `SET threads = ${threads}` };
  };
}

export async function startServer(input: StartOptions): Promise<ServerHandle> {
  const options: ServeOptions = { ...DEFAULT_SERVE_OPTIONS, ...input };
  const log = input.logger ?? pino({ level: options.logLevel, base: { service: 'segmenta' } });
  const store = await Store.open(options.db, { checkpointThreshold: CHECKPOINT_THRESHOLD, threads: options.duckdbThreads });
  try {
    return await serve(store, options, log, input.dedupeIndex ?? ((windowMs) => new DedupeIndex(windowMs)));
  } catch (error) {
    store.close();
    throw error;
  }
}

async function serve(store: Store, options: ServeOptions, log: Logger, makeDedupe: (windowMs: number) => DedupeIndex): Promise<ServerHandle> {
  const writeKey = await secret(store, 'write_key', options.writeKeys[0]);
  const adminToken = await secret(store, 'admin_token', options.adminToken);
  const piiSecret = await secret(store, 'pii_secret', options.piiSecret);
  const journalDir = journalDirOf(options.db);
  // The writer reports commits to the live RFM and K-means updaters, which write their changes through the writer.
  let liveOn = false;
  const writer = new GroupCommitWriter(store, {
    maxQueueEvents: options.maxQueueEvents, maxGroupEvents: options.maxGroupEvents, minLoadIntervalMs: LOAD_INTERVAL_MS,
    ...(journalDir === undefined ? {} : {
      journal: await openJournal(store, journalDir, { onFatal: (error) => stopOnJournalFailure(log, error) }),
      loadSettings: checkpointBoost(options.db, options.duckdbThreads),
    }),
    onLoadFailure: (error, attempt, files) => log.error({ err: error, attempt, files }, 'loading acknowledged events from the journal into the database failed; retrying (new requests get 503 while the queue is full)'),
    onCommit: (rows) => {
      // Commits of the journal a previous process left come before the live updaters exist; they read those
      // events from the store when they load.
      if (!liveOn) return;
      live.committed(rows);
      liveKmeans.committed(rows);
    },
  });
  // The live updaters read on connections of their own: on the writer's connection a read could run inside a
  // group's open transaction (seeing rows that may yet roll back), and two statements would share one connection.
  const liveRfmReads = await store.connectAnother();
  const liveKmeansReads = await store.connectAnother();
  // What a previous process journaled but did not load is loaded before the messageId window is read. When that
  // fails the server does not start: serving on would record later segments as loaded past the failed one.
  try {
    await writer.ready;
  } catch (error) {
    await writer.close();
    liveRfmReads.close();
    liveKmeansReads.close();
    throw error;
  }
  const dedupe = makeDedupe(options.dedupeWindowHours * 3600_000);
  const warmed = await dedupe.warm(store, new Date());
  const privacy = new Privacy({ piiTraits: options.piiTraits, storeRawPii: options.storeRawPii, secret: piiSecret.value });
  await privacy.warm(store);
  const live = new LiveRfm(liveRfmReads, writer, log, { maxCustomers: options.liveCacheCustomers });
  await live.reload();
  const liveKmeans = new LiveKmeans(liveKmeansReads, writer, log, { maxCustomers: options.liveCacheCustomers });
  await liveKmeans.reload();
  liveOn = true;
  const streams = new SegmentStreams(live, liveKmeans);
  // A read waits for the events acknowledged before it to be loaded from the journal (read-your-writes).
  const readers = new ReadConnections(store, undefined, () => writer.caughtUp());
  // A profile shows what the live passes made of the events acknowledged before it, as it shows the events: the
  // passes run after each load, so the read waits for the loads, then (a bounded time) for the passes over them.
  const liveSettled = async (): Promise<void> => {
    await writer.caughtUp();
    await atMost(LIVE_READ_WAIT_MS, Promise.all([live.idle(), liveKmeans.settled()]));
  };
  const metrics = new Metrics();
  const keys = [...new Set([writeKey.value, ...options.writeKeys])];

  const routes: Route[] = [
    ...collectionRoutes({
      writeKeys: new WriteKeys(keys),
      limiter: new RateLimiter(options.rateLimitEventsPerSecond, options.rateLimitBurst),
      dedupe, writer, metrics, privacy,
      confirmStored: (ids) => readers.use((reader) => dedupe.confirmStored(reader, ids, Date.now(), DEDUPE_PRUNE_MS)),
      bodyTimeoutMs: options.requestTimeoutMs,
      importId: 'api',
    }),
    ...readRoutes({ readers, writer, adminToken: adminToken.value, log, live, streams, liveSettled, dedupeHorizon: () => dedupe.horizon(Date.now(), DEDUPE_PRUNE_MS) }),
    ...dashboardRoutes({ readers, adminToken: adminToken.value, log }),
    { method: 'GET', path: '/healthz', handler: async () => ({ status: 200, json: { status: 'ok', queueDepth: writer.depth, commits: writer.stats.commits } }) },
    {
      method: 'GET', path: '/metrics',
      handler: async () => ({
        status: 200,
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        text: metrics.render({ writer, dedupe, live, liveKmeans }),
      }),
    },
    { method: 'GET', path: '/openapi.json', handler: async () => ({ status: 200, json: openApiDocument() }) },
  ];
  const router = new Router(routes);

  let active = 0;
  let draining = false;
  const server = createServer({ keepAlive: true, headersTimeout: options.requestTimeoutMs, requestTimeout: options.requestTimeoutMs + 5_000 });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    active++;
    res.on('close', () => active--);
    if (draining) res.setHeader('Connection', 'close');
    void handle(req, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const [status, code, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout', `request not received within ${options.requestTimeoutMs} ms`]
      : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers_too_large', 'request headers are too large']
      : [400, 'bad_request', `malformed HTTP request (${error.code ?? error.message})`];
    if (socket.writable && !(socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      const body = JSON.stringify({ error: { code, message, issues: [] } });
      socket.end(`HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    } else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const receivedAt = new Date();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let route = 'unmatched';
    let answer: Answer;
    try {
      const { handler, params, path } = router.match(req.method ?? 'GET', url.pathname);
      route = path;
      answer = await handler({ req, res, params, query: url.searchParams, receivedAt });
    } catch (error) {
      const mapped = errorAnswer(error);
      if (mapped.internal) log.error({ err: error, path: url.pathname }, 'request failed');
      else log.debug({ path: url.pathname, status: mapped.status, code: mapped.body.error.code }, 'request refused');
      if (error instanceof BodyError && error.closeConnection) res.setHeader('Connection', 'close');
      answer = { status: mapped.status, json: mapped.body, headers: mapped.headers };
    }
    if (!('handled' in answer)) write(res, answer);
    metrics.countRequest(route, res.statusCode, (performance.now() - started) / 1000);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const prune = setInterval(() => dedupe.prune(Date.now()), DEDUPE_PRUNE_MS);
  prune.unref();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}`;
  log.info({ port, url, dashboard: `${url}/dashboard/`, db: options.db, dedupeIds: warmed, writeKeys: keys.length }, 'listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      clearInterval(prune);
      streams.closeAll();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + options.drainTimeoutMs;
      while (active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      server.closeAllConnections();
      await stopped;
      // Queued events commit, their customers re-score (RFM, K-means), and those changes commit too.
      await writer.close();
      await Promise.all([live.idle(), liveKmeans.idle()]);
      await writer.close();
      await readers.close();
      liveRfmReads.close();
      liveKmeansReads.close();
      store.close();
      log.info({ commits: writer.stats.commits, events: writer.stats.eventsWritten }, 'stopped');
    })();
    return closing;
  };
  return {
    url, port, writeKey: writeKey.value, adminToken: adminToken.value,
    generated: { ...(writeKey.generated ? { writeKey: writeKey.value } : {}), ...(adminToken.generated ? { adminToken: adminToken.value } : {}) },
    close,
  };
}

function write(res: ServerResponse, answer: Exclude<Answer, { handled: true }>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
  const type = 'json' in answer ? 'application/json; charset=utf-8' : answer.contentType;
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Resolves when `work` does or after `ms`, whichever is first (`work` goes on either way). */
async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A journal sync failed (`ingest/journal.ts`): the requests waiting for it can be answered neither "stored" nor
 * "not stored", so the process stops unanswered; the next start loads what reached the disk.
 */
function stopOnJournalFailure(log: Logger, error: unknown): void {
  log.fatal({ err: error }, 'the ingest journal could not be synced to disk; stopping without answering the requests waiting for it');
  process.exit(70);
}
