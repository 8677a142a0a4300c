/**
 * Events a server acknowledged into its journal but did not store before it died are loaded by whatever opens the
 * database next: the server, or any other command (`loadJournalBeside`, used by the CLI and the dashboard). A
 * segment that cannot be loaded stops both with an error naming its file, and the file is kept: going on would
 * record later segments as loaded past it, and the next start would delete it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withStore } from '../../cli/commands/open-store.js';
import { Store } from '../../store/db.js';
import { startServer } from '../server.js';
import { IngestJournal } from './journal.js';
import { loadJournalBeside } from './leftover.js';
import type { EventRow } from './normalize.js';

function row(id: string, extra: Partial<EventRow> = {}): EventRow {
  const ts = Date.parse('2026-01-02T03:04:05Z');
  return {
    message_id: id, type: 'track', event: 'Order Completed', name: null, user_id: 'u-1', anonymous_id: null, previous_id: null, group_id: null,
    ts, received_at: ts, session_id: null, product_id: null, product_name: null, category: null, price: null, quantity: null, order_id: `o-${id}`,
    revenue: 25, discount: null, dwell_seconds: null, properties: { order_id: `o-${id}`, revenue: 25 }, traits: null, context: null, import_id: 'api', ...extra,
  };
}

async function withDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-leftover-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A database file and a journal beside it holding requests a killed server acknowledged but did not load. */
async function killedServer(dir: string, requests: readonly (readonly EventRow[])[]): Promise<string> {
  const db = join(dir, 'shop.duckdb');
  (await Store.open(db)).close();
  const journal = IngestJournal.open(`${db}.journal`, 0).journal;
  for (const rows of requests) await journal.append(rows).durable;
  await journal.close();
  return db;
}

test('a command opening the database loads what the server acknowledged but did not store, once, orders included', async () => {
  await withDir(async (dir) => {
    const db = await killedServer(dir, [[row('a1'), row('a2')], [row('a3', { type: 'alias', event: null, user_id: 'u-1', previous_id: 'anon-7', order_id: null, revenue: null, properties: null })]]);
    const counts = (): Promise<unknown> =>
      withStore(db, async (store) => ({
        events: await store.scalar<number>(`SELECT count(*)::INTEGER FROM events`),
        orders: await store.scalar<number>(`SELECT count(*)::INTEGER FROM orders WHERE customer_id = 'u-1'`),
        alias: await store.scalar<string>(`SELECT customer_id FROM identities WHERE alias_id = 'anon-7'`),
      }), { readOnly: true });
    assert.deepEqual(await counts(), { events: 3, orders: 2, alias: 'u-1' }, 'a read-only command sees the acknowledged events, their orders and links');
    assert.deepEqual(readdirSync(`${db}.journal`).filter((f) => f.endsWith('.ndjson')), [], 'the loaded segment is deleted');
    assert.deepEqual(await counts(), { events: 3, orders: 2, alias: 'u-1' }, 'loaded exactly once');
    assert.deepEqual(await loadJournalBeside(db), { segments: 0, events: 0 });
  });
});

test('a segment that cannot be loaded stops the command and the server with its file named, and is kept', async () => {
  await withDir(async (dir) => {
    const db = await killedServer(dir, [[row('b1')]]);
    // A row DuckDB refuses (a time that is not a number) stands for any load that keeps failing.
    const bad = join(`${db}.journal`, '000000000002.ndjson');
    writeFileSync(bad, `${JSON.stringify({ ...row('b2'), ts: 'not a time' })}\n${JSON.stringify({ job: 1, rows: 1 })}\n`);
    await assert.rejects(loadJournalBeside(db), (error: Error) => error.message.includes('000000000002.ndjson') && /1 acknowledged events/.test(error.message));
    assert.ok(existsSync(bad), 'the failing segment stays for the next attempt');
    await assert.rejects(startServer({ db, port: 0, logLevel: 'silent' }), /000000000002\.ndjson/);
    assert.ok(existsSync(bad));
    // The segment before it was loaded and recorded, so it is not loaded again once the cause is fixed.
    rmSync(bad);
    assert.deepEqual(await loadJournalBeside(db), { segments: 0, events: 0 });
    assert.equal(await withStore(db, (store) => store.scalar<number>(`SELECT count(*)::INTEGER FROM events`)), 1);
  });
});
