import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from './db.js';
import { MIGRATIONS } from './migrations.js';
import { withSessionSetting } from './import/source.js';

test('Store.open migrates a new file and reopening applies nothing twice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-db-'));
  try {
    const path = join(dir, 'a.duckdb');
    const first = await Store.open(path);
    assert.equal(await first.scalar<number>('SELECT max(version) FROM schema_migrations'), MIGRATIONS.at(-1)!.version);
    first.close();
    const second = await Store.open(path);
    assert.equal(await second.scalar<number>('SELECT count(*) FROM schema_migrations'), MIGRATIONS.length);
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new database stores events with the stated column compressions; one that holds events keeps its table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-db-'));
  const compressions = async (store: Store): Promise<Record<string, string[]>> => {
    const rows = await store.rows<{ column_name: string; compression: string }>(`SELECT DISTINCT column_name, compression
      FROM pragma_storage_info('events') WHERE segment_type <> 'VALIDITY' AND column_name IN ('message_id', 'context')`);
    const out: Record<string, string[]> = {};
    for (const r of rows) (out[r.column_name] ??= []).push(r.compression);
    return out;
  };
  try {
    const path = join(dir, 'c.duckdb');
    const store = await Store.open(path);
    // Unique contexts, on which DuckDB's own analysis picks FSST or no compression: forced, a dictionary.
    await store.run(`INSERT INTO events (message_id, type, user_id, ts, context, import_id)
      SELECT 'm-' || i, 'track', 'u-' || (i % 50), TIMESTAMP '2026-01-01' + to_seconds(i), ('{"ip":"10.0.' || i || '"}')::JSON, 'test'
      FROM range(5000) r(i)`);
    await store.run('CHECKPOINT');
    assert.deepEqual(await compressions(store), { message_id: ['FSST'], context: ['Dictionary'] });
    // A database migrated before version 8 with events stored: the rebuild is skipped, the rows stay.
    await store.run('DELETE FROM schema_migrations WHERE version = 8');
    store.close();
    const again = await Store.open(path);
    assert.equal(await again.scalar<number>('SELECT count(*) FROM events'), 5000);
    assert.equal(await again.scalar<number>('SELECT max(version) FROM schema_migrations'), MIGRATIONS.at(-1)!.version);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Store.transaction rolls back everything when the work throws', async () => {
  const store = await Store.open(':memory:');
  try {
    await assert.rejects(
      store.transaction(async () => {
        await store.run(`INSERT INTO products VALUES ('p1', 'a', 'c', 1.0)`);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await store.scalar<number>('SELECT count(*) FROM products'), 0);
  } finally {
    store.close();
  }
});

test('Store.readMatrix reads numeric columns row-major with NULL as NaN', async () => {
  const store = await Store.open(':memory:');
  try {
    const m = await store.readMatrix(`SELECT * FROM (VALUES ('a', 1.5, 2), ('b', NULL, 4)) t(id, x, y)`);
    assert.deepEqual(m.ids, ['a', 'b']);
    assert.deepEqual(m.columns, ['x', 'y']);
    assert.deepEqual(Array.from(m.values), [1.5, 2, NaN, 4]);
  } finally {
    store.close();
  }
});

test('Store.afterTransaction runs its work once the transaction is rolled back, where an aborted one refuses it', async () => {
  const store = await Store.open(':memory:');
  try {
    const order: string[] = [];
    await assert.rejects(store.transaction(async () => {
      await store.afterTransaction(async () => {
        order.push(`after (in transaction: ${store.inTransaction})`);
        await store.run(`SET preserve_insertion_order = true`);
      });
      await store.run(`SET preserve_insertion_order = false`);
      await store.run(`SELECT error('boom')`).catch(() => undefined);
      // DuckDB has aborted the transaction: statements fail until the rollback.
      await assert.rejects(store.run(`SET preserve_insertion_order = true`));
      order.push('work failed');
      throw new Error('work failed');
    }), /work failed/);
    assert.deepEqual(order, ['work failed', 'after (in transaction: false)']);
    assert.equal(await store.scalar(`SELECT current_setting('preserve_insertion_order')`), true);
    let ran = false;
    await store.afterTransaction(async () => { ran = true; });
    assert.equal(ran, true);
  } finally {
    store.close();
  }
});

test('Store.connectAnother reads only committed data and closing it leaves the database open', async () => {
  const store = await Store.open(':memory:');
  try {
    const reader = await store.connectAnother();
    await store.transaction(async () => {
      await store.run(`INSERT INTO products VALUES ('p1', 'a', 'c', 1.0)`);
      assert.equal(await reader.scalar<number>('SELECT count(*) FROM products'), 0, 'the writer\'s open transaction is not seen');
    });
    assert.equal(await reader.scalar<number>('SELECT count(*) FROM products'), 1, 'the commit is seen by the next statement');
    reader.close();
    assert.equal(await store.scalar<number>('SELECT count(*) FROM products'), 1);
  } finally {
    store.close();
  }
});

test('Store.transactionScript commits every statement of the script, or none when one fails', async () => {
  const store = await Store.open(':memory:');
  try {
    await store.transactionScript([`INSERT INTO products VALUES ('p1', 'a', 'c', 1.0)`, `INSERT INTO products VALUES ('p2', 'b', 'c', 2.0)`]);
    assert.equal(await store.scalar<number>('SELECT count(*) FROM products'), 2);
    // The second statement breaks the primary key: the first one's row must not stay either.
    await assert.rejects(
      store.transactionScript([`INSERT INTO products VALUES ('p3', 'a', 'c', 1.0)`, `INSERT INTO products VALUES ('p1', 'dup', 'c', 1.0)`, `INSERT INTO products VALUES ('p4', 'd', 'c', 1.0)`]),
      /p1/,
    );
    assert.equal(store.inTransaction, false);
    assert.deepEqual((await store.rows<{ product_id: string }>('SELECT product_id FROM products ORDER BY 1')).map((r) => r.product_id), ['p1', 'p2']);
    // The connection is out of the failed transaction: the next script and a plain transaction both work.
    await store.transactionScript([`INSERT INTO products VALUES ('p5', 'e', 'c', 1.0)`]);
    await store.transaction(() => store.run(`INSERT INTO products VALUES ('p6', 'f', 'c', 1.0)`));
    assert.equal(await store.scalar<number>('SELECT count(*) FROM products'), 4);
    await assert.rejects(store.transaction(() => store.transactionScript([`SELECT 1`])), /cannot join/);
  } finally {
    store.close();
  }
});

test('Store.open takes DuckDB\'s thread count; withSessionSetting raises it for a piece of work and puts it back, after a failure too', async () => {
  const store = await Store.open(':memory:', { threads: 1 });
  const threads = async (): Promise<number> => Number(await store.scalar(`SELECT current_setting('threads')`));
  try {
    assert.equal(await threads(), 1);
    assert.equal(await withSessionSetting(store, 'threads', '2', threads), 2);
    assert.equal(await threads(), 1);
    await assert.rejects(store.transaction(() => withSessionSetting(store, 'threads', '2', async () => {
      await store.run(`SELECT error('boom')`);
    })), /boom/);
    assert.equal(await threads(), 1, 'restored once the failed transaction rolled back');
  } finally {
    store.close();
  }
});
