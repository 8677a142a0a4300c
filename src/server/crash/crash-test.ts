/**
 * Crash test of durable ingestion. The server runs as a child process on a loopback port with a temp database; a
 * load generator posts batches with unique messageIds and records the acknowledged ones; the child is killed with
 * SIGKILL at random moments and restarted on the same file, `kills` times (load time between kills is random; the
 * time the server takes to restart comes on top of `durationMs`). Afterwards the database is opened and:
 * - every acknowledged messageId is present exactly once (no loss, no duplicate);
 * - every batch whose answer was lost in a kill is present whole or not at all (no half batch);
 * - every stored `Order Completed` event (one message in ten) has its `orders` row, written in the same commit;
 * - after each restart, an acknowledged batch sent again is answered `duplicate` for every event (the dedupe window
 *   survives restarts).
 * Randomness comes from a seeded generator, so a failing run can be replayed with its seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../core/rng.js';
import { Store } from '../../store/db.js';
import { startServerProcess, type ServerProcess } from '../child.js';

export interface CrashTestOptions {
  /** SIGKILLs (each followed by a restart). */
  readonly kills: number;
  /** Load time, ms, not counting restarts; kills fall at random moments inside it. */
  readonly durationMs: number;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Progress lines (kills, restarts); silent when omitted. */
  readonly log?: (line: string) => void;
}

export interface CrashReport {
  readonly kills: number;
  readonly seed: number;
  readonly seconds: number;
  readonly batchesAcked: number;
  readonly eventsAcked: number;
  /** Batches whose answer never came because the server died. */
  readonly batchesInterrupted: number;
  /** Of those, how many were nevertheless committed whole. */
  readonly interruptedCommitted: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly halfBatches: number;
  /** Stored `Order Completed` events without their order. */
  readonly ordersMissing: number;
  readonly dedupeChecks: number;
  readonly dedupeFailures: number;
  readonly restartMs: readonly number[];
  readonly ackedEventsPerSecond: number;
  readonly ok: boolean;
}

const KEY = 'crash-test-key';

type Child = ServerProcess;

const startChild = (db: string): Promise<Child> =>
  startServerProcess(db, ['--write-key', KEY, '--admin-token', 'crash-admin', '--log-level', 'info', '--rate-limit', '0']);

const kill = (child: Child, signal: NodeJS.Signals): Promise<void> => child.stop(signal);

const auth = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;

async function postBatch(url: string, batch: readonly object[]): Promise<{ status: number; results: { messageId: string; status: string }[] } | undefined> {
  try {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: auth },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { results?: { messageId: string; status: string }[] };
    return { status: response.status, results: body.results ?? [] };
  } catch {
    return undefined;
  }
}

export async function runCrashTest(options: CrashTestOptions): Promise<CrashReport> {
  const log = options.log ?? (() => undefined);
  const rng = createRng(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-crash-'));
  const db = join(dir, 'crash.duckdb');
  const acked: string[][] = [];
  const interrupted: string[][] = [];
  const restartMs: number[] = [];
  let dedupeChecks = 0;
  let dedupeFailures = 0;
  let child: Child | undefined;
  let next = 0;
  const started = performance.now();
  try {
    child = await startChild(db);
    let current: Child = child;
    let running = true;
    let generation = 0;
    const worker = async (w: number): Promise<void> => {
      let seenGeneration = 0;
      while (running) {
        const target = current;
        if (seenGeneration !== generation && acked.length > 0 && w === 0) {
          // After a restart: an acknowledged batch sent again must be all duplicates.
          seenGeneration = generation;
          const old = acked[Math.floor(rng.next() * acked.length)]!;
          const answer = await postBatch(target.url, old.map((id) => message(id)));
          if (answer?.status === 200) {
            dedupeChecks++;
            if (!answer.results.every((r) => r.status === 'duplicate')) dedupeFailures++;
          }
          continue;
        }
        const ids = Array.from({ length: options.batchSize }, () => `crash-${options.seed}-${next++}`);
        const answer = await postBatch(target.url, ids.map((id) => message(id)));
        if (answer?.status === 200) acked.push(ids);
        else if (answer === undefined) {
          interrupted.push(ids);
          while (running && current === target) await sleep(5);
        } else if (answer.status !== 503) throw new Error(`unexpected answer ${answer.status} from the server`);
      }
    };
    const workers = Array.from({ length: options.concurrency }, (_, w) => worker(w));
    // Kills fall at random moments of load time: each gap is uniform in [0.3, 1.7] × the mean gap, so the
    // server always serves for a while between restarts, and the last stretch of load runs with no kill.
    const meanGap = options.durationMs / (options.kills + 1);
    for (let k = 0; k < options.kills; k++) {
      await sleep(meanGap * (0.3 + 1.4 * rng.next()));
      await kill(current, 'SIGKILL');
      log(`kill ${k + 1}/${options.kills} at ${((performance.now() - started) / 1000).toFixed(2)} s (${acked.length} batches acknowledged so far)`);
      const t0 = performance.now();
      child = await startChild(db);
      restartMs.push(performance.now() - t0);
      current = child;
      generation++;
    }
    await sleep(meanGap);
    running = false;
    await Promise.all(workers);
    await kill(current, 'SIGTERM');
    child = undefined;
    const seconds = (performance.now() - started) / 1000;
    const { counts, ordersMissing } = await countIds(db);
    const ackedIds = acked.flat();
    const lost = ackedIds.filter((id) => (counts.get(id) ?? 0) === 0).length;
    let duplicated = 0;
    for (const n of counts.values()) if (n > 1) duplicated++;
    let halfBatches = 0;
    let interruptedCommitted = 0;
    for (const ids of interrupted) {
      const present = ids.filter((id) => counts.has(id)).length;
      if (present === ids.length) interruptedCommitted++;
      else if (present > 0) halfBatches++;
    }
    const ok = lost === 0 && duplicated === 0 && halfBatches === 0 && ordersMissing === 0 && dedupeFailures === 0;
    return {
      kills: options.kills, seed: options.seed, seconds, batchesAcked: acked.length, eventsAcked: ackedIds.length,
      batchesInterrupted: interrupted.length, interruptedCommitted, lost, duplicated, halfBatches, ordersMissing, dedupeChecks, dedupeFailures,
      restartMs, ackedEventsPerSecond: ackedIds.length / seconds, ok,
    };
  } finally {
    if (child) await kill(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One message in ten is an order (its messageId is its order id), so commits run the order step too. */
function message(id: string): object {
  const base = { type: 'track', userId: `user-${id.length % 97}`, messageId: id, timestamp: new Date().toISOString() };
  if (Number(id.slice(id.lastIndexOf('-') + 1)) % 10 === 0) {
    return { ...base, event: 'Order Completed', properties: { order_id: id, products: [{ product_id: `sku-${id.length % 13}`, price: 5, quantity: 2 }] } };
  }
  return { ...base, event: 'Crash Test', properties: { price: 1 } };
}

async function countIds(db: string): Promise<{ counts: Map<string, number>; ordersMissing: number }> {
  const store = await Store.open(db);
  try {
    const set = await store.readColumns(`SELECT message_id, count(*) AS n FROM events GROUP BY message_id`);
    const ids = set.columns.message_id ?? [];
    const n = set.columns.n ?? [];
    const counts = new Map<string, number>();
    for (let i = 0; i < set.rowCount; i++) counts.set(String(ids[i]), Number(n[i]));
    const ordersMissing = Number(await store.scalar(`SELECT count(*) FROM events e WHERE e.type = 'track' AND e.event = 'Order Completed'
      AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = e.order_id)`));
    return { counts, ordersMissing };
  } finally {
    store.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One line of figures. */
export function formatCrashReport(r: CrashReport): string {
  const restart = r.restartMs.length === 0 ? '–' : `${Math.round(Math.min(...r.restartMs))}–${Math.round(Math.max(...r.restartMs))} ms`;
  return [
    `crash test ${r.ok ? 'PASSED' : 'FAILED'} (seed ${r.seed}): ${r.kills} SIGKILLs in ${r.seconds.toFixed(1)} s`,
    `  acknowledged: ${r.batchesAcked} batches, ${r.eventsAcked} events (${Math.round(r.ackedEventsPerSecond)} events/s including downtime)`,
    `  interrupted by a kill: ${r.batchesInterrupted} batches (${r.interruptedCommitted} committed whole, ${r.halfBatches} half-written)`,
    `  lost acknowledged events: ${r.lost}; stored more than once: ${r.duplicated}; orders missing for stored Order Completed: ${r.ordersMissing}`,
    `  dedupe after restart: ${r.dedupeChecks} re-sent batches, ${r.dedupeFailures} not answered duplicate`,
    `  restart to listening: ${restart}`,
  ].join('\n');
}
