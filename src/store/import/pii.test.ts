/**
 * PII hashed at the door by the events file importer. Expected values come from the server's own code: each
 * message goes through `normaliseMessage` and `Privacy.gate` (server/ingest/), which is what `POST /v1/batch`
 * stores, and `Privacy.hash`, which is node's `createHmac('sha256', secret)` over the canonical text; the SQL must
 * give the same text for every case here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_PII_TRAITS, PII_WHITE_SPACE, type JsonObject } from '../../events/index.js';
import { normaliseMessage } from '../../server/ingest/normalize.js';
import { Privacy } from '../../server/ingest/privacy.js';
import { inspect, startTestServer } from '../../server/testing.js';
import { Store } from '../db.js';
import { secret } from '../secrets.js';
import { importEvents } from './index.js';
import { piiColumns } from './pii.js';

async function withStore(work: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const store = await Store.open(':memory:');
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-pii-'));
  try {
    await work(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = (s: number): string => new Date(Date.UTC(2024, 4, 1, 10, 0, s)).toISOString();

/** Identify events with PII in traits and context.traits (several key cases, value kinds), and events without. */
const MESSAGES: JsonObject[] = [
  { type: 'identify', messageId: 'i-1', userId: 'u-1', anonymousId: 'a-1', timestamp: at(1),
    traits: { plan: 'pro', email: '  Ann@Example.COM ', phone: '+44 20 7946 0958', name: 'Émile Zoë 😀', city: 'Lyon', empty_note: '' },
    context: { ip: '10.0.0.1', library: { name: 'analytics.js' }, device: {}, traits: { email: 'ANN@example.com', name: 'Ann', tier: 2, prefs: {} } } },
  { type: 'identify', messageId: 'i-2', userId: 'u-2', timestamp: at(2),
    traits: { Email: 'Bob@Example.com', NAME: { first: 'Bob', last: 'Ng' }, phone: 15551234567, age: 41, newsletter: true, nick: 'bob' } },
  { type: 'identify', messageId: 'i-3', userId: 'u-3', timestamp: at(3),
    traits: { email: '', name: null, phone: ' ', plan: 'free' }, context: { traits: { email: null, phone: '' } } },
  { type: 'track', event: 'Product Viewed', messageId: 't-1', userId: 'u-1', timestamp: at(4),
    properties: { product_id: 'p-1', name: 'Kettle', email: 'not a trait' }, context: { traits: { email: 'ann@example.com', plan: 'pro' }, page: { path: '/p' } } },
  { type: 'track', event: 'Product Viewed', messageId: 't-2', userId: 'u-2', timestamp: at(5),
    properties: { product_id: 'p-2' }, context: { library: { name: 'analytics.js' }, locale: 'fr-FR' } },
];

function writeJsonl(dir: string, messages: readonly JsonObject[]): string {
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, messages.map((m) => JSON.stringify(m)).join('\n'));
  return file;
}

/** What the server stores for `message` (traits and context), with `secret`. */
function served(message: JsonObject, secretValue: string, piiTraits: readonly string[] = DEFAULT_PII_TRAITS): { traits: unknown; context: unknown } {
  const privacy = new Privacy({ piiTraits, storeRawPii: false, secret: secretValue });
  const normalised = normaliseMessage(structuredClone(message), { receivedAt: new Date(), importId: 'http' }, 'test');
  assert.ok(normalised.ok);
  const gated = privacy.gate(normalised.message, normalised.row);
  assert.equal(gated.kind, 'keep');
  return { traits: gated.row.traits, context: gated.row.context };
}

async function storedEvents(store: Store): Promise<Map<string, { traits: string | null; context: string | null }>> {
  const rows = await store.rows<{ message_id: string; traits: string | null; context: string | null }>(
    `SELECT message_id, traits::VARCHAR AS traits, context::VARCHAR AS context FROM events ORDER BY message_id`);
  return new Map(rows.map((r) => [r.message_id, { traits: r.traits, context: r.context }]));
}

test('importEvents stores PII traits (traits and context.traits) as the server does: the same hmac-sha256 text, every other key as it was', async () => {
  await withStore(async (store, dir) => {
    await importEvents(store, { file: writeJsonl(dir, MESSAGES) });
    const key = await store.scalar<string>(`SELECT value FROM server_settings WHERE name = 'pii_secret'`);
    assert.ok(key, 'the import keeps the secret it created in server_settings, for segmenta serve');
    const stored = await storedEvents(store);
    for (const message of MESSAGES) {
      const want = served(message, key);
      const got = stored.get(message.messageId as string)!;
      // Text equality: the same keys in the same order, the same values (no doubles here, whose text differs).
      assert.equal(got.traits, want.traits === null ? null : JSON.stringify(want.traits), `traits of ${String(message.messageId)}`);
      assert.equal(got.context, want.context === null ? null : JSON.stringify(want.context), `context of ${String(message.messageId)}`);
    }
    const i1 = JSON.parse(stored.get('i-1')!.traits!) as JsonObject;
    assert.match(String(i1.email), /^hmac-sha256:[0-9a-f]{64}$/);
    // The context's email differs in case only: email is lower-cased before hashing, so the hashes agree.
    assert.equal((JSON.parse(stored.get('i-1')!.context!) as { traits: JsonObject }).traits.email, i1.email);
    assert.deepEqual([i1.plan, i1.city, i1.empty_note], ['pro', 'Lyon', '']);
    const i3 = JSON.parse(stored.get('i-3')!.traits!) as JsonObject;
    assert.deepEqual([i3.email, i3.name, i3.plan], ['', null, 'free'], 'null and empty values are kept, as the server keeps them');
    assert.match(String(i3.phone), /^hmac-sha256:/, 'a blank value is not empty: the server hashes it');
    assert.equal(stored.get('t-2')!.context, '{"library":{"name":"analytics.js"},"locale":"fr-FR"}', 'a context without traits is stored as read');
  });
});

test('with duplicates skipped, every written message is hashed once and a re-import writes nothing', async () => {
  await withStore(async (store, dir) => {
    // A retried messageId, and an exact copy under a new messageId, of messages that hold PII.
    const retried = MESSAGES.map((m) => (m.messageId === 'i-1' ? { ...m, traits: { email: 'other@example.com' } } : m));
    const copy = { ...MESSAGES.find((m) => m.messageId === 'i-3')!, messageId: 'i-3-copy' };
    const first = await importEvents(store, { file: writeJsonl(dir, [...MESSAGES, ...retried.filter((m) => m.messageId === 'i-1'), copy]) });
    assert.deepEqual(first.skipped, { duplicate_message_id: 1, exact_duplicate: 1 });
    const key = await store.scalar<string>(`SELECT value FROM server_settings WHERE name = 'pii_secret'`);
    const stored = await storedEvents(store);
    assert.equal(stored.size, MESSAGES.length);
    for (const message of MESSAGES) {
      const want = served(message, key!);
      assert.equal(stored.get(message.messageId as string)!.traits, want.traits === null ? null : JSON.stringify(want.traits));
      assert.equal(stored.get(message.messageId as string)!.context, want.context === null ? null : JSON.stringify(want.context));
    }
    const again = await importEvents(store, { file: writeJsonl(dir, MESSAGES) });
    assert.equal(again.rowsWritten, 0);
    assert.deepEqual(await storedEvents(store), stored);
  });
});

test('customers.traits, built from identify traits, holds only the hashes', async () => {
  await withStore(async (store, dir) => {
    await importEvents(store, { file: writeJsonl(dir, MESSAGES) });
    const key = (await store.scalar<string>(`SELECT value FROM server_settings WHERE name = 'pii_secret'`))!;
    const privacy = new Privacy({ piiTraits: DEFAULT_PII_TRAITS, storeRawPii: false, secret: key });
    const traits = async (id: string): Promise<JsonObject> =>
      JSON.parse((await store.scalar<string>(`SELECT traits FROM customers WHERE customer_id = $id`, { id }))!) as JsonObject;
    assert.deepEqual(await traits('u-1'), {
      plan: 'pro', email: privacy.hash('email', 'ann@example.com'), phone: privacy.hash('phone', '+44 20 7946 0958'),
      name: privacy.hash('name', 'Émile Zoë 😀'), city: 'Lyon', empty_note: '',
    });
    // The server matches keys in any case (Email, NAME) and hashes objects and numbers over JSON.stringify.
    assert.deepEqual(await traits('u-2'), {
      Email: privacy.hash('Email', 'bob@example.com'), NAME: privacy.hash('NAME', { first: 'Bob', last: 'Ng' }),
      phone: privacy.hash('phone', 15551234567), age: 41, newsletter: true, nick: 'bob',
    });
    const all = await store.scalar<string>(`SELECT string_agg(traits::VARCHAR, ' ') FROM customers`);
    for (const clear of ['Example', 'example', 'Émile', 'Bob', '+44 20 7946 0958', '15551234567']) assert.ok(!all!.includes(clear), `${clear} left in customers.traits`);
  });
});

test('storeRawPii keeps traits and context as they are in the file, and creates no secret', async () => {
  await withStore(async (store, dir) => {
    await importEvents(store, { file: writeJsonl(dir, MESSAGES), storeRawPii: true });
    const stored = await storedEvents(store);
    assert.deepEqual(JSON.parse(stored.get('i-1')!.traits!), MESSAGES[0]!.traits);
    assert.deepEqual(JSON.parse(stored.get('i-1')!.context!), MESSAGES[0]!.context);
    assert.equal(await store.scalar(`SELECT count(*) FROM server_settings WHERE name = 'pii_secret'`), 0);
  });
});

test('the secret comes from the database: a stored one is used, a created one is the one segmenta serve reads', async () => {
  await withStore(async (store, dir) => {
    const file = writeJsonl(dir, MESSAGES.slice(0, 1));
    await store.run(`INSERT INTO server_settings VALUES ('pii_secret', 'operator-secret', now()::TIMESTAMP)`);
    await importEvents(store, { file });
    const stored = JSON.parse((await storedEvents(store)).get('i-1')!.traits!) as JsonObject;
    assert.equal(stored.email, new Privacy({ piiTraits: DEFAULT_PII_TRAITS, storeRawPii: false, secret: 'operator-secret' }).hash('email', 'ann@example.com'));
  });
  await withStore(async (store, dir) => {
    await importEvents(store, { file: writeJsonl(dir, MESSAGES.slice(0, 1)) });
    const created = await store.scalar<string>(`SELECT value FROM server_settings WHERE name = 'pii_secret'`);
    assert.deepEqual(await secret(store, 'pii_secret', undefined), { value: created, generated: false });
  });
});

test('one address, two doors: a file imported first, then segmenta serve on the same database, store the same hash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-pii-doors-'));
  try {
    const db = join(dir, 'shop.duckdb');
    const store = await Store.open(db);
    try {
      await importEvents(store, { file: writeJsonl(dir, MESSAGES.slice(0, 1)) });
    } finally {
      store.close();
    }
    // No secret configured: the server reads the one the import created.
    const server = await startTestServer({ db, piiSecret: undefined }, dir);
    const answer = await server.post('/v1/batch', { batch: [{ type: 'identify', messageId: 'h-1', userId: 'u-7', timestamp: at(9),
      traits: { email: 'ann@EXAMPLE.com', name: 'Émile Zoë 😀' }, context: { traits: { email: ' ann@example.com' } } }] });
    assert.equal(answer.body.accepted, 1);
    await server.close();
    const rows = await inspect(db, (s) => s.rows<{ message_id: string; email: string; name: string; context_email: string }>(
      `SELECT message_id, traits ->> '$.email' AS email, traits ->> '$.name' AS name, context ->> '$.traits.email' AS context_email
       FROM events WHERE message_id IN ('i-1', 'h-1') ORDER BY message_id`));
    const [http, file] = rows;
    assert.match(file!.email, /^hmac-sha256:[0-9a-f]{64}$/);
    assert.deepEqual([http!.email, http!.name, http!.context_email], [file!.email, file!.name, file!.context_email]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('piiSecret and piiTraits are the server options: a given secret is used and not stored; names match in any case', async () => {
  await withStore(async (store, dir) => {
    await importEvents(store, { file: writeJsonl(dir, MESSAGES.slice(0, 2)), piiSecret: 'given', piiTraits: ['EMAIL', 'nick'] });
    assert.equal(await store.scalar(`SELECT count(*) FROM server_settings`), 0);
    const stored = await storedEvents(store);
    for (const message of MESSAGES.slice(0, 2)) {
      const want = served(message, 'given', ['EMAIL', 'nick']);
      assert.equal(stored.get(message.messageId as string)!.traits, JSON.stringify(want.traits));
    }
    const i2 = JSON.parse(stored.get('i-2')!.traits!) as JsonObject;
    assert.deepEqual([i2.phone, i2.NAME], [15551234567, { first: 'Bob', last: 'Ng' }], 'traits not named are kept');
    assert.match(String(i2.nick), /^hmac-sha256:/);
  });
});

test('a file whose traits hold no PII key is stored exactly as with storeRawPii', async () => {
  const messages: JsonObject[] = [
    { type: 'identify', messageId: 'n-1', userId: 'u-1', timestamp: at(1), traits: { plan: 'pro', 'e-mail': 'x', names: ['a'], score: 1.5, asked_for: 'email' },
      context: { library: { name: 'js' }, traits: { plan: 'pro' }, note: '"email"' } },
    { type: 'track', event: 'Viewed', messageId: 'n-2', userId: 'u-1', timestamp: at(2), properties: { name: 'n' }, context: { locale: 'en' } },
  ];
  const read = async (storeRawPii: boolean): Promise<unknown> => {
    let rows: unknown;
    await withStore(async (store, dir) => {
      await importEvents(store, { file: writeJsonl(dir, messages), storeRawPii });
      rows = [...(await storedEvents(store)).entries()];
    });
    return rows;
  };
  assert.deepEqual(await read(false), await read(true));
});

test('CSV text is hashed as JSONL is: white space, \\u escapes in keys and values, keys in another case', async () => {
  await withStore(async (store, dir) => {
    const file = join(dir, 'events.csv');
    // Raw JSON text, as a CSV or Parquet column holds it: DuckDB keeps such text unparsed until it is read.
    const traits = '{ "plan" : "pro", "\\u0045mail" : " C\\u00e9line@Example.com ", "ph\\u006fne":"+33 1" }';
    writeFileSync(file, `messageId,type,userId,timestamp,traits\nc-1,identify,u-9,${at(1)},"${traits.replace(/"/g, '""')}"\n`);
    await importEvents(store, { file, piiSecret: 's' });
    const want = served({ type: 'identify', messageId: 'c-1', userId: 'u-9', timestamp: at(1), traits: JSON.parse(traits) as JsonObject }, 's');
    assert.deepEqual(JSON.parse((await storedEvents(store)).get('c-1')!.traits!), want.traits);
    assert.deepEqual(Object.keys(want.traits as JsonObject), ['plan', 'Email', 'phone']);
  });
});

test('the SQL HMAC equals Privacy.hash for long, short and non-ASCII secrets and values of every kind', async () => {
  const secrets = ['k', 'é🔑 secret', 'x'.repeat(64), 'y'.repeat(65), 'z'.repeat(200)];
  // JSON text, as it arrives in a file (1.0 is read by JavaScript as 1).
  const values = ['"ann@example.com"', '"  Ann@Example.COM\\t"', '"é"', '"ÉMILE@EXÄMPLE.COM"', '"İSTANBUL@x.tr"', '"😀"',
    '"👩‍👩‍👧 family"', '" "', '"\\u00a0x\\u3000"', '"\\u000b\\f x y\\ufeff\\u2028"', `"${'a'.repeat(1000)}"`, '"line\\nbreak"', '15551234567', '-3', '1.0', '2.5',
    'true', 'false', '{"first":"A","tags":["x",1,true]}', '[1,"x"]', '""', 'null'];
  await withStore(async (store) => {
    for (const key of secrets) {
      const columns = piiColumns({ traits: DEFAULT_PII_TRAITS, secret: key }, 1);
      const privacy = new Privacy({ piiTraits: DEFAULT_PII_TRAITS, storeRawPii: false, secret: key });
      for (const value of values) {
        for (const trait of ['email', 'Email', 'phone']) {
          const doc = `{${JSON.stringify(trait)}:${value}}`;
          const got = await store.scalar<string>(`SELECT ${columns.traits}::VARCHAR FROM (SELECT $3::JSON AS traits)`, [...columns.params, doc]);
          const parsed = JSON.parse(value) as unknown;
          const want = parsed === null || parsed === '' ? doc : JSON.stringify({ [trait]: privacy.hash(trait, parsed) });
          assert.equal(got, want, `secret ${key.slice(0, 12)}, ${doc.slice(0, 60)}`);
        }
      }
    }
  });
});

test('PII_WHITE_SPACE is exactly what String.prototype.trim removes', () => {
  const removed: string[] = [];
  for (let c = 0; c <= 0xffff; c++) if (String.fromCharCode(c).trim() === '') removed.push(String.fromCharCode(c));
  assert.equal(removed.join(''), PII_WHITE_SPACE);
});

test('a message that breaks the contract is still named, PII or not: hashing never fails first', async () => {
  await withStore(async (store, dir) => {
    const bad = { type: 'identify', messageId: 'b-1', userId: 'u-1', timestamp: at(1), traits: ['email', { email: 'a@b' }], context: { traits: 'email' } };
    await assert.rejects(importEvents(store, { file: writeJsonl(dir, [MESSAGES[0]!, bad]) }), /events\.jsonl:2: traits: must be a JSON object/);
    assert.equal(await store.scalar(`SELECT count(*) FROM events`), 0);
  });
});
