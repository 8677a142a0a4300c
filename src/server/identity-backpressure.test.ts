/**
 * Two scenarios end to end: identity merges as links arrive in any order (a table of sends → the customer each id
 * resolves to), and backpressure with the official client — 503 + Retry-After under a tiny write queue is retried by
 * `@segment/analytics-node` until every event is stored exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analytics } from '@segment/analytics-node';
import { inspect, startTestServer, TEST_KEY } from './testing.js';

test('identify and alias links merge customers; the userId\'s existing customer is kept', async () => {
  const server = await startTestServer();
  const sends = [
    { type: 'identify', anonymousId: 'anon-1', userId: 'alice' },
    { type: 'identify', anonymousId: 'anon-2', userId: 'alice-new' },
    // alice-new was previously alice: both components become one customer (alice-new's existing one).
    { type: 'alias', previousId: 'alice', userId: 'alice-new' },
    { type: 'identify', anonymousId: 'anon-3', userId: 'alice' },
    { type: 'identify', anonymousId: 'anon-4', userId: 'bob' },
  ];
  for (const [i, send] of sends.entries()) {
    const r = await server.post('/v1/batch', { batch: [{ ...send, messageId: `id-${i}` }] });
    assert.equal(r.body.accepted, 1);
  }
  await server.close();
  const resolved = await inspect(server.db, (store) => store.rows<{ alias_id: string; customer_id: string }>(`SELECT alias_id, customer_id FROM identities ORDER BY alias_id`));
  assert.deepEqual(resolved, [
    { alias_id: 'alice', customer_id: 'alice-new' },
    { alias_id: 'alice-new', customer_id: 'alice-new' },
    { alias_id: 'anon-1', customer_id: 'alice-new' },
    { alias_id: 'anon-2', customer_id: 'alice-new' },
    { alias_id: 'anon-3', customer_id: 'alice-new' },
    { alias_id: 'anon-4', customer_id: 'bob' },
    { alias_id: 'bob', customer_id: 'bob' },
  ]);
  await server.stop();
});

// The client backs off a 503 exponentially from 500 ms (analytics-node 3.1), so every extra refusal of one batch
// doubles its wait: 4 batches racing for a one-batch queue finish in a few seconds, where 32 took up to 25 s.
test('the official client retries 503 (write queue full) and every event is stored once', { timeout: 90_000 }, async () => {
  const server = await startTestServer({ maxQueueEvents: 1 });
  const clients = Array.from({ length: 2 }, () => new Analytics({ writeKey: TEST_KEY, host: server.url, flushAt: 10, flushInterval: 20, maxRetries: 10 }));
  const errors: unknown[] = [];
  let delivered = 0;
  clients.forEach((client, c) => {
    client.on('error', (error) => errors.push(error));
    for (let i = 0; i < 20; i++) {
      client.track({ userId: `bp-${c}`, event: 'Backpressure', properties: { i } }, (error) => (error ? errors.push(error) : delivered++));
    }
  });
  await Promise.all(clients.map((client) => client.closeAndFlush({ timeout: 80_000 })));
  assert.deepEqual(errors, []);
  assert.equal(delivered, 40);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const refusals = Number(/segmenta_http_requests_total\{route="\/v1\/batch",status="503"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  assert.ok(refusals > 0, `some batches were refused with 503 and retried (metrics:\n${metrics.split('\n').filter((l) => l.includes('requests_total')).join('\n')})`);
  await server.close();
  const counts = await inspect(server.db, (store) => store.rows<{ n: number; distinct_ids: number }>(`SELECT count(*) AS n, count(DISTINCT message_id) AS distinct_ids FROM events WHERE event = 'Backpressure'`));
  assert.deepEqual(counts, [{ n: 40, distinct_ids: 40 }]);
  const refused = await fetch(`${server.url}/metrics`).catch(() => undefined);
  assert.equal(refused, undefined, 'server is closed');
  await server.stop();
});
