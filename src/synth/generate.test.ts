import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { quoteLiteral } from '../store/db.js';
import { generateShop, type GenerateReport } from './generate.js';
import { PERSONAS } from './personas.js';
import { TsvSink } from './sink.js';

const N = 300;
const root = mkdtempSync(join(tmpdir(), 'segmenta-synth-'));
const dirA = join(root, 'a');
const dirB = join(root, 'b');
const dirC = join(root, 'c');
let reportA: GenerateReport;
let reportB: GenerateReport;
let instance: DuckDBInstance;
let db: DuckDBConnection;

before(async () => {
  reportA = await generateShop({ customers: N, seed: 7, out: dirA, chunkSize: 120 });
  reportB = await generateShop({ customers: N, seed: 7, out: dirB, chunkSize: 75 });
  await generateShop({ customers: N, seed: 8, out: dirC, chunkSize: 120 });
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await db.run(`CREATE TABLE ev AS SELECT * FROM read_parquet(${quoteLiteral(join(dirA, 'events', '*.parquet'))});
    CREATE TABLE ord AS SELECT * FROM read_parquet(${quoteLiteral(join(dirA, 'orders', '*.parquet'))});
    CREATE TABLE truth AS SELECT * FROM read_csv(${quoteLiteral(join(dirA, 'truth.csv'))}, header = true);
    CREATE TABLE idmap AS SELECT anon, min(uid) AS uid, count(DISTINCT uid) AS owners FROM (
      SELECT anonymousId AS anon, userId AS uid FROM ev WHERE anonymousId IS NOT NULL AND userId IS NOT NULL
      UNION SELECT previousId, userId FROM ev WHERE type = 'alias') GROUP BY anon;
    CREATE TABLE res AS SELECT ev.*, coalesce(ev.userId, m.uid) AS cid FROM ev LEFT JOIN idmap m ON m.anon = ev.anonymousId;`);
});

after(() => {
  db?.closeSync();
  instance?.closeSync();
  rmSync(root, { recursive: true, force: true });
});

async function scalar(sql: string): Promise<unknown> {
  const reader = await db.runAndReadAll(sql);
  return reader.getColumnsJS()[0]?.[0];
}

/** md5 over every row of a table read from Parquet, rows sorted by their text (row order in files may differ). */
async function digest(dir: string, table: 'events' | 'orders' | 'products'): Promise<string> {
  const path = quoteLiteral(table === 'products' ? join(dir, 'products.parquet') : join(dir, table, '*.parquet'));
  return String(await scalar(`SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (SELECT CAST(t AS VARCHAR) AS r FROM read_parquet(${path}) t)`));
}

test('generateShop with the same seed writes the same rows, whatever the chunk size', async () => {
  for (const table of ['events', 'orders', 'products'] as const) {
    assert.equal(await digest(dirA, table), await digest(dirB, table), `${table} differ`);
  }
  assert.equal(readFileSync(join(dirA, 'truth.csv'), 'utf8'), readFileSync(join(dirB, 'truth.csv'), 'utf8'));
  assert.deepEqual({ ...reportA, elapsedMs: 0, peakRssBytes: 0, parts: 0 }, { ...reportB, elapsedMs: 0, peakRssBytes: 0, parts: 0 });
});

test('generateShop with another seed writes different rows', async () => {
  for (const table of ['events', 'orders'] as const) assert.notEqual(await digest(dirA, table), await digest(dirC, table));
  assert.notEqual(readFileSync(join(dirA, 'truth.csv'), 'utf8'), readFileSync(join(dirC, 'truth.csv'), 'utf8'));
});

test('truth.csv lists every customer once with a valid persona', async () => {
  const lines = readFileSync(join(dirA, 'truth.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'customer_id,persona');
  const ids = new Set<string>();
  for (const line of lines.slice(1)) {
    const [id, persona] = line.split(',');
    assert.ok(PERSONAS.includes(persona as never), `unknown persona ${persona}`);
    ids.add(id!);
  }
  assert.equal(ids.size, N);
  assert.equal(lines.length - 1, N);
  assert.equal(Object.values(reportA.personas).reduce((a, b) => a + b, 0), N);
});

test('every customer has a page view; every persona but window shoppers orders, window shoppers at most once', async () => {
  assert.equal(await scalar(`SELECT count(*) FROM truth t WHERE NOT EXISTS (SELECT 1 FROM res WHERE cid = t.customer_id AND type = 'page')`), 0n);
  const bad = await scalar(`SELECT count(*) FROM truth t LEFT JOIN (SELECT customer_id, count(DISTINCT order_id) n FROM ord GROUP BY 1) o USING (customer_id)
    WHERE (t.persona = 'window_shoppers' AND coalesce(o.n, 0) > 1) OR (t.persona <> 'window_shoppers' AND coalesce(o.n, 0) = 0)`);
  assert.equal(bad, 0n);
});

test('identity resolution links every anonymous event to exactly one known customer', async () => {
  assert.equal(await scalar(`SELECT count(*) FROM res WHERE cid IS NULL`), 0n);
  assert.equal(await scalar(`SELECT count(*) FROM idmap WHERE owners <> 1`), 0n);
  assert.ok(Number(await scalar(`SELECT count(*) FROM ev WHERE userId IS NULL AND anonymousId IS NOT NULL`)) > 0, 'no anonymous events');
  assert.ok(Number(await scalar(`SELECT count(*) FROM ev WHERE type = 'alias' AND previousId IS NOT NULL`)) > 0, 'no alias events');
  assert.equal(await scalar(`SELECT count(*) FROM ev WHERE type = 'identify' AND (traits->>'email' IS NULL OR json_type(context, '$.consent.marketing') <> 'BOOLEAN')`), 0n);
});

test('every Order Completed event matches its lines in orders.parquet', async () => {
  await db.run(`CREATE TEMP TABLE oc AS SELECT userId, "timestamp" AS ts, properties->>'order_id' AS order_id,
      CAST(properties->>'revenue' AS DOUBLE) AS revenue, CAST(properties->>'discount' AS DOUBLE) AS discount,
      json_array_length(properties->'products') AS lines, properties->'products' AS products
    FROM ev WHERE event = 'Order Completed'`);
  assert.equal(await scalar(`SELECT count(*) FROM oc`), await scalar(`SELECT count(DISTINCT order_id) FROM ord`));
  assert.equal(await scalar(`SELECT count(*) FROM oc`), BigInt(reportA.orders));
  const mismatches = await scalar(`SELECT count(*) FROM oc FULL JOIN (
      SELECT order_id, any_value(customer_id) AS customer_id, any_value(ordered_at) AS ordered_at, count(*) AS lines,
        sum(quantity * unit_price - discount) AS revenue, sum(discount) AS discount,
        count(DISTINCT customer_id) AS customers
      FROM ord GROUP BY order_id) o USING (order_id)
    WHERE o.order_id IS NULL OR oc.order_id IS NULL OR o.customers <> 1 OR oc.userId <> o.customer_id OR oc.ts <> o.ordered_at
      OR oc.lines <> o.lines OR abs(oc.revenue - o.revenue) > 0.005 OR abs(oc.discount - o.discount) > 0.005`);
  assert.equal(mismatches, 0n);
  const lineMismatches = await scalar(`SELECT count(*) FROM (
      SELECT order_id, unnest(from_json(products, '[{"product_id":"VARCHAR","price":"DOUBLE","quantity":"INTEGER"}]'), recursive := true) FROM oc) e
    ANTI JOIN ord o ON o.order_id = e.order_id AND o.product_id = e.product_id AND o.unit_price = e.price AND o.quantity = e.quantity`);
  assert.equal(lineMismatches, 0n);
  assert.equal(await scalar(`SELECT count(*) FROM ord WHERE discount < 0 OR discount > quantity * unit_price OR quantity < 1`), 0n);
});

test('messageIds, order ids and session ids are unique', async () => {
  assert.equal(await scalar(`SELECT count(*) - count(DISTINCT messageId) FROM ev`), 0n);
  assert.equal(await scalar(`SELECT count(*) - count(DISTINCT properties->>'order_id') FROM ev WHERE event = 'Order Completed'`), 0n);
  assert.equal(await scalar(`SELECT count(*) FROM (SELECT context->>'sessionId' s FROM res WHERE s IS NOT NULL GROUP BY s HAVING count(DISTINCT cid) > 1)`), 0n);
});

test('every timestamp lies inside the window and the as-of date is the midnight after the last event', async () => {
  const outside = await scalar(`SELECT count(*) FROM ev WHERE "timestamp" < TIMESTAMP '2025-01-01' OR "timestamp" >= TIMESTAMP '2026-01-01'`);
  assert.equal(outside, 0n);
  assert.equal(await scalar(`SELECT count(*) FROM ord WHERE ordered_at < TIMESTAMP '2025-01-01' OR ordered_at >= TIMESTAMP '2026-01-01'`), 0n);
  const last = (await scalar(`SELECT epoch_ms(max("timestamp")) FROM ev`)) as bigint;
  assert.equal(reportA.asOf, new Date((Math.floor(Number(last) / 86_400_000) + 1) * 86_400_000).toISOString());
});

test('generateShop writes one part per chunk of customers, each holding only its own customers', async () => {
  assert.deepEqual(readdirSync(join(dirA, 'events')).sort(), ['part-00001.parquet', 'part-00002.parquet', 'part-00003.parquet']);
  assert.equal(reportB.parts, 4);
  const overlap = await scalar(`SELECT count(*) FROM (SELECT customer_id FROM read_parquet(${quoteLiteral(join(dirA, 'orders', '*.parquet'))}, filename = true)
    GROUP BY customer_id HAVING count(DISTINCT filename) > 1)`);
  assert.equal(overlap, 0n);
  assert.ok(!readdirSync(dirA).includes('.synth-tmp'), 'temporary files left behind');
});

test('TsvSink flushes to disk while rows arrive, so a chunk never sits whole in memory', () => {
  const path = join(root, 'sink.tsv');
  const sink = new TsvSink(path);
  const row = ['x'.repeat(1000), 1, null];
  for (let i = 0; i < 12_000; i++) sink.row(row);
  assert.ok(statSync(path).size > 0, 'nothing flushed before close');
  sink.close();
  assert.equal(statSync(path).size, 12_000 * 1004);
});

test('generateShop rejects bad options with every problem named', async () => {
  await assert.rejects(generateShop({ customers: 0, seed: 1.5, out: join(root, 'bad'), days: 30 }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.deepEqual(error.issues.map((i) => i.path), ['customers', 'seed', 'days']);
    assert.match(error.message, /customers must be a positive integer \(got 0\)/);
    return true;
  });
});
