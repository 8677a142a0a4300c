/**
 * The read and admin API, behind the admin token (`Authorization: Bearer TOKEN`), separate from write keys.
 * Reads run on the read connections (`./readers.ts`), never on the writer's; writes (erasure, segmentation runs)
 * go through the writer, so they never interleave with an ingest commit. The dashboard's routes join these in
 * `./dashboard.ts`.
 */
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { ConflictError, InputError } from '../../core/errors.js';
import { runSegmentation } from '../../pipeline/index.js';
import { withSessionSetting } from '../../store/import/source.js';
import { checkAdmin } from '../http/auth.js';
import type { Handler, Route } from '../http/router.js';
import type { GroupCommitWriter } from '../ingest/writer.js';
import type { LiveRfm } from '../live/live-rfm.js';
import type { SegmentStreams } from '../live/streams.js';
import { eraseCustomer, loadProfile, resolveCustomer, type ErasureReport } from './profiles.js';
import type { ReadConnections } from './readers.js';
import { listSegments, membersCsv, segmentMembers } from './segments.js';

export interface ReadDeps {
  readonly readers: ReadConnections;
  readonly writer: GroupCommitWriter;
  readonly adminToken: string;
  readonly log: Logger;
  readonly live: LiveRfm;
  readonly streams: SegmentStreams;
  /** Waits for the acknowledged events to be loaded and (for a bounded time) for the live segment passes over them. */
  readonly liveSettled: () => Promise<void>;
  /** The oldest receipt time the messageId window can still hold now: an erasure keeps tombstones back to it. */
  readonly dedupeHorizon: () => Date;
}

export function readRoutes(deps: ReadDeps): Route[] {
  const admin = (handler: Handler): Handler => async (ctx) => {
    checkAdmin(ctx.req, deps.adminToken);
    return handler(ctx);
  };
  let running = false;
  return [
    {
      method: 'GET', path: '/v1/profiles/:id',
      handler: admin(async (ctx) => {
        await deps.liveSettled();
        return { status: 200, json: await deps.readers.use((store) => loadProfile(store, ctx.params.id ?? '')) };
      }),
    },
    {
      method: 'DELETE', path: '/v1/profiles/:id',
      handler: admin(async (ctx) => {
        const { customerId, ids } = await deps.readers.use((store) => resolveCustomer(store, ctx.params.id ?? ''));
        let report: ErasureReport | undefined;
        await deps.writer.submit({ rows: [], links: [], exclusive: true, after: async (store) => {
          report = await eraseCustomer(store, customerId, ids, 'admin-api', deps.dedupeHorizon());
        } });
        deps.log.info({ customerId, deleted: report?.deleted, tombstones: report?.tombstones, expiredTombstones: report?.expiredTombstones }, 'profile erased');
        return { status: 200, json: { erased: true, ...report } };
      }),
    },
    {
      method: 'GET', path: '/v1/stream/segments',
      handler: admin(async (ctx) => {
        deps.streams.attach(ctx.res);
        return { handled: true };
      }),
    },
    { method: 'GET', path: '/v1/segments', handler: admin(async () => ({ status: 200, json: await deps.readers.use(listSegments) })) },
    {
      method: 'GET', path: '/v1/segments/:id/members',
      handler: admin(async (ctx) => {
        const page = await deps.readers.use((store) => segmentMembers(store, ctx.params.id ?? '', ctx.query));
        const csv = ctx.query.get('format') === 'csv' || (ctx.req.headers.accept ?? '').includes('text/csv');
        if (!csv) return { status: 200, json: page };
        return {
          status: 200, text: membersCsv(page), contentType: 'text/csv; charset=utf-8',
          headers: { 'Content-Disposition': `attachment; filename="segment-${page.segment}.csv"`, 'X-Total-Count': String(page.total) },
        };
      }),
    },
    {
      method: 'POST', path: '/v1/runs',
      handler: admin(async (ctx) => {
        const k = ctx.query.get('k') ?? 'auto';
        const seed = Number(ctx.query.get('seed') ?? 42);
        if (k !== 'auto' && !(Number.isInteger(Number(k)) && Number(k) >= 2 && Number(k) <= 20)) {
          throw new InputError(`k must be auto or a whole number between 2 and 20 (got ${JSON.stringify(k)})`, [{ path: 'k', message: 'out of range' }]);
        }
        if (!Number.isInteger(seed)) throw new InputError(`seed must be a whole number (got ${JSON.stringify(ctx.query.get('seed'))})`);
        if (running) throw new ConflictError('a segmentation run is already in progress');
        running = true;
        try {
          let summary: unknown;
          // The run writes in its own transaction; inside the writer it joins the writer's, so ingestion waits for it.
          // Ingestion waits for the run anyway: it gets every core, where ingestion leaves one to the event loop.
          const threads = String(availableParallelism());
          await deps.writer.submit({
            rows: [], links: [], exclusive: true,
            after: async (store) => { summary = await withSessionSetting(store, 'threads', threads, () => runSegmentation(store, { k: k === 'auto' ? 'auto' : Number(k), seed })); },
          });
          await deps.live.idle();
          await deps.live.reload();
          return { status: 201, json: summary };
        } finally {
          running = false;
        }
      }),
    },
  ];
}
