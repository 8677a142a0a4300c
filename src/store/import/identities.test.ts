import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../db.js';
import { importEvents, resolveIdentities, resolvedCustomerSql } from './index.js';

const message = (fields: Record<string, string>, minute: number): string =>
  JSON.stringify({ messageId: `m-${minute}-${Object.values(fields).join('-')}`, timestamp: `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`, ...fields });

async function withEvents(lines: string[], work: (store: Store) => Promise<void>): Promise<void> {
  const store = await Store.open(':memory:');
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-identity-'));
  try {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    await importEvents(store, { file });
    await work(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const identities = (store: Store) => store.rows(`SELECT alias_id, customer_id FROM identities ORDER BY alias_id`);

test('resolveIdentities merges chains across identify and alias into the earliest-seen userId', async () => {
  await withEvents([
    message({ type: 'page', anonymousId: 'a-1' }, 1),
    message({ type: 'identify', anonymousId: 'a-1', userId: 'u-b' }, 2),
    message({ type: 'alias', previousId: 'u-b', userId: 'u-a' }, 3),
    message({ type: 'identify', anonymousId: 'a-2', userId: 'u-a' }, 4),
    message({ type: 'page', anonymousId: 'a-3' }, 5),
  ], async (store) => {
    assert.deepEqual(await identities(store), [
      { alias_id: 'a-1', customer_id: 'u-b' }, { alias_id: 'a-2', customer_id: 'u-b' }, { alias_id: 'a-3', customer_id: 'a-3' },
      { alias_id: 'u-a', customer_id: 'u-b' }, { alias_id: 'u-b', customer_id: 'u-b' },
    ]);
    assert.deepEqual(await store.rows(`SELECT DISTINCT anonymous_id, customer_id FROM events_resolved WHERE anonymous_id IS NOT NULL ORDER BY 1`),
      [{ anonymous_id: 'a-1', customer_id: 'u-b' }, { anonymous_id: 'a-2', customer_id: 'u-b' }, { anonymous_id: 'a-3', customer_id: 'a-3' }]);
    assert.deepEqual(await store.rows(`SELECT DISTINCT ${resolvedCustomerSql('e')} AS c FROM events e ORDER BY c`), [{ c: 'a-3' }, { c: 'u-b' }]);
  });
});

test('resolveIdentities handles a cycle and breaks a tie in first-seen time by the smallest id', async () => {
  await withEvents([
    message({ type: 'alias', previousId: 'u-z', userId: 'u-y' }, 1),
    message({ type: 'alias', previousId: 'u-y', userId: 'u-z' }, 1),
    message({ type: 'alias', previousId: 'u-z', userId: 'u-x' }, 2),
  ], async (store) => {
    // u-y and u-z are both first seen as userIds at minute 1; u-x later.
    assert.deepEqual(await identities(store), [
      { alias_id: 'u-x', customer_id: 'u-y' }, { alias_id: 'u-y', customer_id: 'u-y' }, { alias_id: 'u-z', customer_id: 'u-y' },
    ]);
  });
});

test('resolveIdentities rebuilds the same table when run again, and counts ids, links and customers', async () => {
  await withEvents([
    message({ type: 'identify', anonymousId: 'a-1', userId: 'u-1' }, 1),
    message({ type: 'page', anonymousId: 'a-2' }, 2),
  ], async (store) => {
    const before = await identities(store);
    assert.deepEqual(await resolveIdentities(store), { ids: 3, links: 1, customers: 2 });
    assert.deepEqual(await identities(store), before);
  });
});

test('resolveIdentities inside a failed transaction leaves the previous identities', async () => {
  await withEvents([message({ type: 'identify', anonymousId: 'a-1', userId: 'u-1' }, 1)], async (store) => {
    const before = await identities(store);
    await assert.rejects(store.transaction(async () => {
      await store.run(`INSERT INTO identity_links VALUES ('a-1', 'u-0', 'alias', TIMESTAMP '2023-01-01')`);
      await resolveIdentities(store);
      assert.equal(await store.scalar(`SELECT customer_id FROM identities WHERE alias_id = 'a-1'`), 'u-0');
      throw new Error('boom');
    }), /boom/);
    assert.deepEqual(await identities(store), before);
  });
});
