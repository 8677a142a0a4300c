/**
 * The messageId window's fingerprint table and its confirmation against a real DuckDB table: a fingerprint match
 * is only "probably seen", and the table decides, so a collision can never drop an event.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../store/db.js';
import { DedupeIndex } from './dedupe.js';
import { FingerprintSet, fingerprint } from './fingerprints.js';

test('the fingerprint table holds, grows, keeps the later time and prunes by time', () => {
  const set = new FingerprintSet();
  const ids = Array.from({ length: 50_000 }, (_, i) => `msg-${i}`);
  ids.forEach((id, i) => set.add(...fingerprint(id), 1_000 + (i % 100)));
  assert.equal(set.size, 50_000);
  assert.ok(ids.every((id) => set.has(...fingerprint(id))), 'every id added is found after the table grew');
  assert.equal(ids.filter((_, i) => set.has(...fingerprint(`other-${i}`))).length, 0, 'ids never added are not found');
  set.add(...fingerprint('msg-0'), 5_000);
  assert.equal(set.size, 50_000, 'adding again does not count twice');
  assert.equal(set.prune(1_050), 25_000 - 1, 'times 1000..1049 go, except msg-0, re-added at 5000');
  assert.ok(set.has(...fingerprint('msg-0')));
  assert.ok(!set.has(...fingerprint('msg-1')) && set.has(...fingerprint('msg-99')));
  assert.equal(set.prune(1_000), 0);
});

test('fingerprints of near-identical ids differ in both halves (no collisions over 200,000 sequential ids)', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200_000; i++) seen.add(fingerprint(`batch-7f3a-${i}`).join(':'));
  assert.equal(seen.size, 200_000);
  const [a1, b1] = fingerprint('abc');
  const [a2, b2] = fingerprint('abd');
  assert.ok(a1 !== a2 && b1 !== b2);
});

test('a retry is confirmed against the table; a fingerprint without a stored row (a collision) is new', async () => {
  const store = await Store.open(':memory:');
  try {
    const now = Date.parse('2026-03-01T12:00:00Z');
    await store.run(`INSERT INTO events (message_id, type, ts, received_at, import_id) VALUES
      ('kept', 'track', '2026-03-01 11:00:00', '2026-03-01 11:00:00', 'api'),
      ('old', 'track', '2026-02-20 11:00:00', '2026-02-20 11:00:00', 'api')`);
    const dedupe = new DedupeIndex(24 * 3600_000);
    assert.equal(await dedupe.warm(store, new Date(now)), 1, 'only ids received within the window are loaded');
    assert.equal(dedupe.check('kept').kind, 'probably');
    assert.equal(dedupe.check('old').kind, 'new');
    assert.equal(dedupe.check('fresh').kind, 'new');
    // An id whose write is in flight is held exactly; once written it is held by its fingerprint.
    let done!: () => void;
    dedupe.hold(['fresh'], now, new Promise<void>((resolve) => (done = resolve)));
    assert.equal(dedupe.check('fresh').kind, 'pending');
    done();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(dedupe.check('fresh').kind, 'probably');
    // 'fresh' was never inserted into the table: for the table it is a fingerprint without a row, as a collision.
    assert.deepEqual([...(await dedupe.confirmStored(store, ['kept', 'fresh'], now, 3600_000))], ['kept']);
    // A failed write forgets its ids.
    dedupe.hold(['lost'], now, Promise.reject(new Error('disk full')));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(dedupe.check('lost').kind, 'new');
    assert.equal(dedupe.prune(now + 2 * 24 * 3600_000), 2);
    assert.equal(dedupe.check('kept').kind, 'new');
  } finally {
    store.close();
  }
});

test('warm holds every id received within the window, whatever its characters, hour slice and table, at its receipt time', async () => {
  const store = await Store.open(':memory:');
  try {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const at = (msAgo: number): string => new Date(now - msAgo).toISOString().replace('T', ' ').replace('Z', '');
    // Read packed (ASCII, including the packing's own ':' and digits, a NUL and the empty id) or one by one (the rest).
    const ids = ['plain', '12:34', ':', '7:x', 'nul\u0000id', '', 'é-accent', '😀-emoji', 'mixed-ascii-then-ü'];
    const received = [0, 1_000, 3_599_000, 3_600_000, 5 * 3_600_000 + 1, 23 * 3_600_000, 24 * 3_600_000 - 1, -60_000, 2 * 3_600_000];
    for (const [i, id] of ids.entries()) {
      await store.run(`INSERT INTO events (message_id, type, ts, received_at, import_id) VALUES ($id, 'track', $t::TIMESTAMP, $t::TIMESTAMP, 'api')`, { id, t: at(received[i]!) });
    }
    await store.run(`INSERT INTO events (message_id, type, ts, received_at, import_id) VALUES
      ('too-old', 'track', $t::TIMESTAMP, $t::TIMESTAMP, 'api'), ('imported', 'track', $t::TIMESTAMP, NULL, 'file')`, { t: at(24 * 3_600_000 + 1_000) });
    await store.run(`INSERT INTO erased_messages VALUES ('erased-ascii', $a::TIMESTAMP), ('erased-ß', $a::TIMESTAMP)`, { a: at(10 * 3_600_000) });
    const dedupe = new DedupeIndex(24 * 3600_000);
    assert.equal(await dedupe.warm(store, new Date(now)), ids.length + 2);
    for (const id of [...ids, 'erased-ascii', 'erased-ß']) assert.equal(dedupe.check(id).kind, 'probably', JSON.stringify(id));
    for (const id of ['too-old', 'imported', 'plain2', '12:3', '7:']) assert.equal(dedupe.check(id).kind, 'new', JSON.stringify(id));
    // Each id is held at its own receipt second: pruning at 12 hours ago forgets exactly the older ones.
    assert.equal(dedupe.prune(now + 12 * 3_600_000), 2, "'é-accent' (23 h ago) and '😀-emoji' (24 h ago) leave the window");
    assert.equal(dedupe.check('é-accent').kind, 'new');
    assert.equal(dedupe.check('erased-ß').kind, 'probably');
  } finally {
    store.close();
  }
});
