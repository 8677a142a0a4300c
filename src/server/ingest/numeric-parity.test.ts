/**
 * Numbers given as text, two doors: the HTTP API's validation (`normaliseMessage`, which reads numbers with
 * `events/numeric-text.ts`) must accept exactly the text the file importer accepts, and read the same number.
 * The reference is DuckDB itself, run here: the importer checks and stores a numeric property with
 * `try_cast(json_extract_string(properties, '$.price') AS DOUBLE)` and a product's price with
 * `try_cast(p ->> '$.price' AS DOUBLE)` (store/import/event-checks.ts, events.ts), so those expressions decide.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Store } from '../../store/db.js';
import { normaliseMessage } from './normalize.js';

/** Text DuckDB's cast reads but the server, and the importer's checks, refuse on purpose (see `events/numeric-text.ts`). */
const REFUSED_ON_PURPOSE: Readonly<Record<string, string>> = {
  'inf': 'non-finite', 'Infinity': 'non-finite', '-inf': 'non-finite', '+inf': 'non-finite', 'InFiNiTy': 'non-finite',
  'Infinity ': 'non-finite', 'nan': 'non-finite', 'NaN': 'non-finite', '-nan': 'non-finite', '1e400': 'non-finite (overflow)',
  '1_000': 'digit separator', '-1_0': 'digit separator', '1.0_5': 'digit separator', '1e1_0': 'digit separator',
};

const CASES: readonly string[] = [
  // The list asked about.
  '0x1A', ' 12 ', '1e3', '.5', '5.', 'inf', 'nan', '', '+3',
  // JavaScript's Number() reads these; DuckDB does not.
  '0b1', '0o7', '0X1A', '0x', ' ', '\u00a012', '12\u00a0', '\u20031',
  // Decimal forms.
  '-0', '0012', '00.5', '-.5', '+.5e-2', '1.e3', '1E+2', '1e-3', '1e-400', '\t7\n', '\v3', '3\f', '\r3', '1.5E3 ',
  // Not numbers anywhere.
  '.', '-.', '+', '-', '1e', 'e3', '1e+', '1,5', '1 2', '+ 3', '--1', '1.2.3', '1ee3', '12abc', '1d', '5\u0000',
  '٣', '１２', 'true',
  // Accepted by DuckDB only.
  ...Object.keys(REFUSED_ON_PURPOSE).filter((s) => !['inf', 'nan'].includes(s)),
];

let store: Store;
before(async () => {
  store = await Store.open(':memory:');
});
after(() => store.close());

function throughServer(properties: Record<string, unknown>): { ok: boolean; price: number | null } {
  const message = { type: 'track', event: 'Order Completed', userId: 'u-1', messageId: 'm-1', timestamp: '2026-01-02T03:04:05Z', properties: { order_id: 'o-1', ...properties } };
  const result = normaliseMessage(message, { receivedAt: new Date('2026-01-02T03:04:06Z'), importId: 'api' }, 'body');
  return { ok: result.ok, price: result.ok ? result.row.price : null };
}

async function throughDuckDb(text: string): Promise<{ property: number | null; line: number | null }> {
  const rows = await store.rows<{ property: number | null; line: number | null }>(
    `SELECT try_cast(json_extract_string($p::JSON, '$.price') AS DOUBLE) AS property,
            try_cast((json_extract($p::JSON, '$.products[0]') ->> '$.price') AS DOUBLE) AS line`,
    { p: JSON.stringify({ price: text, products: [{ price: text }] }) },
  );
  return rows[0]!;
}

test('the server accepts a numeric property given as text exactly when DuckDB try_cast does, and reads the same number', async () => {
  const disagreements: string[] = [];
  for (const text of CASES) {
    const server = throughServer({ price: text });
    const duck = (await throughDuckDb(text)).property;
    const reason = REFUSED_ON_PURPOSE[text];
    if (reason !== undefined) {
      // Kept in the list so a DuckDB upgrade that stops reading these shows up here.
      assert.ok(duck !== null && !server.ok, `${JSON.stringify(text)}: DuckDB reads it (${duck}), the server refuses it (${reason})`);
      continue;
    }
    if (server.ok !== (duck !== null)) disagreements.push(`${JSON.stringify(text)}: server ${server.ok ? 'accepts' : 'refuses'}, DuckDB ${duck}`);
    else if (server.ok && !Object.is(server.price, duck)) disagreements.push(`${JSON.stringify(text)}: server reads ${server.price}, DuckDB ${duck}`);
  }
  assert.deepEqual(disagreements, []);
});

test('the server accepts a product price given as text exactly when DuckDB try_cast does', async () => {
  const disagreements: string[] = [];
  for (const text of CASES) {
    const server = throughServer({ products: [{ product_id: 'p-1', price: text }] });
    const duck = (await throughDuckDb(text)).line;
    const agree = REFUSED_ON_PURPOSE[text] !== undefined ? duck !== null && !server.ok : server.ok === (duck !== null);
    if (!agree) disagreements.push(`${JSON.stringify(text)}: server ${server.ok ? 'accepts' : 'refuses'}, DuckDB ${duck}`);
  }
  assert.deepEqual(disagreements, []);
});

test('JSON numbers are read as they are, and a non-finite or non-number value is refused', () => {
  assert.equal(throughServer({ price: 19.5 }).price, 19.5);
  assert.equal(throughServer({ price: -0 }).price, -0);
  for (const value of [true, [1], { n: 1 }]) assert.equal(throughServer({ price: value }).ok, false, JSON.stringify(value));
});
