/**
 * Fuzz: a few thousand random and mutated payloads (seeded, so a failure replays) sent to the collection routes.
 * The server must never crash or answer 5xx, must always answer JSON, every 4xx must carry
 * `{ error: { code, message, issues } }`, and it must keep serving afterwards.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { createRng, type Rng } from '../core/rng.js';
import { basic, startTestServer, track, TEST_KEY, type TestServer } from './testing.js';

const SEED = 4_2026;
const CASES = 3000;
const ROUTES = ['/v1/batch', '/v1/import', '/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias', '/v1/nope', '/'];

let server: TestServer;
before(async () => {
  server = await startTestServer({ rateLimitEventsPerSecond: 0 });
});
after(async () => {
  await server.stop();
});

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 8)) {
    case 0: return null;
    case 1: return rng.next() < 0.5;
    case 2: return pick(rng, [0, -1, 1e308, -1e-308, 3.5, Number.MAX_SAFE_INTEGER]);
    case 3: return pick(rng, ['', 'x', '2026-01-01T00:00:00Z', 'not a date', '\u0000', '💥', 'a'.repeat(rng.int(2000))]);
    case 4: return pick(rng, ['track', 'identify', 'alias', 'Order Completed', 'Consent Updated']);
    case 5: return rng.int(1000);
    case 6: return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [pick(rng, FIELDS), randomValue(rng, depth + 1)]));
  }
}
const FIELDS = ['type', 'event', 'userId', 'anonymousId', 'previousId', 'messageId', 'timestamp', 'sentAt', 'originalTimestamp', 'properties', 'traits', 'context', 'consent', 'price', 'products', 'order_id', 'batch', 'writeKey'];

/** A valid message with one to three fields deleted or replaced by random values. */
function mutated(rng: Rng): Record<string, unknown> {
  const m: Record<string, unknown> = track({ properties: { price: 3, order_id: 'o', products: [{ price: 1 }] }, context: { consent: { analytics: true } } });
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const field = pick(rng, [...Object.keys(m), ...FIELDS]);
    if (rng.next() < 0.4) delete m[field];
    else m[field] = randomValue(rng);
  }
  return m;
}

function payload(rng: Rng, route: string): { body: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'Content-Type': pick(rng, ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) };
  const roll = rng.next();
  if (roll < 0.9) headers.Authorization = basic(TEST_KEY);
  else if (roll < 0.95) headers.Authorization = pick(rng, [basic('wrong'), 'Bearer x', 'Basic !!!', 'Basic ']);
  let text: string;
  const kind = rng.int(10);
  if (kind === 0) text = JSON.stringify(randomValue(rng));
  else if (kind === 1) text = Buffer.from(Array.from({ length: rng.int(300) }, () => rng.int(256))).toString('latin1');
  else if (kind === 2) text = JSON.stringify({ batch: Array.from({ length: rng.int(20) }, () => mutated(rng)) }).slice(0, rng.int(400));
  else if (kind === 3) text = `${'['.repeat(5000 + rng.int(5000))}`;
  else if (kind === 4) text = JSON.stringify({ batch: [{ ...track(), properties: JSON.parse(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`) as unknown }] });
  else if (route.endsWith('batch') || route.endsWith('import')) text = JSON.stringify({ batch: Array.from({ length: rng.int(30) }, () => (rng.next() < 0.2 ? randomValue(rng) : mutated(rng))), context: rng.next() < 0.3 ? randomValue(rng) : undefined, sentAt: rng.next() < 0.3 ? randomValue(rng) : undefined });
  else text = JSON.stringify(mutated(rng));
  let body = Buffer.from(text);
  if (rng.next() < 0.1) {
    headers['Content-Encoding'] = pick(rng, ['gzip', 'br', 'deflate', 'gzip']);
    if (rng.next() < 0.7 && headers['Content-Encoding'] === 'gzip') body = gzipSync(body);
  }
  return { body, headers };
}

test(`the server answers ${CASES} random and mutated payloads with JSON and the right 4xx, and keeps serving`, { timeout: 60_000 }, async () => {
  const rng = createRng(SEED);
  const statuses = new Map<number, number>();
  for (let i = 0; i < CASES; i++) {
    const route = pick(rng, ROUTES);
    const method = rng.next() < 0.95 ? 'POST' : pick(rng, ['GET', 'PUT', 'DELETE']);
    const { body, headers } = payload(rng, route);
    const response = await fetch(`${server.url}${route}`, { method, headers, body: method === 'GET' ? undefined : body });
    const text = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const where = `case ${i} (seed ${SEED}): ${method} ${route} ${body.subarray(0, 120).toString('latin1')}`;
    assert.ok(response.status < 500, `${where}\nanswered ${response.status} ${text}`);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/, where);
    const parsed = JSON.parse(text) as { error?: { code: string; message: string; issues: unknown[] } };
    if (response.status >= 400 && response.status !== 400 || (response.status === 400 && !('results' in parsed))) {
      assert.equal(typeof parsed.error?.code, 'string', `${where}\n${text}`);
      assert.equal(typeof parsed.error?.message, 'string', where);
      assert.ok(Array.isArray(parsed.error?.issues), where);
    }
    assert.ok([200, 400, 401, 404, 405, 415].includes(response.status), `${where}\nunexpected status ${response.status} ${text}`);
  }
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.ok((statuses.get(200) ?? 0) > 100 && (statuses.get(400) ?? 0) > 100, `a mix of answers: ${JSON.stringify([...statuses])}`);
});
