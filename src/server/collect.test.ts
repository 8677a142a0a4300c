/**
 * The collection API against a real server on loopback: answers per event, dedupe, auth, Segment's limits, gzip,
 * clock skew, bad input, slow bodies, rate limits and backpressure. The database is inspected after the server stops
 * (the server owns its file while it runs).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { basic, inspect, startTestServer, track, TEST_KEY, type TestServer } from './testing.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ requestTimeoutMs: 800 });
});
after(async () => {
  await server.stop();
});

interface BatchAnswer {
  success: boolean;
  accepted: number;
  duplicate: number;
  rejected: number;
  results: { index: number; messageId: string | null; status: string; issues?: { path: string; message: string }[] }[];
}

describe('single-event routes', () => {
  test('POST /v1/track accepts an event and answers its messageId', async () => {
    const event = track({ messageId: 'single-1' });
    const r = await server.post('/v1/track', event);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { success: true, messageId: 'single-1', status: 'accepted' });
  });

  test('a retry of the same messageId is answered duplicate and not stored twice', async () => {
    const r = await server.post('/v1/track', track({ messageId: 'single-1' }));
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'duplicate');
  });

  test('the route sets the type, whatever the body says', async () => {
    const r = await server.post('/v1/identify', { userId: 'u-ident', anonymousId: 'anon-ident', messageId: 'ident-1', type: 'track', traits: { email: 'A@B.example' } });
    assert.equal(r.status, 200);
  });

  test('a message without userId or anonymousId is a 400 naming the field', async () => {
    const r = await server.post('/v1/track', { event: 'X', messageId: 'no-ids' });
    assert.equal(r.status, 400);
    const error = r.body.error as { code: string; message: string; issues: { path: string; message: string }[] };
    assert.equal(error.code, 'invalid_event');
    assert.match(error.issues[0]!.message, /userId or anonymousId is required/);
  });

  test('a missing messageId is generated, as Segment does for raw HTTP calls', async () => {
    const r = await server.post('/v1/page', { anonymousId: 'anon-page', name: 'Home' });
    assert.equal(r.status, 200);
    assert.match(String(r.body.messageId), /^api-/);
  });

  test('an event over 32 KB is a 400 stating the limit', async () => {
    const r = await server.post('/v1/track', track({ properties: { blob: 'x'.repeat(33 * 1024) } }));
    assert.equal(r.status, 400);
    const error = r.body.error as { code: string; message: string };
    assert.equal(error.code, 'event_too_large');
    assert.match(error.message, /the limit is 32 KB \(32,768 bytes\)/);
  });
});

describe('batch', () => {
  test('answers per event: accepted, duplicate and rejected with the field path; the good ones are kept', async () => {
    const good = track({ messageId: 'b1-good' });
    const r = await server.post('/v1/batch', {
      batch: [good, { type: 'track', event: 'X', messageId: 'b1-bad', timestamp: '2026-01-01T00:00:00Z' }, good, { ...track(), type: 'nope' }],
    });
    assert.equal(r.status, 200);
    const body = r.body as unknown as BatchAnswer;
    assert.equal(body.success, true);
    assert.deepEqual([body.accepted, body.duplicate, body.rejected], [1, 1, 2]);
    assert.deepEqual(body.results.map((e) => e.status), ['accepted', 'rejected', 'duplicate', 'rejected']);
    assert.equal(body.results[1]!.issues![0]!.path, 'batch[1]');
    assert.match(body.results[1]!.issues![0]!.message, /userId or anonymousId is required \(got neither\)/);
    assert.match(body.results[3]!.issues![0]!.message, /type: must be one of track, identify/);
  });

  test('an oversize event in a batch is rejected alone', async () => {
    const r = await server.post('/v1/batch', { batch: [track({ messageId: 'b2-ok' }), track({ properties: { blob: 'y'.repeat(40_000) } })] });
    assert.equal(r.status, 200);
    const body = r.body as unknown as BatchAnswer;
    assert.equal(body.results[0]!.status, 'accepted');
    assert.equal(body.results[1]!.status, 'rejected');
    assert.match(body.results[1]!.issues![0]!.message, /the limit is 32 KB/);
  });

  test('an event holding a lone UTF-16 surrogate is rejected alone, naming the field; a paired one is kept', async () => {
    // DuckDB refuses a lone surrogate when it loads the journal; accepted, it would block every event behind it.
    const r = await server.post('/v1/batch', { batch: [track({ messageId: 'sur-ok', properties: { name: 'smile \ud83d\ude00' } }), track({ messageId: 'sur-bad', properties: { name: 'x\ud800y' } })] });
    assert.equal(r.status, 200);
    const body = r.body as unknown as BatchAnswer;
    assert.deepEqual(body.results.map((e) => e.status), ['accepted', 'rejected']);
    assert.equal(body.results[1]!.issues![0]!.path, 'batch[1].properties.name');
    assert.match(body.results[1]!.issues![0]!.message, /lone UTF-16 surrogate/);
    const single = await server.post('/v1/track', track({ messageId: 'sur-key', properties: { ['k\udc00']: 1 } }));
    assert.equal(single.status, 400);
    assert.match(JSON.stringify(single.body), /body\.properties \(a key\)/);
    const context = await server.post('/v1/batch', { batch: [track()], context: { page: { title: '\udc00' } } });
    assert.equal(context.status, 400);
    assert.match(JSON.stringify(context.body), /context\.page\.title/);
  });

  test('a batch over 500 KB is a 400 stating the limit', async () => {
    const batch = Array.from({ length: 30 }, () => track({ properties: { blob: 'z'.repeat(20_000) } }));
    const r = await server.post('/v1/batch', { batch });
    assert.equal(r.status, 400);
    const error = r.body.error as { code: string; message: string };
    assert.equal(error.code, 'batch_too_large');
    assert.match(error.message, /the limit is 500 KB \(512,000 bytes\)/);
  });

  test('a batch of more than 2,500 events is a 400 stating the limit', async () => {
    const batch = Array.from({ length: 2501 }, (_, i) => ({ type: 'track', event: 'E', userId: 'u', messageId: `many-${i}` }));
    const r = await server.post('/v1/batch', { batch });
    assert.equal(r.status, 400);
    assert.match((r.body.error as { message: string }).message, /batch has 2,501 events; the limit is 2,500 events per batch/);
  });

  test('a batch whose events are all rejected is a 400 with every issue', async () => {
    const r = await server.post('/v1/batch', { batch: [{ type: 'track' }, 42] });
    assert.equal(r.status, 400);
    const error = r.body.error as { code: string; issues: { path: string }[] };
    assert.equal(error.code, 'invalid_events');
    assert.ok(error.issues.some((i) => i.path === 'batch[1]'));
  });

  test('gzip bodies (RudderStack) are accepted, and /v1/import is an alias of /v1/batch', async () => {
    const r = await server.post('/v1/batch', { batch: [track({ messageId: 'gz-1' })] }, { gzip: true, headers: { 'Content-Type': 'text/plain' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.accepted, 1);
    const i = await server.post('/v1/import', { batch: [track({ messageId: 'imp-1' })] });
    assert.equal(i.body.accepted, 1);
  });

  test('a body that is not gzip although it says so is a 400', async () => {
    const r = await server.post('/v1/batch', '{"batch":[]}', { headers: { 'Content-Encoding': 'gzip' } });
    assert.equal(r.status, 400);
    assert.equal((r.body.error as { code: string }).code, 'bad_encoding');
  });

  test('clock skew is corrected from sentAt: timestamp = receivedAt − (sentAt − originalTimestamp)', async () => {
    const now = Date.now();
    // The client clock is one hour fast: it stamped the event 10 s before sending.
    const original = new Date(now + 3600_000 - 10_000).toISOString();
    const sentAt = new Date(now + 3600_000).toISOString();
    const r = await server.post('/v1/batch', { sentAt, batch: [{ type: 'track', event: 'Skew', userId: 'skew', messageId: 'skew-1', timestamp: original }] });
    assert.equal(r.body.accepted, 1);
  });
});

describe('auth and bad requests', () => {
  test('the write key may come in the body instead of the Basic header', async () => {
    const r = await server.post('/v1/batch', { writeKey: TEST_KEY, batch: [track({ messageId: 'body-key' })] }, { auth: null });
    assert.equal(r.status, 200);
  });

  test('a wrong or missing write key is a 401 JSON error', async () => {
    const wrong = await server.post('/v1/track', track(), { auth: basic('nope') });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: { code: 'unauthorized', message: 'write key is not valid', issues: [] } });
    const missing = await server.post('/v1/track', track(), { auth: null });
    assert.equal(missing.status, 401);
    assert.match((missing.body.error as { message: string }).message, /write key is required/);
  });

  test('malformed JSON is a 400 invalid_json; a JSON array body is a 400 too', async () => {
    const r = await server.post('/v1/batch', '{"batch": [');
    assert.equal(r.status, 400);
    assert.equal((r.body.error as { code: string }).code, 'invalid_json');
    const a = await server.post('/v1/track', '[1,2]');
    assert.equal(a.status, 400);
    assert.match((a.body.error as { message: string }).message, /must be a JSON object \(got an array\)/);
  });

  test('unknown routes are 404 and wrong methods 405, as JSON', async () => {
    const r = await server.get('/v1/nothing');
    assert.equal(r.status, 404);
    assert.equal((r.body as { error: { code: string } }).error.code, 'not_found');
    const m = await server.get('/v1/batch');
    assert.equal(m.status, 405);
    assert.equal(m.headers.get('allow'), 'POST');
  });

  test('a body that never finishes (slow loris) gets a 408 JSON answer and the server keeps serving', async () => {
    const port = server.port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(TEST_KEY)}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"batch":`);
    });
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.match(answer, /"code":"request_timeout"/);
    const r = await server.post('/v1/track', track());
    assert.equal(r.status, 200);
  });
});

describe('rate limit and backpressure', () => {
  test('a key over its event rate gets 429 with Retry-After', async () => {
    const limited = await startTestServer({ rateLimitEventsPerSecond: 5, rateLimitBurst: 10 });
    try {
      const first = await limited.post('/v1/batch', { batch: Array.from({ length: 10 }, () => track()) });
      assert.equal(first.status, 200);
      const second = await limited.post('/v1/batch', { batch: Array.from({ length: 5 }, () => track()) });
      assert.equal(second.status, 429);
      assert.equal(second.headers.get('retry-after'), '1');
    } finally {
      await limited.stop();
    }
  });

  test('a full write queue answers 503 with Retry-After, and every 200 is stored', async () => {
    const small = await startTestServer({ maxQueueEvents: 1 });
    const sent = Array.from({ length: 30 }, (_, k) => Array.from({ length: 20 }, (_, i) => track({ messageId: `bp-${k}-${i}` })));
    const answers = await Promise.all(sent.map((batch) => small.post('/v1/batch', { batch })));
    await small.close();
    const ok = answers.flatMap((a, k) => (a.status === 200 ? sent[k]!.map((e) => e.messageId as string) : []));
    const refused = answers.filter((a) => a.status === 503);
    assert.ok(refused.length > 0, 'some requests are refused');
    assert.equal(refused[0]!.headers.get('retry-after'), '1');
    assert.equal(ok.length + refused.length * 20, 600);
    const stored = await inspect(small.db, (store) => store.scalar<number>(`SELECT count(*) FROM events WHERE starts_with(message_id, 'bp-')`));
    assert.equal(stored, ok.length);
    await small.stop();
  });
});

describe('what is stored', () => {
  test('each accepted event is stored once, with skew-corrected time, hashed PII and identity links', async () => {
    await server.close();
    await inspect(server.db, async (store) => {
      const dupes = await store.scalar<number>(`SELECT count(*) FROM (SELECT message_id FROM events GROUP BY 1 HAVING count(*) > 1)`);
      assert.equal(dupes, 0);
      assert.equal(await store.scalar<number>(`SELECT count(*) FROM events WHERE message_id IN ('single-1', 'b1-good', 'gz-1', 'body-key', 'imp-1')`), 5);
      assert.equal(await store.scalar<string>(`SELECT properties->>'name' FROM events WHERE message_id = 'sur-ok'`), 'smile \u{1F600}', 'a surrogate pair is the character it spells');
      const skew = await store.rows<{ lag: number }>(`SELECT epoch_ms(received_at) - epoch_ms(ts) AS lag FROM events WHERE message_id = 'skew-1'`);
      assert.ok(Math.abs(skew[0]!.lag - 10_000) < 2, `ts is 10 s before receivedAt (got ${skew[0]!.lag} ms)`);
      const ident = await store.rows<{ type: string; traits: string }>(`SELECT type, traits FROM events WHERE message_id = 'ident-1'`);
      assert.equal(ident[0]!.type, 'identify');
      assert.match(ident[0]!.traits, /"email":"hmac-sha256:[0-9a-f]{64}"/);
      const link = await store.rows(`SELECT alias_id, customer_id FROM identities WHERE alias_id = 'anon-ident'`);
      assert.deepEqual(link, [{ alias_id: 'anon-ident', customer_id: 'u-ident' }]);
    });
  });
});
