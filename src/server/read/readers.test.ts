/**
 * The server's read connections over a real (in-memory) DuckDB: a read sees one snapshot however long it takes and
 * never the writer's open transaction, no more than `size` connections run at once, and close() waits for running
 * reads and refuses new ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../store/db.js';
import { ReadConnections } from './readers.js';

const count = (store: Store): Promise<number | undefined> => store.scalar<number>('SELECT count(*) FROM products');

test('a read sees the data committed when it began, not the writer\'s open transaction nor a commit made meanwhile', async () => {
  const store = await Store.open(':memory:');
  const readers = new ReadConnections(store);
  try {
    await store.transaction(async () => {
      await store.run(`INSERT INTO products VALUES ('p1', 'a', 'c', 1.0)`);
      assert.equal(await readers.use(count), 0);
    });
    const seen = await readers.use(async (reader) => {
      const first = await count(reader);
      await store.run(`INSERT INTO products VALUES ('p2', 'a', 'c', 1.0)`);
      return [first, await count(reader)];
    });
    assert.deepEqual(seen, [1, 1]);
    assert.equal(await readers.use(count), 2);
  } finally {
    await readers.close();
    store.close();
  }
});

test('no more than `size` reads run at once; the next waits for one to finish', async () => {
  const store = await Store.open(':memory:');
  const readers = new ReadConnections(store, 2);
  try {
    let running = 0;
    let most = 0;
    const read = () => readers.use(async (reader) => {
      running++;
      most = Math.max(most, running);
      await count(reader);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
    });
    await Promise.all([read(), read(), read(), read(), read()]);
    assert.equal(most, 2);
  } finally {
    await readers.close();
    store.close();
  }
});

test('close() waits for the running read and refuses new ones with 503 shutting_down', async () => {
  const store = await Store.open(':memory:');
  const readers = new ReadConnections(store, 1);
  let finished = false;
  const running = readers.use(async (reader) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    finished = (await count(reader)) === 0;
  });
  const waiting = assert.rejects(readers.use(count), { status: 503, code: 'shutting_down' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  await readers.close();
  assert.equal(finished, true, 'the running read finished before close() returned');
  await running;
  await waiting;
  await assert.rejects(readers.use(count), { status: 503, code: 'shutting_down' });
  store.close();
});
