/**
 * `segmenta serve` settings: flags > SEGMENTA_* environment > config file > defaults, every bad value an InputError
 * naming its source, and secrets generated once, kept in the database and reported only on the start that made them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseServeArgs, resolveServeOptions } from './options.js';
import { startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('flags override the environment, which overrides the config file, which overrides defaults', () => {
  const yaml = join(dir, 'serve.yaml');
  writeFileSync(yaml, 'serve:\n  port: 7000\n  host: 127.0.0.1\n  writeKeys: [file-key]\n  adminToken: file-admin\n  maxQueueEvents: 1234\n');
  const env = { SEGMENTA_CONFIG: yaml, SEGMENTA_PORT: '7100', SEGMENTA_ADMIN_TOKEN: 'env-admin' };
  const fromFile = resolveServeOptions({}, { SEGMENTA_CONFIG: yaml });
  assert.deepEqual([fromFile.port, fromFile.writeKeys, fromFile.adminToken, fromFile.maxQueueEvents], [7000, ['file-key'], 'file-admin', 1234]);
  const fromEnv = resolveServeOptions({}, env);
  assert.deepEqual([fromEnv.port, fromEnv.adminToken, fromEnv.writeKeys], [7100, 'env-admin', ['file-key']]);
  const fromFlags = parseServeArgs(['--port', '7200', '--write-key', 'a', '--write-key', 'b', '--store-raw-pii'], env);
  assert.deepEqual([fromFlags.port, fromFlags.writeKeys, fromFlags.adminToken, fromFlags.storeRawPii], [7200, ['a', 'b'], 'env-admin', true]);
  const defaults = resolveServeOptions({}, {});
  assert.deepEqual([defaults.port, defaults.host, defaults.writeKeys, defaults.piiTraits], [8088, '127.0.0.1', [], ['email', 'phone', 'name']]);
});

test('the live cache bound comes from --live-cache, SEGMENTA_LIVE_CACHE or the config file, default 100,000 customers', () => {
  assert.equal(resolveServeOptions({}, {}).liveCacheCustomers, 100_000);
  assert.equal(resolveServeOptions({}, { SEGMENTA_LIVE_CACHE: '20_000' }).liveCacheCustomers, 20_000);
  assert.equal(parseServeArgs(['--live-cache', '500'], { SEGMENTA_LIVE_CACHE: '20000' }).liveCacheCustomers, 500);
  const json = join(dir, 'cache.json');
  writeFileSync(json, JSON.stringify({ liveCacheCustomers: 3000 }));
  assert.equal(resolveServeOptions({ config: json }, {}).liveCacheCustomers, 3000);
  assert.throws(() => parseServeArgs(['--live-cache', '0'], {}), { name: 'InputError', message: 'flag liveCacheCustomers must be a whole number between 1 and 100000000 (got "0")' });
});

test('DuckDB\'s threads while serving come from --duckdb-threads, SEGMENTA_DUCKDB_THREADS or the config file, default one fewer than the cores', () => {
  assert.equal(resolveServeOptions({}, {}).duckdbThreads, Math.max(1, availableParallelism() - 1));
  assert.equal(resolveServeOptions({}, { SEGMENTA_DUCKDB_THREADS: '3' }).duckdbThreads, 3);
  assert.equal(parseServeArgs(['--duckdb-threads', '2'], { SEGMENTA_DUCKDB_THREADS: '3' }).duckdbThreads, 2);
  const json = join(dir, 'threads.json');
  writeFileSync(json, JSON.stringify({ duckdbThreads: 4 }));
  assert.equal(resolveServeOptions({ config: json }, {}).duckdbThreads, 4);
  assert.throws(() => parseServeArgs(['--duckdb-threads', '0'], {}), { name: 'InputError', message: 'flag duckdbThreads must be a whole number between 1 and 1024 (got "0")' });
});

test('bad values are errors that name the source and the value', () => {
  assert.throws(() => parseServeArgs(['--port', 'eighty'], {}), { name: 'InputError', message: 'flag port must be a whole number between 0 and 65535 (got "eighty")' });
  assert.throws(() => resolveServeOptions({}, { SEGMENTA_STORE_RAW_PII: 'maybe' }), { message: 'environment storeRawPii must be true or false (got "maybe")' });
  assert.throws(() => parseServeArgs(['--bogus'], {}), { name: 'InputError', message: /segmenta serve: Unknown option '--bogus'/ });
  const json = join(dir, 'bad.json');
  writeFileSync(json, JSON.stringify({ port: 1, colour: 'blue' }));
  assert.throws(() => resolveServeOptions({ config: json }, {}), { message: new RegExp(`config file ${json}: unknown setting colour`) });
  assert.throws(() => resolveServeOptions({ config: join(dir, 'missing.yaml') }, {}), { message: /does not exist/ });
});

test('with no write key or admin token configured, they are generated on the first start only and kept', async () => {
  const db = join(dir, 'secrets.duckdb');
  const first = await startServer({ db, port: 0, logLevel: 'silent' });
  await first.close();
  assert.match(first.generated.writeKey ?? '', /^wk_[A-Za-z0-9_-]{32}$/);
  assert.match(first.generated.adminToken ?? '', /^adm_/);
  const second = await startServer({ db, port: 0, logLevel: 'silent' });
  try {
    assert.deepEqual(second.generated, {});
    assert.equal(second.writeKey, first.writeKey);
    const r = await fetch(`${second.url}/v1/track`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'u', event: 'E' }),
    });
    assert.equal(r.status, 200);
  } finally {
    await second.close();
  }
});
