/**
 * One message, two doors: the HTTP collection API and the file importer must store the same `events` row
 * (the columns both derive from the message; receive time, import id and the server's context additions aside).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../store/db.js';
import { importEvents } from '../../store/import/index.js';
import { inspect, startTestServer } from '../testing.js';

const MESSAGES = [
  { type: 'track', event: 'Product Viewed', userId: 'u-1', messageId: 'p-1', timestamp: '2026-01-02T03:04:05.000Z',
    properties: { product_id: 'sku-1', name: 'Kettle', category: 'kitchen', price: 19.5, quantity: 2, session_id: 's-prop' } },
  { type: 'track', event: 'Order Completed', userId: 'u-1', messageId: 'p-2', timestamp: '2026-01-02T03:10:00+01:00',
    context: { sessionId: 's-ctx' }, properties: { order_id: 'o-1', total: 40, discount: 1, name: 'not a product name' } },
  { type: 'page', anonymousId: 'a-1', messageId: 'p-3', name: 'Home', timestamp: '2026-01-02T03:04:05.000Z', properties: { dwell_seconds: 12 } },
];
const COLUMNS = `message_id, type, event, name, user_id, anonymous_id, ts, session_id, product_id, product_name, category, price,
  quantity, order_id, revenue, discount, dwell_seconds, properties::VARCHAR AS properties`;

test('the collection API and the file importer store the same row for the same message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-parity-'));
  try {
    const server = await startTestServer({}, dir);
    const answer = await server.post('/v1/batch', { batch: MESSAGES });
    assert.equal(answer.body.accepted, MESSAGES.length);
    await server.close();
    const served = await inspect(server.db, (store) => store.rows(`SELECT ${COLUMNS} FROM events ORDER BY message_id`));

    const file = join(dir, 'messages.jsonl');
    writeFileSync(file, MESSAGES.map((m) => JSON.stringify(m)).join('\n'));
    const store = await Store.open(':memory:');
    try {
      await importEvents(store, { file });
      const imported = await store.rows(`SELECT ${COLUMNS} FROM events ORDER BY message_id`);
      assert.deepEqual(served, imported);
      assert.deepEqual(imported.map((r) => [r.session_id, r.product_name]), [['s-prop', 'Kettle'], ['s-ctx', null], [null, null]]);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
