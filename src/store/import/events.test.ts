import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../core/errors.js';
import { piiHash } from '../../events/index.js';
import { Store, quoteLiteral } from '../db.js';
import { importEvents, importOrders } from './index.js';

const EVENTS = 'fixtures/import/events-small.jsonl';
const TABLES = ['events', 'identity_links', 'identities', 'customers', 'orders', 'order_lines', 'products', 'imports'];

async function withStore(work: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const store = await Store.open(':memory:');
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-events-'));
  try {
    await work(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tableCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number(await store.scalar(`SELECT count(*) FROM ${table}`));
  return out;
}

async function rejectsWith(work: Promise<unknown>, pattern: RegExp): Promise<InputError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected the import to fail');
}

/** The events table without the import id, in a stable order, for comparing imports of the same messages. */
async function eventRows(store: Store): Promise<unknown[]> {
  return store.rows(`SELECT * EXCLUDE (import_id) FROM events ORDER BY message_id`);
}

test('importEvents stores Segment messages with UTC times, extracted columns, and skips duplicates with examples', async () => {
  await withStore(async (store) => {
    const report = await importEvents(store, { file: EVENTS, importId: 'ev-1' });
    assert.equal(report.rowsRead, 10);
    assert.equal(report.rowsWritten, 8);
    assert.deepEqual(report.skipped, { duplicate_message_id: 1, exact_duplicate: 1 });
    // The fixture has a blank line 4, so message 8 is on line 9; examples count messages, not lines.
    assert.deepEqual(report.examples, { duplicate_message_id: ['event 8: messageId "m-02"'], exact_duplicate: ['event 10: messageId "m-09"'] });
    assert.deepEqual(report.tables, { events: 8, identity_links: 2, identities: 4, customers: 1, orders: 1, order_lines: 2, products: 2 });
    assert.deepEqual(report.notes, { order_completed_already_stored: 0, resolved_customers: 2 });

    const viewed = (await store.rows(`SELECT ts, session_id, product_id, category, price, dwell_seconds FROM events WHERE message_id = 'm-02'`))[0];
    // 10:01+02:00 is 08:01 UTC; sessionId from context.
    assert.deepEqual(viewed, { ts: new Date('2024-05-01T08:01:00Z'), session_id: 's-1', product_id: 'p-1', category: 'kitchen', price: 5.5, dwell_seconds: 12 });
    const order = (await store.rows(`SELECT ts, received_at, order_id, revenue, discount FROM events WHERE message_id = 'm-04'`))[0];
    // No timestamp: receivedAt − (sentAt − originalTimestamp) = 08:05:12 − 10 s.
    assert.deepEqual(order, { ts: new Date('2024-05-01T08:05:02Z'), received_at: new Date('2024-05-01T08:05:12Z'), order_id: 'ord-1', revenue: 17, discount: 1 });
    assert.equal(await store.scalar(`SELECT session_id FROM events WHERE message_id = 'm-08'`), 's-9');
    assert.equal(await store.scalar(`SELECT count(*) FROM imports WHERE import_id = 'ev-1' AND kind = 'events' AND rows_skipped = 2`), 1);
    assert.equal(await store.scalar(`SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'temp'`), 0, 'temp tables left behind');
  });
});

test('importEvents links identities, resolves them, and merges traits and consent key by key', async () => {
  await withStore(async (store) => {
    await importEvents(store, { file: EVENTS });
    assert.deepEqual(await store.rows(`SELECT from_id, to_id, source FROM identity_links ORDER BY ts`), [
      { from_id: 'anon-1', to_id: 'u-1', source: 'identify' },
      { from_id: 'u-1', to_id: 'u-2', source: 'alias' },
    ]);
    // u-1 was seen as a userId before u-2, so the chain anon-1 → u-1 → u-2 resolves to u-1.
    assert.deepEqual(await store.rows(`SELECT * FROM identities ORDER BY alias_id`), [
      { alias_id: 'anon-1', customer_id: 'u-1' }, { alias_id: 'anon-9', customer_id: 'anon-9' },
      { alias_id: 'u-1', customer_id: 'u-1' }, { alias_id: 'u-2', customer_id: 'u-1' },
    ]);
    assert.deepEqual(await store.rows(`SELECT customer_id, count(*) AS n FROM events_resolved GROUP BY 1 ORDER BY 1`),
      [{ customer_id: 'anon-9', n: 1 }, { customer_id: 'u-1', n: 7 }]);
    const customer = (await store.rows<{ first_seen: Date; last_seen: Date; traits: string; consent: string }>(`SELECT * FROM customers WHERE customer_id = 'u-1'`))[0]!;
    assert.deepEqual(customer.first_seen, new Date('2024-05-01T08:01:00Z'));
    assert.deepEqual(customer.last_seen, new Date('2024-05-03T10:00:00Z'));
    // The email is stored hashed with the secret the import created (store/import/pii.test.ts checks the hash itself).
    const secret = (await store.scalar<string>(`SELECT value FROM server_settings WHERE name = 'pii_secret'`))!;
    assert.deepEqual(JSON.parse(customer.traits), { email: piiHash(secret, 'email', 'a@example.com'), plan: 'pro' });
    assert.deepEqual(JSON.parse(customer.consent), { analytics: true, marketing: true });
  });
});

test('importEvents turns Order Completed into an order with lines whose revenue is net of the discount', async () => {
  await withStore(async (store) => {
    await importEvents(store, { file: EVENTS });
    assert.deepEqual(await store.rows(`SELECT order_id, customer_id, ordered_at, kind, revenue, discount, source FROM orders`), [
      { order_id: 'ord-1', customer_id: 'u-1', ordered_at: new Date('2024-05-01T08:05:02Z'), kind: 'purchase', revenue: 2 * 5.5 + 7 - 1, discount: 1, source: 'events' },
    ]);
    assert.deepEqual(await store.rows(`SELECT line_no, product_id, quantity, unit_price, discount FROM order_lines ORDER BY line_no`), [
      { line_no: 1, product_id: 'p-1', quantity: 2, unit_price: 5.5, discount: 1 },
      { line_no: 2, product_id: 'p-2', quantity: 1, unit_price: 7, discount: 0 },
    ]);
    assert.deepEqual(await store.rows(`SELECT * FROM products ORDER BY product_id`), [
      { product_id: 'p-1', name: 'Mug', category: 'kitchen', price: 5.5 },
      { product_id: 'p-2', name: null, category: null, price: 7 },
    ]);
  });
});

test('importEvents twice writes nothing the second time and counts every message as a duplicate', async () => {
  await withStore(async (store) => {
    await importEvents(store, { file: EVENTS });
    const before = await tableCounts(store);
    const again = await importEvents(store, { file: EVENTS });
    assert.equal(again.rowsWritten, 0);
    // m-09 was never stored (an exact copy of m-08), so it is again an exact duplicate rather than a known messageId.
    assert.deepEqual(again.skipped, { duplicate_message_id: 9, exact_duplicate: 1 });
    assert.deepEqual(await tableCounts(store), { ...before, imports: before.imports! + 1 });
  });
});

test('importEvents reads the same messages from CSV, gzipped JSONL and Parquet into the same rows', async () => {
  await withStore(async (store, dir) => {
    const csv = join(dir, 'events.csv');
    const parquet = join(dir, 'events.parquet');
    const gz = join(dir, 'events.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(EVENTS)));
    const flat = `SELECT messageId, type, event, name, userId, anonymousId, previousId, groupId, timestamp, originalTimestamp, sentAt, receivedAt,
        properties::VARCHAR AS properties, traits::VARCHAR AS traits, context::VARCHAR AS context
      FROM read_json(${quoteLiteral(EVENTS)}, format='newline_delimited', columns={messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR',
        name: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR', previousId: 'VARCHAR', groupId: 'VARCHAR', timestamp: 'VARCHAR',
        originalTimestamp: 'VARCHAR', sentAt: 'VARCHAR', receivedAt: 'VARCHAR', properties: 'JSON', traits: 'JSON', context: 'JSON'})`;
    await store.run(`COPY (${flat}) TO ${quoteLiteral(csv)} (FORMAT csv, HEADER true)`);
    await store.run(`COPY (${flat}) TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    // One PII secret for the four databases, so the hashed email is the same in each.
    await importEvents(store, { file: EVENTS, piiSecret: 'shared' });
    const expected = await eventRows(store);
    for (const file of [csv, gz, parquet]) {
      const other = await Store.open(':memory:');
      try {
        const report = await importEvents(other, { file, piiSecret: 'shared' });
        assert.deepEqual(report.skipped, { duplicate_message_id: 1, exact_duplicate: 1 }, file);
        assert.deepEqual(await eventRows(other), expected, file);
        assert.equal(await other.scalar(`SELECT revenue FROM orders WHERE order_id = 'ord-1'`), 17, file);
      } finally {
        other.close();
      }
    }
  });
});

test('importEvents reads Parquet with typed times and nested properties (structs and lists)', async () => {
  await withStore(async (store, dir) => {
    const parquet = join(dir, 'events.parquet');
    await store.run(`COPY (SELECT 'x1' AS messageId, 'track' AS type, 'Order Completed' AS event, 'u-1' AS userId,
        TIMESTAMPTZ '2024-05-01 12:00:00+02' AS timestamp,
        {'order_id': 'o-9', 'products': [{'product_id': 'p-1', 'price': 2.5, 'quantity': 2}]} AS properties)
      TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    const report = await importEvents(store, { file: parquet });
    assert.equal(report.tables.orders, 1);
    assert.deepEqual(await store.rows(`SELECT order_id, ordered_at, revenue FROM orders`), [{ order_id: 'o-9', ordered_at: new Date('2024-05-01T10:00:00Z'), revenue: 5 }]);
  });
});

const BAD_CASES: readonly [string, string, RegExp][] = [
  ['an unknown type', '{"type":"click","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z"}',
    /^events\.jsonl:4: type: must be one of track, identify, page, screen, group, alias \(got "click"\)$/],
  ['no userId or anonymousId', '{"type":"track","event":"X","messageId":"b1","timestamp":"2024-01-01T00:00:00Z"}',
    /^events\.jsonl:4: userId: userId or anonymousId is required \(got neither\)$/],
  ['an unreadable timestamp', '{"type":"track","event":"X","messageId":"b1","userId":"u","timestamp":"yesterday"}',
    /^events\.jsonl:4: timestamp: cannot read "yesterday" as an ISO 8601 time$/],
  ['an alias without previousId', '{"type":"alias","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z"}',
    /^events\.jsonl:4: previousId: alias requires previousId \(got null\)$/],
  ['a price that is not a number', '{"type":"track","event":"Product Viewed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"price":"cheap"}}',
    /^events\.jsonl:4: properties\.price: cannot read "cheap" as a number$/],
  // The HTTP API refuses these too (events/numeric-text.ts), though DuckDB's try_cast reads them.
  ['a non-finite price', '{"type":"track","event":"Product Viewed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"price":"inf"}}',
    /^events\.jsonl:4: properties\.price: cannot read "inf" as a number$/],
  ['a quantity with a digit separator', '{"type":"track","event":"Product Added","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"quantity":"1_000"}}',
    /^events\.jsonl:4: properties\.quantity: cannot read "1_000" as a number$/],
  ['an order product price that overflows', '{"type":"track","event":"Order Completed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"order_id":"o","products":[{"price":"1e400"}]}}',
    /^events\.jsonl:4: properties\.products: every product needs a numeric price/],
  // Orders the products' fast path (event-checks.ts) cannot clear, so the exact checks decide.
  ['order products that are not an array', '{"type":"track","event":"Order Completed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"order_id":"o","products":{"price":1}}}',
    /^events\.jsonl:4: properties\.products: must be an array \(got "\{\\"price\\":1\}"\)$/],
  ['an order product that is not an object', '{"type":"track","event":"Order Completed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"order_id":"o","products":[{"price":1},"x"]}}',
    /^events\.jsonl:4: properties\.products: every product needs a numeric price/],
  ['an order product quantity that is true', '{"type":"track","event":"Order Completed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"order_id":"o","products":[{"price":1,"quantity":true}]}}',
    /^events\.jsonl:4: properties\.products: every product needs a numeric price/],
  ['an order product whose first price of two is not a number', '{"type":"track","event":"Order Completed","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"order_id":"o","products":[{"price":"abc","price":1}]}}',
    /^events\.jsonl:4: properties\.products: every product needs a numeric price/],
  ['consent that is not true/false', '{"type":"track","event":"Consent Updated","messageId":"b1","userId":"u","timestamp":"2024-01-01T00:00:00Z","properties":{"consent":{"marketing":"yes"}}}',
    /^events\.jsonl:4: properties\.consent: must be an object of analytics\/personalization\/marketing → true\/false \(got "\{\\"marketing\\":\\"yes\\"\}"\)$/],
];

for (const [what, line, pattern] of BAD_CASES) {
  test(`importEvents rejects ${what}, naming file, line, field and value, and writes nothing`, async () => {
    await withStore(async (store, dir) => {
      await importEvents(store, { file: EVENTS });
      const before = await tableCounts(store);
      const file = join(dir, 'events.jsonl');
      // Line 2 is blank (skipped by the reader), so the bad message is the 3rd message but on line 4.
      const good = '{"type":"page","messageId":"g1","anonymousId":"a","timestamp":"2024-01-01T00:00:00Z"}';
      writeFileSync(file, `${good}\n\n${good.replace('g1', 'g2')}\n${line}\n${good.replace('g1', 'g3')}\n`);
      await rejectsWith(importEvents(store, { file }), pattern);
      assert.deepEqual(await tableCounts(store), before);
    });
  });
}

test('importEvents lists every problem, and reads CSV lines and Parquet rows for the location', async () => {
  await withStore(async (store, dir) => {
    const csv = join(dir, 'events.csv');
    writeFileSync(csv, 'messageId,type,event,userId,timestamp,properties\n' +
      'a,track,Product Viewed,u,2024-01-01T00:00:00Z,"{""price"": 3}"\n' +
      'b,track,Product Viewed,,2024-01-01T00:00:00Z,"{""price"": ""x""}"\n' +
      'c,track,Product Viewed,u,2024-01-01T00:00:00Z,{not json\n');
    const error = await rejectsWith(importEvents(store, { file: csv }), /^events\.csv:3: userId: userId or anonymousId is required \(got neither\) \(and 2 more problems\)$/);
    assert.deepEqual(error.issues, [
      { path: 'events.csv:3', message: 'userId: userId or anonymousId is required (got neither)' },
      { path: 'events.csv:3', message: 'properties.price: cannot read "x" as a number' },
      { path: 'events.csv:4', message: 'properties: must be a JSON object (got "{not json")' },
    ]);
    const parquet = join(dir, 'events.parquet');
    await store.run(`COPY (SELECT * FROM (VALUES ('a', 'track', 'X', 'u', '2024-01-01T00:00:00Z'), ('b', 'track', NULL, 'u', '2024-01-01T00:00:00Z'))
      t(messageId, type, event, userId, timestamp)) TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    await rejectsWith(importEvents(store, { file: parquet }), /^events\.parquet: row 2: event: track requires event \(got null\)$/);
    assert.deepEqual(await tableCounts(store), Object.fromEntries(TABLES.map((t) => [t, 0])));
  });
});

test('importEvents rejects malformed JSON and a truncated gzip in one line', async () => {
  await withStore(async (store, dir) => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, '{"type":"page","messageId":"g1","anonymousId":"a","timestamp":"2024-01-01T00:00:00Z"}\n{"type":\n');
    await rejectsWith(importEvents(store, { file }), /^events\.jsonl: cannot read the file: Invalid Input Error: Malformed JSON in file ".*events\.jsonl", at byte \d+ in line 3: /);
    const gz = join(dir, 'events.jsonl.gz');
    const zipped = gzipSync(readFileSync(EVENTS).toString().repeat(200));
    writeFileSync(gz, zipped.subarray(0, zipped.length - 40));
    await rejectsWith(importEvents(store, { file: gz }), /^events\.jsonl\.gz: gzip data is truncated or corrupt \(unexpected end of file\)$/);
    assert.equal(Number(await store.scalar('SELECT count(*) FROM events')), 0);
  });
});

test('an order imported from events and from an orders file is stored once, whichever comes first', async () => {
  const ordersCsv = 'order_id,customer_id,ordered_at,product_id,quantity,unit_price,discount\n' +
    'ord-1,u-1,2024-05-01T08:05:02Z,p-1,2,5.5,1\nord-1,u-1,2024-05-01T08:05:02Z,p-2,1,7,0\n';
  for (const first of ['events', 'orders'] as const) {
    await withStore(async (store, dir) => {
      const orders = join(dir, 'orders.csv');
      writeFileSync(orders, ordersCsv);
      if (first === 'events') {
        await importEvents(store, { file: EVENTS });
        const report = await importOrders(store, { file: orders });
        assert.deepEqual(report.skipped, { already_imported: 2 });
      } else {
        await importOrders(store, { file: orders });
        const report = await importEvents(store, { file: EVENTS });
        assert.equal(report.notes.order_completed_already_stored, 1);
        assert.equal(report.tables.orders, 0);
      }
      assert.deepEqual(await store.rows(`SELECT order_id, customer_id, ordered_at, revenue, discount FROM orders`), [
        { order_id: 'ord-1', customer_id: 'u-1', ordered_at: new Date('2024-05-01T08:05:02Z'), revenue: 17, discount: 1 },
      ], `${first} first`);
      assert.deepEqual(await store.rows(`SELECT line_no, product_id, quantity, unit_price, discount FROM order_lines ORDER BY line_no`), [
        { line_no: 1, product_id: 'p-1', quantity: 2, unit_price: 5.5, discount: 1 },
        { line_no: 2, product_id: 'p-2', quantity: 1, unit_price: 7, discount: 0 },
      ], `${first} first`);
    });
  }
});

test('a glob of Parquet part files imports as one input: positions run across parts, duplicates across parts are caught', async () => {
  await withStore(async (store, dir) => {
    // Part 2 repeats part 1's first messageId: with per-file row numbers both would sit at position 0.
    const part = (name: string, ids: string[]) => store.run(`COPY (SELECT * FROM (VALUES ${ids
      .map((id, i) => `('${id}', 'track', 'Product Viewed', 'u-${id}', TIMESTAMP '2024-05-01 10:00:00' + INTERVAL ${i} MINUTE, '{"product_id":"p-${i}"}')`)
      .join(', ')}) t("messageId", "type", "event", "userId", "timestamp", "properties")) TO ${quoteLiteral(join(dir, name))} (FORMAT parquet)`);
    await part('part-00001.parquet', ['a-1', 'a-2', 'a-3']);
    await part('part-00002.parquet', ['a-1', 'b-2', 'b-3', 'b-4']);
    const report = await importEvents(store, { file: join(dir, 'part-*.parquet') });
    assert.equal(report.rowsRead, 7);
    assert.equal(report.rowsWritten, 6);
    assert.deepEqual(report.skipped, { duplicate_message_id: 1, exact_duplicate: 0 });
    assert.deepEqual((await store.rows<{ message_id: string }>(`SELECT message_id FROM events ORDER BY message_id`)).map((r) => r.message_id), ['a-1', 'a-2', 'a-3', 'b-2', 'b-3', 'b-4']);
    await rejectsWith(importEvents(store, { file: join(dir, 'nothing-*.parquet') }), /no file matches .*nothing-\*\.parquet/);
  });
});

test('a bad message in the second Parquet part is named by part file and row, and nothing is written', async () => {
  await withStore(async (store, dir) => {
    const part = (name: string, rows: string[]) => store.run(`COPY (SELECT * FROM (VALUES ${rows.join(', ')})
      t("messageId", "type", "event", "userId", "timestamp", "properties")) TO ${quoteLiteral(join(dir, name))} (FORMAT parquet)`);
    const good = (id: string) => `('${id}', 'track', 'Product Viewed', 'u-${id}', '2024-05-01T10:00:00Z', '{"price": 1}')`;
    await part('part-00001.parquet', [good('a-1'), good('a-2')]);
    await part('part-00002.parquet', [good('b-1'), good('b-2'), `('b-3', 'track', 'Product Viewed', 'u-1', '2024-05-01T10:00:00Z', '{"price": "cheap"}')`]);
    const error = await rejectsWith(importEvents(store, { file: join(dir, 'part-*.parquet') }), /part-00002\.parquet: row 3.*properties\.price: cannot read "cheap" as a number/);
    assert.equal(error.issues.length, 1);
    assert.equal(Number(await store.scalar('SELECT count(*) FROM events')), 0);
    assert.equal(Number(await store.scalar('SELECT count(*) FROM imports')), 0);
    // The store is usable afterwards: the failed write was rolled back, not left open.
    await part('part-00002.parquet', [good('b-1')]);
    assert.equal((await importEvents(store, { file: join(dir, 'part-*.parquet') })).rowsWritten, 3);
  });
});

test('inside a caller\'s transaction a bad message gives the same detailed error, and the caller can roll back', async () => {
  await withStore(async (store, dir) => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, [
      JSON.stringify({ messageId: 'm-1', type: 'track', event: 'Product Viewed', userId: 'u-1', timestamp: '2024-05-01T10:00:00Z' }),
      JSON.stringify({ messageId: 'm-2', type: 'shout', userId: 'u-1', timestamp: '2024-05-01T10:00:00Z' }),
    ].join('\n'));
    await assert.rejects(store.transaction(async () => {
      await store.run(`INSERT INTO audit_log VALUES (now()::TIMESTAMP, 'test', 'before import', NULL, NULL)`);
      await importEvents(store, { file });
    }), (error: unknown) => error instanceof InputError && /bad\.jsonl:2.*type: must be one of/.test(error.message));
    assert.equal(Number(await store.scalar('SELECT count(*) FROM audit_log')), 0);
    assert.equal(Number(await store.scalar('SELECT count(*) FROM events')), 0);
  });
});

test('an exact copy is skipped when it repeats any earlier message with the same key, not only the first', async () => {
  await withStore(async (store, dir) => {
    const file = join(dir, 'copies.jsonl');
    const message = (id: string, price: number) =>
      JSON.stringify({ messageId: id, type: 'track', event: 'Product Viewed', userId: 'u-1', timestamp: '2024-05-01T10:00:00Z', properties: { price } });
    // A and B share time, type and ids but differ in properties; C copies B under a new messageId.
    writeFileSync(file, [message('A', 1), message('B', 2), message('C', 2)].join('\n'));
    const report = await importEvents(store, { file });
    assert.deepEqual(report.skipped, { duplicate_message_id: 0, exact_duplicate: 1 });
    assert.deepEqual(report.examples.exact_duplicate, ['event 3: messageId "C"']);
    assert.deepEqual((await store.rows<{ message_id: string }>('SELECT message_id FROM events ORDER BY message_id')).map((r) => r.message_id), ['A', 'B']);
  });
});

test('a repeated messageId is skipped without reading its contents; a bad new message still stops the import', async () => {
  await withStore(async (store, dir) => {
    const file = join(dir, 'dup-bad.jsonl');
    const good = { messageId: 'm-1', type: 'track', event: 'Product Viewed', userId: 'u-1', timestamp: '2024-05-01T10:00:00Z' };
    writeFileSync(file, [JSON.stringify(good), JSON.stringify({ ...good, timestamp: 'yesterday' })].join('\n'));
    const report = await importEvents(store, { file });
    assert.deepEqual(report.skipped, { duplicate_message_id: 1, exact_duplicate: 0 });
    writeFileSync(file, [JSON.stringify({ ...good, messageId: 'm-2' }), JSON.stringify({ ...good, messageId: 'm-3', timestamp: 'yesterday' })].join('\n'));
    await rejectsWith(importEvents(store, { file }), /dup-bad\.jsonl:2: timestamp: cannot read "yesterday" as an ISO 8601 time/);
    assert.equal(Number(await store.scalar('SELECT count(*) FROM events')), 1);
    // The failed write ran with insertion order off; the session has it back (positions of the next file depend on it).
    assert.equal(await store.scalar(`SELECT current_setting('preserve_insertion_order')`), true);
  });
});

test('traits arriving over two imports merge as patches in time order: the latest value wins, a later null removes the key', async () => {
  await withStore(async (store, dir) => {
    const identify = (id: string, at: string, traits: Record<string, unknown>) =>
      JSON.stringify({ messageId: id, type: 'identify', userId: 'u-1', timestamp: at, traits });
    const first = join(dir, 'first.jsonl');
    writeFileSync(first, identify('i-1', '2024-05-01T10:00:00Z', { plan: 'free', city: 'Oslo', address: { zip: '0150', street: 'A' } }));
    await importEvents(store, { file: first });
    const second = join(dir, 'second.jsonl');
    // Out of time order in the file: i-3 (later) must win over i-2 for `plan`; i-3 removes `city`.
    writeFileSync(second, [
      identify('i-3', '2024-05-03T10:00:00Z', { plan: 'pro', city: null }),
      identify('i-2', '2024-05-02T10:00:00Z', { plan: 'team', city: 'Bergen', address: { street: 'B' } }),
    ].join('\n'));
    await importEvents(store, { file: second });
    const traits = await store.scalar<string>(`SELECT traits FROM customers WHERE customer_id = 'u-1'`);
    assert.deepEqual(JSON.parse(traits!), { plan: 'pro', address: { zip: '0150', street: 'B' } });
  });
});

test('customers built in several buckets of documents get the same traits and consent as in one', async () => {
  await withStore(async (store, dir) => {
    const file = join(dir, 'many.jsonl');
    const lines: string[] = [];
    for (let c = 0; c < 12; c++) {
      for (let k = 0; k < 3; k++) {
        lines.push(JSON.stringify({ messageId: `i-${c}-${k}`, type: 'identify', userId: `u-${c}`, anonymousId: `a-${c}`, timestamp: `2024-05-0${k + 1}T10:00:00Z`,
          traits: { plan: `p${k}`, [`k${k}`]: c }, context: { consent: { marketing: k % 2 === 0 } } }));
      }
    }
    writeFileSync(file, lines.join('\n'));
    const customers = `SELECT customer_id, traits::VARCHAR AS traits, consent::VARCHAR AS consent FROM customers ORDER BY customer_id`;
    await importEvents(store, { file });
    const once = await store.rows(customers);
    const other = await Store.open(':memory:');
    try {
      // 72 documents (36 traits, 36 consent) in buckets of at most 5 → 15 grouping statements.
      await importEvents(other, { file, docsPerBucket: 5 });
      assert.deepEqual(await other.rows(customers), once);
    } finally {
      other.close();
    }
    assert.equal(once.length, 12);
    assert.deepEqual(JSON.parse((once[0] as { traits: string }).traits), { plan: 'p2', k0: 0, k1: 0, k2: 0 });
    assert.deepEqual(JSON.parse((once[0] as { consent: string }).consent), { marketing: true });
  });
});
