import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { piiHash } from '../../events/index.js';
import { Store } from '../../store/db.js';
import type { Io } from '../output.js';
import { importCommand } from './import.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-import-'));
// The command reads serve's SEGMENTA_PII_* settings: the tests start from none and set them themselves.
const PII_ENV = ['SEGMENTA_PII_SECRET', 'SEGMENTA_PII_TRAITS', 'SEGMENTA_STORE_RAW_PII', 'SEGMENTA_CONFIG'] as const;
const savedEnv = PII_ENV.map((name) => [name, process.env[name]] as const);
for (const name of PII_ENV) delete process.env[name];
after(() => {
  for (const [name, value] of savedEnv) if (value === undefined) delete process.env[name]; else process.env[name] = value;
  rmSync(dir, { recursive: true, force: true });
});

const io: Io = { out: () => undefined, err: () => undefined, interactive: false };
const events = join(dir, 'events.jsonl');
writeFileSync(events, `${JSON.stringify({ type: 'identify', messageId: 'i-1', userId: 'u-1', timestamp: '2024-05-01T10:00:00Z',
  traits: { email: 'Ann@Example.com', phone: '+44 1', plan: 'pro' } })}\n`);

async function storedTraits(db: string): Promise<Record<string, unknown>> {
  const store = await Store.open(db, { readOnly: true });
  try {
    return JSON.parse((await store.scalar<string>(`SELECT traits FROM events WHERE message_id = 'i-1'`))!) as Record<string, unknown>;
  } finally {
    store.close();
  }
}

describe('segmenta import events: the PII flags of segmenta serve', () => {
  it('--pii-secret and --pii-traits choose the secret and the traits hashed', async () => {
    const db = join(dir, 'flags.duckdb');
    assert.equal(await importCommand.run(['events', events, '--db', db, '--pii-secret', 'cli-secret', '--pii-traits', 'email'], io), 0);
    assert.deepEqual(await storedTraits(db), { email: piiHash('cli-secret', 'email', 'ann@example.com'), phone: '+44 1', plan: 'pro' });
  });

  it('without flags the secret kept in the database is used', async () => {
    const db = join(dir, 'stored.duckdb');
    assert.equal(await importCommand.run(['events', events, '--db', db], io), 0);
    const store = await Store.open(db, { readOnly: true });
    const secret = await store.scalar<string>(`SELECT value FROM server_settings WHERE name = 'pii_secret'`).finally(() => store.close());
    assert.deepEqual(await storedTraits(db), { email: piiHash(secret!, 'email', 'ann@example.com'), phone: piiHash(secret!, 'phone', '+44 1'), plan: 'pro' });
  });

  it('SEGMENTA_PII_SECRET and SEGMENTA_PII_TRAITS count as they do for segmenta serve, below the flags', async () => {
    process.env.SEGMENTA_PII_SECRET = 'env-secret';
    process.env.SEGMENTA_PII_TRAITS = 'phone';
    try {
      const db = join(dir, 'env.duckdb');
      assert.equal(await importCommand.run(['events', events, '--db', db, '--pii-traits', 'email,phone'], io), 0);
      assert.deepEqual(await storedTraits(db), { email: piiHash('env-secret', 'email', 'ann@example.com'), phone: piiHash('env-secret', 'phone', '+44 1'), plan: 'pro' });
    } finally {
      delete process.env.SEGMENTA_PII_SECRET;
      delete process.env.SEGMENTA_PII_TRAITS;
    }
  });

  it('--store-raw-pii keeps the traits as they are', async () => {
    const db = join(dir, 'raw.duckdb');
    assert.equal(await importCommand.run(['events', events, '--db', db, '--store-raw-pii'], io), 0);
    assert.deepEqual(await storedTraits(db), { email: 'Ann@Example.com', phone: '+44 1', plan: 'pro' });
  });

  it('a PII flag on import orders is refused, naming the flag', async () => {
    await assert.rejects(importCommand.run(['orders', events, '--db', join(dir, 'orders.duckdb'), '--store-raw-pii'], io),
      (error) => error instanceof InputError && error.message === 'import orders: --store-raw-pii applies to import events only (orders carry no traits)');
  });
});
