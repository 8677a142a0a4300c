/**
 * Profile reads over `events` by every id of a customer: ids spelled into the SQL as constants (quotes doubled),
 * and bound as JSON when one holds a NUL; events named by the userId, by an anonymousId only, or by both, are
 * each counted once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../store/db.js';
import { eraseCustomer, loadProfile } from './profiles.js';

async function profileOf(userId: string, anonymousId: string): Promise<{ events: number; ids: readonly string[]; last: string[] }> {
  const store = await Store.open(':memory:');
  try {
    await store.run(`INSERT INTO identities VALUES ($a, $u), ($u, $u)`, { a: anonymousId, u: userId });
    const rows: [string, string | null, string | null][] = [
      ['m1', null, anonymousId], // before identify: the anonymousId only
      ['m2', userId, anonymousId], // both ids: once, not twice
      ['m3', userId, null],
      ['m4', 'someone-else', 'other-anon'],
    ];
    for (const [i, [m, u, a]] of rows.entries()) {
      await store.run(`INSERT INTO events (message_id, type, event, user_id, anonymous_id, ts, import_id)
        VALUES ($m, 'track', 'Product Viewed', $u, $a, TIMESTAMP '2026-01-01 00:00:00' + to_minutes($i::BIGINT), 'test')`, { m, u, a, i });
    }
    const profile = await store.transaction(() => loadProfile(store, anonymousId));
    return { events: profile.activity.events, ids: profile.ids, last: profile.lastEvents.map((e) => String(e.message_id)) };
  } finally {
    store.close();
  }
}

test('a profile counts the events of each of its ids once, ids with quotes spelled safely into the SQL', async () => {
  const p = await profileOf("o'neil", "anon-'); DROP TABLE events; --");
  assert.deepEqual(p.ids, ["o'neil", "anon-'); DROP TABLE events; --"]);
  assert.equal(p.events, 3);
  assert.deepEqual(p.last, ['m3', 'm2', 'm1'], 'newest first');
});

test('ids holding a NUL are bound instead of spelled, with the same result', async () => {
  const p = await profileOf('user\u0000x', 'anon\u0000y');
  assert.equal(p.events, 3);
  assert.deepEqual(p.last, ['m3', 'm2', 'm1']);
});

test('an erasure deletes imported events too, and keeps tombstones only for messageIds the window can still hold', async () => {
  const store = await Store.open(':memory:');
  try {
    await store.run(`INSERT INTO identities VALUES ('anon-e', 'user-e'), ('user-e', 'user-e')`);
    // e1 came from a file (no receivedAt), e2 through the API two days ago, e3 an hour ago; e4 is someone else's.
    await store.run(`INSERT INTO events (message_id, type, event, user_id, anonymous_id, ts, received_at, import_id) VALUES
      ('e1', 'track', 'Product Viewed', 'user-e', NULL, TIMESTAMP '2026-01-01 00:00:00', NULL, 'file'),
      ('e2', 'track', 'Product Viewed', NULL, 'anon-e', TIMESTAMP '2026-01-05 00:00:00', TIMESTAMP '2026-01-05 00:00:00', 'api'),
      ('e3', 'track', 'Product Viewed', 'user-e', 'anon-e', TIMESTAMP '2026-01-06 23:00:00', TIMESTAMP '2026-01-06 23:00:00', 'api'),
      ('e4', 'track', 'Product Viewed', 'user-x', NULL, TIMESTAMP '2026-01-06 23:00:00', TIMESTAMP '2026-01-06 23:00:00', 'api')`);
    // An older erasure's tombstone, past the horizon: dropped by this one.
    await store.run(`INSERT INTO erased_messages VALUES ('old', TIMESTAMP '2025-12-01 00:00:00')`);
    const horizon = new Date('2026-01-06T00:00:00Z');
    const report = await store.transaction(() => eraseCustomer(store, 'user-e', ['anon-e', 'user-e'], 'test', horizon));
    assert.equal(report.deleted.events, 3);
    assert.equal(report.tombstones, 1);
    assert.equal(report.expiredTombstones, 1);
    assert.deepEqual(await store.rows(`SELECT message_id FROM events ORDER BY 1`), [{ message_id: 'e4' }]);
    assert.deepEqual(await store.rows(`SELECT message_id FROM erased_messages ORDER BY 1`), [{ message_id: 'e3' }]);
  } finally {
    store.close();
  }
});
