import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { STATE } from '../../models/journeys/index.js';
import { readJourneySteps } from '../../pipeline/clv/index.js';
import { Store } from '../../store/db.js';
import type { Io } from '../output.js';
import { journeysCommand } from './journeys.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-journeys-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function capture(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: () => undefined, interactive: false };
}

/** (session, minute, type, event, name); rows deliberately not in time order. */
type Row = readonly [string | null, number, string, string | null, string | null];
async function fill(store: Store, rows: readonly Row[]): Promise<void> {
  let k = 0;
  for (const [session, minute, type, event, name] of rows) {
    await store.run(
      `INSERT INTO events (message_id, type, event, name, ts, session_id, import_id) VALUES ($1, $2, $3, $4, TIMESTAMP '2024-05-01 10:00:00' + to_minutes($5::BIGINT), $6, 'test')`,
      [`m${k++}`, type, event, name, minute, session],
    );
  }
}

// The hand-computed chain of src/models/journeys/markov.test.ts: P(purchase | start) = 1/4, home 2/9, product 1/3,
// cart 1/2; removal effects product 1, cart 1, home 2/3.
const CHAIN: readonly Row[] = [
  ['s1', 3, 'track', 'Order Completed', null],
  ['s1', 0, 'page', null, 'Home'],
  ['s1', 1, 'track', 'Product Viewed', null],
  ['s1', 2, 'track', 'Product Added', null],
  ['s2', 0, 'page', null, 'Home Page'],
  ['s2', 1, 'page', null, 'Product Detail'],
  ['s2', 2, 'identify', null, null],
  ['s2', 3, 'track', 'Product List Filtered', null],
  ['s3', 0, 'track', 'Product Viewed', null],
  ['s3', 1, 'track', 'Cart Viewed', null],
  ['s4', 0, 'page', null, 'home'],
  [null, 0, 'page', null, 'Home'],
];

describe('segmenta journeys', () => {
  it('prints transitions, P(purchase | state), top paths and removal effects of the store\'s sessions', async () => {
    const db = join(dir, 'chain.duckdb');
    const store = await Store.open(db);
    try {
      await fill(store, CHAIN);
    } finally {
      store.close();
    }
    const io = capture();
    assert.equal(await journeysCommand.run(['--db', db, '--top', '2', '--json'], io), 0);
    const out = JSON.parse(io.lines.join('\n')) as {
      sessions: number; transitions: { from: string; to: string; count: number; probability: number }[];
      purchaseProbability: Record<string, number>; paths: { path: string; count: number }[]; removalEffects: { state: string; effect: number }[];
    };
    assert.equal(out.sessions, 4);
    assert.deepEqual(out.transitions.find((t) => t.from === 'start' && t.to === 'home'), { from: 'start', to: 'home', count: 3, probability: 0.75 });
    assert.ok(Math.abs(out.purchaseProbability.start! - 1 / 4) < 1e-12);
    assert.ok(Math.abs(out.purchaseProbability.home! - 2 / 9) < 1e-12);
    assert.deepEqual(out.paths, [
      { path: 'start > home > product > cart > purchase', count: 1 },
      { path: 'start > home > product > exit', count: 1 },
    ]);
    assert.deepEqual(out.removalEffects.slice(0, 2).map((e) => [e.state, e.effect]), [['product', 1], ['cart', 1]]);
    assert.ok(Math.abs(out.removalEffects[2]!.effect - 2 / 3) < 1e-12);

    const text = capture();
    assert.equal(await journeysCommand.run(['--db', db], text), 0);
    assert.match(text.lines.join('\n'), /^4 sessions/);
    assert.match(text.lines.join('\n'), /home\s+8\.3%\s+66\.7%/);
  });

  it('maps page names and track events to journey states, skipping other events', async () => {
    const store = await Store.open(':memory:');
    try {
      await fill(store, [
        ['a', 0, 'page', null, 'Category: Shoes'], ['a', 1, 'page', null, 'About us'], ['a', 2, 'page', null, 'Your Cart'],
        ['a', 3, 'page', null, 'CHECKOUT step 1'], ['a', 4, 'track', 'Checkout Started', null], ['a', 5, 'track', 'Coupon Applied', null],
        ['b', 0, 'screen', null, 'Product'],
      ]);
      const steps = await readJourneySteps(store);
      assert.deepEqual(steps.sessionIds, ['a', 'b']);
      assert.deepEqual(Array.from(steps.session), [0, 0, 0, 0, 0, 1]);
      assert.deepEqual(Array.from(steps.state), [STATE.category, STATE.other, STATE.cart, STATE.checkout, STATE.checkout, STATE.product]);
    } finally {
      store.close();
    }
  });
});
