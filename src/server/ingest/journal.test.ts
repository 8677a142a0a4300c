/**
 * The ingest journal on a real directory and a real DuckDB file: requests are durable in segment files before they
 * are loaded, a torn tail (a crash in the middle of a write) loses only the unacknowledged request, and a segment
 * a previous process left is loaded exactly once — also when that process died after the load committed but before
 * it deleted the file.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../store/db.js';
import { IngestJournal, journalLine, readSegment } from './journal.js';
import type { EventRow } from './normalize.js';
import { GroupCommitWriter } from './writer.js';

function row(id: string, extra: Partial<EventRow> = {}): EventRow {
  const ts = Date.parse('2026-01-02T03:04:05Z');
  return {
    message_id: id, type: 'track', event: 'Product Viewed', name: null, user_id: 'u-1', anonymous_id: null, previous_id: null, group_id: null,
    ts, received_at: ts, session_id: 's-1', product_id: 'p-1', product_name: null, category: 'shoes', price: 9.5, quantity: null, order_id: null,
    revenue: null, discount: null, dwell_seconds: null, properties: { product_id: 'p-1', price: 9.5, note: 'line\nbreak "quoted"' }, traits: null,
    context: { sessionId: 's-1' }, import_id: 'api', ...extra,
  };
}

/** Files are deleted off the event loop after a load: waits (up to 5 s) for `done`. */
async function eventually(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(done(), what);
}

function withDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-journal-'));
  return work(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('appended requests are durable in a segment file and come back whole, in order, when sealed', async () => {
  await withDir(async (dir) => {
    const { journal, leftover } = IngestJournal.open(join(dir, 'j'), 0);
    assert.deepEqual(leftover, []);
    const a = journal.append([row('a1'), row('a2')]);
    const b = journal.append([row('b1')]);
    await Promise.all([a.durable, b.durable]);
    assert.equal(a.segment, 1);
    assert.equal(b.segment, 1);
    const file = join(dir, 'j', '000000000001.ndjson');
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 5, 'three rows and two marker lines');
    journal.cut();
    const c = journal.append([row('c1')]);
    assert.equal(c.segment, 2, 'a cut starts a new segment');
    const sealed = await journal.sealUpTo(2);
    assert.deepEqual(sealed.map((s) => s.number), [1, 2]);
    assert.deepEqual(sealed.map((s) => s.jobs.map((j) => j.map((r) => r.message_id))), [[['a1', 'a2'], ['b1']], [['c1']]]);
    assert.deepEqual(readSegment(1, file).jobs, sealed[0]!.jobs, 'the file reads back as written');
    await journal.close();
  });
});

test('a journal line leaves out null columns, and both readers put them back: readSegment as null, DuckDB as NULL', async () => {
  const full = row('full', {
    name: 'Home', anonymous_id: 'a-1', previous_id: 'prev', group_id: 'g', product_name: 'Shoe "X"', quantity: 2, order_id: 'o-1',
    revenue: 1e21, discount: -0.5, dwell_seconds: 0, traits: { email: 'hmac-sha256:ab', 'ü\u2028': [1, null] },
  });
  const bare = row('bare', {
    event: 'Page', user_id: null, anonymous_id: 'a-2', session_id: null, product_id: null, category: null, price: null, properties: null, context: null,
  });
  assert.ok(!journalLine(bare).includes('null'), 'no null column is written');
  await withDir(async (dir) => {
    const db = join(dir, 'shop.duckdb');
    const journal = IngestJournal.open(`${db}.journal`, 0).journal;
    await journal.append([full, bare]).durable;
    await journal.close();
    const segment = readSegment(1, join(`${db}.journal`, '000000000001.ndjson'));
    assert.deepEqual(segment.jobs, [[full, bare]]);
    const store = await Store.open(db);
    try {
      const opened = IngestJournal.open(`${db}.journal`, 0);
      const writer = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 1000, journal: opened });
      await writer.ready;
      await writer.close();
      const stored = await store.rows<Record<string, unknown>>(`SELECT message_id, type, event, name, user_id, anonymous_id, previous_id, group_id,
          epoch_ms(ts) AS ts, epoch_ms(received_at) AS received_at, session_id, product_id, product_name, category, price, quantity, order_id,
          revenue, discount, dwell_seconds, properties::VARCHAR AS properties, traits::VARCHAR AS traits, context::VARCHAR AS context
        FROM events ORDER BY message_id`);
      // The import id is the writer's (a load's own id), not the row's.
      const asStored = ({ import_id: _, ...r }: EventRow): Record<string, unknown> => ({
        ...r, properties: r.properties && JSON.stringify(r.properties), traits: r.traits && JSON.stringify(r.traits), context: r.context && JSON.stringify(r.context),
      });
      assert.deepEqual(stored.map((r) => ({ ...r, ts: Number(r.ts), received_at: Number(r.received_at) })), [asStored(bare), asStored(full)]);
    } finally {
      store.close();
    }
  });
});

test('a torn tail is cut off: the complete requests before it stay, the file is truncated after them', async () => {
  await withDir(async (dir) => {
    const file = join(dir, '000000000007.ndjson');
    const whole = `${JSON.stringify(row('x1'))}\n${JSON.stringify({ job: 1, rows: 1 })}\n`;
    // A second request whose marker never made it, then half a line.
    writeFileSync(file, `${whole}${JSON.stringify(row('x2'))}\n{"message_id":"x3","ty`);
    const segment = readSegment(7, file);
    assert.deepEqual(segment.jobs.map((j) => j.map((r) => r.message_id)), [['x1']]);
    assert.equal(readFileSync(file, 'utf8'), whole);
    // A marker that counts more rows than precede it is not a complete request either.
    appendFileSync(file, `${JSON.stringify(row('y1'))}\n${JSON.stringify({ job: 2, rows: 2 })}\n`);
    assert.equal(readSegment(7, file).jobs.length, 1);
  });
});

test('a segment left by a killed process is loaded once at start; a segment already loaded is only deleted', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'shop.duckdb');
    const journalDir = `${db}.journal`;
    // A process journals two requests and dies before loading them.
    const first = IngestJournal.open(journalDir, 0).journal;
    await first.append([row('k1'), row('k2', { type: 'identify', event: null, user_id: 'u-9', anonymous_id: 'anon-9' })]).durable;
    await first.append([row('k3')]).durable;
    await first.close();
    const store = await Store.open(db);
    try {
      const lastLoaded = async (): Promise<number> => Number((await store.scalar<number>(`SELECT last_segment FROM ingest_journal WHERE journal = $j`, { j: 'shop.duckdb.journal' })) ?? 0);
      const opened = IngestJournal.open(journalDir, await lastLoaded());
      assert.deepEqual(opened.leftover.map((s) => s.number), [1]);
      const writer = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 1000, journal: opened });
      await writer.ready;
      assert.deepEqual(await store.rows(`SELECT message_id, count(*)::INTEGER AS n FROM events GROUP BY ALL ORDER BY 1`), [
        { message_id: 'k1', n: 1 }, { message_id: 'k2', n: 1 }, { message_id: 'k3', n: 1 },
      ]);
      assert.equal(await store.scalar(`SELECT customer_id FROM identities WHERE alias_id = 'anon-9'`), 'u-9', 'links are rebuilt from the rows');
      assert.equal(await lastLoaded(), 1);
      await eventually(() => !existsSync(join(journalDir, '000000000001.ndjson')), 'a loaded segment is deleted');

      // New requests are answered from the journal and loaded behind the answer; a read can wait for the load.
      const durable = writer.submit({ rows: [row('n1')], links: [] });
      await durable;
      await writer.caughtUp();
      assert.equal(await store.scalar(`SELECT count(*)::INTEGER FROM events WHERE message_id = 'n1'`), 1);
      await writer.close();
      await eventually(() => readdirSync(journalDir).length === 0, 'every segment was loaded and deleted');

      // A process that died after the load committed but before deleting the file: the file is deleted, not loaded.
      const stale = join(journalDir, `${String(await lastLoaded()).padStart(12, '0')}.ndjson`);
      writeFileSync(stale, `${JSON.stringify(row('n1'))}\n${JSON.stringify({ job: 1, rows: 1 })}\n`);
      const again = IngestJournal.open(journalDir, await lastLoaded());
      assert.deepEqual(again.leftover, []);
      assert.equal(existsSync(stale), false);
      assert.equal(await store.scalar(`SELECT count(*)::INTEGER FROM events WHERE message_id = 'n1'`), 1);
    } finally {
      store.close();
    }
  });
});

test('a failed sync is fatal: its requests are never answered, later appends are refused, the rows stay on disk', async () => {
  await withDir(async (dir) => {
    const failures: unknown[] = [];
    let syncs = 0;
    const sync = (): Promise<void> => (++syncs === 2 ? Promise.reject(new Error('EIO: i/o error, fdatasync')) : Promise.resolve());
    const { journal } = IngestJournal.open(join(dir, 'j'), 0, { sync, onFatal: (error) => failures.push(error) });
    await journal.append([row('f1')]).durable;
    let answered = false;
    void journal.append([row('f2')]).durable.then(() => (answered = true), () => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false, 'neither stored nor refused: the process is to stop unanswered');
    assert.equal(failures.length, 1);
    assert.match((failures[0] as Error).message, /EIO/);
    assert.throws(() => journal.append([row('f3')]), /EIO/, 'nothing more is written after the failure');
    await journal.close();
    // What reached the file is what a restart loads: the answered request and the unanswered one, not the refused.
    const after = IngestJournal.open(join(dir, 'j'), 0);
    assert.deepEqual(after.leftover.flatMap((s) => s.jobs.flat().map((r) => r.message_id)), ['f1', 'f2']);
  });
});

test('a failed write refuses only its request: nothing of it is queued, loaded or handed to the live profiles', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'w.duckdb');
    const store = await Store.open(db);
    try {
      let writes = 0;
      // The second request's write stops half-way (a full disk), as a short write followed by an error would.
      const write = (fd: number, bytes: Buffer): void => {
        if (++writes === 2) {
          writeSync(fd, bytes, 0, bytes.length >> 1);
          throw new Error('ENOSPC: no space left on device, write');
        }
        writeSync(fd, bytes);
      };
      const handedOn: string[] = [];
      const writer = new GroupCommitWriter(store, {
        maxQueueEvents: 1000, maxGroupEvents: 1000, journal: IngestJournal.open(`${db}.journal`, 0, { write }),
        onCommit: (rows) => handedOn.push(...rows.map((r) => r.message_id)),
      });
      await writer.ready;
      await writer.submit({ rows: [row('w1')], links: [] });
      await assert.rejects(writer.submit({ rows: [row('w2'), row('w3')], links: [] }), /ENOSPC/);
      await writer.submit({ rows: [row('w4')], links: [] });
      await writer.caughtUp();
      await writer.close();
      assert.deepEqual(await store.rows(`SELECT message_id FROM events ORDER BY 1`), [{ message_id: 'w1' }, { message_id: 'w4' }]);
      assert.deepEqual(handedOn, ['w1', 'w4'], 'the refused rows never reach the live profiles');
      assert.equal(writer.stats.eventsWritten, 2);
      assert.equal(writer.stats.failedCommits, 0, 'the half-written request was cut off the file, which loads cleanly');
    } finally {
      store.close();
    }
  });
});

test('loadSettings: its statements run around a journaled load; a reset that fails neither fails the load nor loads it twice', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'set.duckdb');
    const store = await Store.open(db, { threads: 1 });
    try {
      const seen: string[][] = [];
      const threadsNow = async (): Promise<number> => Number(await store.scalar(`SELECT current_setting('threads')`));
      let reset = 'SET threads = 1';
      const writer = new GroupCommitWriter(store, {
        maxQueueEvents: 1000, maxGroupEvents: 1000, journal: IngestJournal.open(`${db}.journal`, 0),
        loadSettings: (paths) => {
          seen.push(paths.map((p) => p.slice(p.lastIndexOf('/') + 1)));
          return { set: 'SET threads = 2', reset };
        },
      });
      await writer.ready;
      await writer.submit({ rows: [row('s1')], links: [] });
      await writer.caughtUp();
      assert.equal(await threadsNow(), 1, 'reset after the load');
      assert.deepEqual(seen, [['000000000001.ndjson']]);
      reset = 'SET no_such_setting = 1';
      await writer.submit({ rows: [row('s2')], links: [] });
      await writer.caughtUp();
      await writer.close();
      assert.equal(writer.stats.failedCommits, 0);
      assert.deepEqual(await store.rows(`SELECT message_id, count(*)::INTEGER AS n FROM events GROUP BY ALL ORDER BY 1`), [
        { message_id: 's1', n: 1 }, { message_id: 's2', n: 1 },
      ]);
      assert.equal(await threadsNow(), 2, 'the failed reset left the setting, nothing worse');
    } finally {
      store.close();
    }
  });
});

test('small journal loads are paced by minLoadIntervalMs, but a read waiting for the loads is not kept waiting', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'pace.duckdb');
    const store = await Store.open(db);
    let closeLater: GroupCommitWriter | undefined;
    try {
      const writer = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 1000, journal: IngestJournal.open(`${db}.journal`, 0), minLoadIntervalMs: 1_000 });
      closeLater = writer;
      await writer.ready;
      const stored = async (id: string): Promise<number> => Number(await store.scalar(`SELECT count(*) FROM events WHERE message_id = $id`, { id }));
      await writer.submit({ rows: [row('p1')], links: [] });
      await eventually(() => writer.depth === 0, 'the first load runs at once');
      assert.equal(await stored('p1'), 1);
      await writer.submit({ rows: [row('p2')], links: [] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await stored('p2'), 0, 'the second load waits for the interval');
      const started = performance.now();
      await writer.caughtUp();
      assert.equal(await stored('p2'), 1);
      assert.ok(performance.now() - started < 700, `a waiting read ends the wait (${(performance.now() - started).toFixed(0)} ms)`);
    } finally {
      await closeLater?.close();
      store.close();
    }
  });
});
