/**
 * End to end with real clients: the official `@segment/analytics-node` library pointed at our host sends
 * identify/track/page/screen/group/alias; plain `fetch` posts a batch and retries it (in sequence and concurrently).
 * Afterwards every event is in `events` exactly once and the identities are linked.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Analytics } from '@segment/analytics-node';
import { inspect, startTestServer, TEST_KEY, type TestServer } from './testing.js';

let server: TestServer;
const sentIds: string[] = [];
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

test('@segment/analytics-node delivers identify, track, page, screen, group and alias; each event is stored once', async () => {
  const analytics = new Analytics({ writeKey: TEST_KEY, host: server.url, flushAt: 4, flushInterval: 50, maxRetries: 3 });
  const errors: unknown[] = [];
  analytics.on('error', (error) => errors.push(error));
  const done = (error?: unknown, ctx?: { event: { messageId?: string } }): void => {
    if (error) errors.push(error);
    else if (ctx?.event.messageId) sentIds.push(ctx.event.messageId);
  };
  analytics.page({ anonymousId: 'anon-e2e', name: 'Home', properties: { url: 'https://shop.example/' } }, done);
  analytics.track({ anonymousId: 'anon-e2e', event: 'Product Viewed', properties: { product_id: 'sku-1', price: 19.99, category: 'shoes' } }, done);
  analytics.identify({ userId: 'user-e2e', anonymousId: 'anon-e2e', traits: { email: 'Jane@Example.com', plan: 'gold' } }, done);
  analytics.track({ userId: 'user-e2e', event: 'Order Completed', properties: { order_id: 'o-1', revenue: 42, products: [{ product_id: 'sku-1', price: 19.99, quantity: 2 }] } }, done);
  analytics.screen({ userId: 'user-e2e', name: 'Basket' }, done);
  analytics.group({ userId: 'user-e2e', groupId: 'company-1', traits: { name: 'ACME' } }, done);
  analytics.alias({ userId: 'user-e2e', previousId: 'legacy-42' }, done);
  for (let i = 0; i < 20; i++) analytics.track({ userId: `bulk-${i % 3}`, event: 'Email Opened', properties: { n: i } }, done);
  await analytics.closeAndFlush({ timeout: 10_000 });
  assert.deepEqual(errors, []);
  assert.equal(sentIds.length, 27);
});

test('a batch posted with fetch and retried (in sequence and concurrently) is stored once', async () => {
  const batch = Array.from({ length: 10 }, (_, i) => ({ type: 'track', event: 'Retry', userId: 'retry-user', messageId: `retry-${i}`, timestamp: new Date().toISOString() }));
  const send = (): Promise<Response> =>
    fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${TEST_KEY}:`).toString('base64')}` },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    });
  const first = (await (await send()).json()) as { accepted: number; duplicate: number };
  assert.deepEqual([first.accepted, first.duplicate], [10, 0]);
  const retries = await Promise.all([send(), send(), send()]);
  for (const r of retries) {
    assert.equal(r.status, 200);
    const body = (await r.json()) as { accepted: number; duplicate: number };
    assert.deepEqual([body.accepted, body.duplicate], [0, 10]);
  }
  // Two first attempts racing: one accepts each event, the other answers duplicate once the first has committed.
  const fresh = batch.map((e) => ({ ...e, messageId: `race-${e.messageId}` }));
  const race = await Promise.all([0, 1].map(() =>
    fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from(`${TEST_KEY}:`).toString('base64')}` }, body: JSON.stringify({ batch: fresh }) })
      .then((r) => r.json() as Promise<{ accepted: number; duplicate: number }>)));
  assert.equal(race[0]!.accepted + race[1]!.accepted, 10);
  assert.equal(race[0]!.duplicate + race[1]!.duplicate, 10);
});

test('afterwards every event is in the table once and the identities are linked', async () => {
  await server.close();
  await inspect(server.db, async (store) => {
    const ids = await store.rows<{ message_id: string; n: number }>(`SELECT message_id, count(*) AS n FROM events GROUP BY 1`);
    const counts = new Map(ids.map((r) => [r.message_id, r.n]));
    for (const id of sentIds) assert.equal(counts.get(id), 1, `event ${id} stored once`);
    assert.equal(ids.filter((r) => r.message_id.startsWith('retry-')).length, 10);
    assert.equal(ids.filter((r) => r.message_id.startsWith('race-')).length, 10);
    assert.ok(ids.every((r) => r.n === 1), 'no messageId stored twice');
    const types = await store.rows<{ type: string; n: number }>(
      `SELECT type, count(*) AS n FROM events WHERE NOT (starts_with(message_id, 'retry-') OR starts_with(message_id, 'race-')) GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(types, [
      { type: 'alias', n: 1 }, { type: 'group', n: 1 }, { type: 'identify', n: 1 }, { type: 'page', n: 1 }, { type: 'screen', n: 1 }, { type: 'track', n: 22 },
    ]);
    const identities = await store.rows<{ alias_id: string; customer_id: string }>(`SELECT alias_id, customer_id FROM identities ORDER BY alias_id`);
    assert.deepEqual(identities, [
      { alias_id: 'anon-e2e', customer_id: 'user-e2e' },
      { alias_id: 'legacy-42', customer_id: 'user-e2e' },
      { alias_id: 'user-e2e', customer_id: 'user-e2e' },
    ]);
    const links = await store.rows<{ source: string }>(`SELECT source FROM identity_links ORDER BY source`);
    assert.deepEqual(links.map((l) => l.source), ['alias', 'identify']);
    const order = await store.rows<{ order_id: string; revenue: number }>(`SELECT order_id, revenue FROM events WHERE event = 'Order Completed'`);
    assert.deepEqual(order, [{ order_id: 'o-1', revenue: 42 }]);
    const traits = await store.scalar<string>(`SELECT traits FROM events WHERE type = 'identify'`);
    assert.ok(traits && !traits.includes('Jane@Example.com') && traits.includes('"plan":"gold"'), `email hashed, other traits kept (got ${traits})`);
  });
});
