/**
 * Events import: a file of Segment messages (JSONL, CSV or Parquet, optionally gzipped) → `events`,
 * `identity_links`, `identities`, `customers` (first/last seen, traits, consent), and, from `Order Completed`,
 * `orders`/`order_lines`/`products`; one transaction, all or nothing. Retries are safe: a messageId seen before
 * is skipped, and so is an exact copy of an event under a new messageId; both are counted with examples.
 * Traits named as PII are stored hashed, with the server's secret and canonical form (pii.ts), unless the
 * operator opts in to raw storage.
 */
import { resolve } from 'node:path';
import { silentProgress, type Progress } from '../../core/progress.js';
import { DEFAULT_PII_TRAITS } from '../../events/index.js';
import type { Store } from '../db.js';
import { secret } from '../secrets.js';
import { checkEvents, contractGuard, isContractViolation } from './event-checks.js';
import { writeEventOrders } from './event-orders.js';
import { EVENTS_SOURCE, mayHaveKey, openEventSource } from './events-source.js';
import { resolveIdentities, withResolvedCustomer } from './identities.js';
import { piiColumns, type PiiColumns } from './pii.js';
import { newImportId, recordImport, type ImportReport } from './report.js';
import { dropTemp, readWithGzipCheck, formatOf, requireFile, withSessionSetting, withUtcSession, wrapReadError, type FileFormat } from './source.js';

export interface ImportEventsOptions {
  readonly file: string;
  /** Defaults to the file's extension (`.jsonl`/`.ndjson`/`.json`, `.csv`, `.parquet`, each optionally `.gz`). */
  readonly format?: 'jsonl' | 'csv' | 'parquet';
  readonly progress?: Progress;
  readonly importId?: string;
  readonly now?: () => Date;
  /** Customers (and their traits/consent documents) per statement when writing customers (default 250,000; small in tests, to run several). */
  readonly docsPerBucket?: number;
  /**
   * Traits (in `traits` and `context.traits`, any key case) stored as `hmac-sha256:<hex>`, as the server stores them
   * (`segmenta serve --pii-traits`); default email, phone, name.
   */
  readonly piiTraits?: readonly string[];
  /** Store PII traits as they are in the file: the operator's explicit opt-in (`--store-raw-pii`). */
  readonly storeRawPii?: boolean;
  /**
   * The hashing secret (`--pii-secret`); default the one kept in the database, created there when there is none,
   * as `segmenta serve` does, so both doors give an address the same hash.
   */
  readonly piiSecret?: string;
}

const DUPS = 'import_events_dups';
const REPEATS = 'import_events_repeats';
const DOCS = 'import_customer_docs';
const DOC_ROWS = 'import_customer_doc_rows';
const SPANS = 'import_customer_spans';
/** Bounds the memory of building the customers' patch lists (see updateCustomers). */
const DOCS_PER_BUCKET = 250_000;
const EXAMPLES = 5;

/**
 * Imports a file of events. Cost (Parquet): the file is scanned in place — once per duplicate rule (narrow
 * columns), once to check and write `events` — and the rest (identity links, orders, products,
 * customers) reads the rows just written. JSONL and CSV are first parsed once into a temp table. Throws
 * `InputError` naming file:line (or part file and row), field and value for a message that breaks the contract
 * (events/contract.ts); nothing is written then. PII traits are hashed in the same write (see pii.ts).
 */
export async function importEvents(store: Store, options: ImportEventsOptions): Promise<ImportReport> {
  const file = resolve(options.file);
  requireFile(file, 'events');
  const format: FileFormat = options.format ?? formatOf(file, ['jsonl', 'csv', 'parquet']);
  // Inside a caller's transaction a failed statement would abort it, leaving no way to read the details:
  // the contract is then checked before writing.
  const checkFirst = store.inTransaction;
  try {
    return await withUtcSession(store, () => store.transaction(() => writeEvents(store, options, file, format, checkFirst)));
  } catch (error) {
    if (checkFirst || !isContractViolation(error)) throw error;
    // The write stopped at a bad message and was rolled back; read what is wrong, for the error.
    await withUtcSession(store, () => store.transaction(async () => {
      const source = await openEventSource(store, file, format);
      try {
        await checkEvents(store, file, source);
      } finally {
        await dropTemp(store, ...source.temps);
      }
    }));
    throw error;
  }
}

async function writeEvents(store: Store, options: ImportEventsOptions, file: string, format: FileFormat, checkFirst: boolean): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const progress = options.progress ?? silentProgress;
  const importId = options.importId ?? newImportId('events', started);
  let temps: readonly string[] = [EVENTS_SOURCE];
  try {
    progress.phase('importing events', 5);
    const source = await readWithGzipCheck(file, openEventSource(store, file, format));
    temps = source.temps;
    const rowsRead = source.rows;
    if (checkFirst) await checkEvents(store, file, source);
    progress.update(1, `${rowsRead} messages`);
    const dedup = await wrapReadError(file, () => deduplicate(store));
    progress.update(2, 'deduplicated');
    const anyDuplicates = dedup.duplicate_message_id + dedup.exact_duplicate > 0;
    // Rows skipped as duplicates are not written, so the write's guard does not check them: a retry of a
    // messageId is the same message, whatever it holds. (Checking them apart would cost a full extra pass: the
    // view computes every column before a filter on the position can apply.)
    const skip = anyDuplicates ? `WHERE pos NOT IN (SELECT pos FROM ${DUPS})` : '';
    // $1 is the import id; the PII columns bind their parameters after it.
    const pii = await piiOf(store, options, 2);
    // Row order in `events` means nothing (messages are located by their input position), and without it
    // DuckDB writes row groups in parallel and need not rewrite them at the next checkpoint (half the cost).
    const events = await withSessionSetting(store, 'preserve_insertion_order', 'false', () => wrapReadError(file, () => store.run(`INSERT INTO events (message_id, type, event, name, user_id, anonymous_id,
        previous_id, group_id, ts, received_at, session_id, product_id, product_name, category, price, quantity, order_id, revenue,
        discount, dwell_seconds, properties, traits, context, import_id)
      SELECT message_id, type, event, name, user_id, anonymous_id, previous_id, group_id, ts, ts_received,
        coalesce((context ->> '$.sessionId'), p_session_id), p_product_id, CASE WHEN p_product_id IS NOT NULL THEN p_name END, p_category,
        try_cast(p_price AS DOUBLE), try_cast(p_quantity AS DOUBLE), p_order_id,
        coalesce(try_cast(p_revenue AS DOUBLE), try_cast(p_total AS DOUBLE)),
        try_cast(p_discount AS DOUBLE), try_cast(p_dwell_seconds AS DOUBLE),
        properties, ${pii.traits}, ${pii.context}, ${contractGuard('$1')}
      FROM ${EVENTS_SOURCE} ${skip}`, [importId, ...pii.params]), isContractViolation));
    progress.update(3, `${events} events checked and written`);
    const identityLinks = await insertLinks(store, importId);
    const resolution = await resolveIdentities(store);
    progress.update(4, 'identities resolved');
    const customersBefore = Number(await store.scalar('SELECT count(*) FROM customers'));
    const orders = await writeEventOrders(store, importId);
    await updateCustomers(store, importId, options.docsPerBucket ?? DOCS_PER_BUCKET);
    const customers = Number(await store.scalar('SELECT count(*) FROM customers')) - customersBefore;
    const finished = now();
    const rowsSkipped = dedup.duplicate_message_id + dedup.exact_duplicate;
    const report: ImportReport = {
      importId, kind: 'events', source: file, format: file.toLowerCase().endsWith('.gz') ? `${format}.gz` : format,
      rowsRead, rowsWritten: events, rowsSkipped,
      skipped: { duplicate_message_id: dedup.duplicate_message_id, exact_duplicate: dedup.exact_duplicate },
      examples: dedup.examples,
      tables: { events, identity_links: identityLinks, identities: resolution.ids, customers, orders: orders.orders, order_lines: orders.lines, products: orders.products },
      flags: {},
      notes: { order_completed_already_stored: orders.alreadyStored, resolved_customers: resolution.customers },
      startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(),
    };
    await recordImport(store, report);
    progress.update(5);
    progress.done();
    return report;
  } finally {
    await dropTemp(store, ...temps, DUPS, REPEATS, DOC_ROWS, DOCS, SPANS);
  }
}

/**
 * Finds the rows not to write, into `import_events_dups(pos, message_id, reason)`: a messageId already stored or
 * seen earlier in the input → `duplicate_message_id`; else the same type, event, name, ids, time and properties
 * as a stored event or an earlier row → `exact_duplicate`. Each rule first groups narrow key columns; the wide
 * comparison runs only over the candidates it finds, and the rules against stored events only when there are any.
 */
async function deduplicate(store: Store): Promise<{ duplicate_message_id: number; exact_duplicate: number; examples: Record<string, string[]> }> {
  const src = EVENTS_SOURCE;
  const same = (a: string, b: string): string => `${a}.event IS NOT DISTINCT FROM ${b}.event AND ${a}.name IS NOT DISTINCT FROM ${b}.name
    AND ${a}.previous_id IS NOT DISTINCT FROM ${b}.previous_id AND ${a}.group_id IS NOT DISTINCT FROM ${b}.group_id
    AND ${a}.properties::VARCHAR IS NOT DISTINCT FROM ${b}.properties::VARCHAR`;
  const keyMatch = (a: string, b: string): string => `${a}.ts = ${b}.ts AND ${a}.type = ${b}.type
    AND coalesce(${a}.user_id, '') = coalesce(${b}.user_id, '') AND coalesce(${a}.anonymous_id, '') = coalesce(${b}.anonymous_id, '')`;
  const keyHash = (a: string): string => `hash(${a}.ts, ${a}.type, coalesce(${a}.user_id, ''), coalesce(${a}.anonymous_id, ''))`;
  const notYet = (a: string): string => `${a}.pos NOT IN (SELECT pos FROM ${DUPS})`;
  const storedEvents = await nonEmpty(store, 'events');
  await store.run(`CREATE OR REPLACE TEMP TABLE ${DUPS} (pos BIGINT, message_id VARCHAR, reason VARCHAR)`);

  // Grouping one 64-bit hash per row is cheaper than grouping the strings; rows whose hash repeats are the
  // candidates, compared exactly (a hash collision only adds a candidate). Both rules' hashes are grouped in one
  // scan of the input (a grouping set each): the key hashes then include rows that turn out to be messageId
  // repeats, which can only add candidates, and the exact comparison leaves those out.
  await store.run(`CREATE OR REPLACE TEMP TABLE ${REPEATS} AS
    SELECT id_hash, key_hash FROM (SELECT hash(message_id) AS id_hash, ${keyHash('s')} AS key_hash FROM ${src} s)
    GROUP BY GROUPING SETS ((id_hash), (key_hash)) HAVING count(*) > 1`);
  const repeated = async (column: string): Promise<boolean> => nonEmpty(store, `${REPEATS} WHERE ${column} IS NOT NULL`);
  if (await repeated('id_hash')) {
    await store.run(`INSERT INTO ${DUPS} SELECT pos, message_id, 'duplicate_message_id' FROM (
        SELECT pos, message_id, min(pos) OVER (PARTITION BY message_id) AS first
        FROM ${src} WHERE hash(message_id) IN (SELECT id_hash FROM ${REPEATS} WHERE id_hash IS NOT NULL))
      WHERE pos <> first`);
  }
  if (storedEvents) {
    await store.run(`INSERT INTO ${DUPS} SELECT s.pos, s.message_id, 'duplicate_message_id' FROM ${src} s
      WHERE s.message_id IN (SELECT message_id FROM events) AND ${notYet('s')}`);
  }
  if (await repeated('key_hash')) {
    // A row is an exact copy when an earlier row (not itself skipped) has the same key and content.
    await store.run(`INSERT INTO ${DUPS}
      WITH candidates AS (SELECT * FROM ${src} s WHERE ${keyHash('s')} IN (SELECT key_hash FROM ${REPEATS} WHERE key_hash IS NOT NULL) AND ${notYet('s')})
      SELECT DISTINCT r.pos, r.message_id, 'exact_duplicate' FROM candidates r JOIN candidates f
        ON ${keyMatch('r', 'f')} AND f.pos < r.pos WHERE ${same('r', 'f')}`);
  }
  if (storedEvents) {
    await store.run(`INSERT INTO ${DUPS}
      SELECT DISTINCT s.pos, s.message_id, 'exact_duplicate' FROM ${src} s JOIN events e ON ${keyMatch('s', 'e')}
      WHERE ${same('s', 'e')} AND ${notYet('s')}`);
  }

  const counts = await store.rows<{ reason: string; n: number }>(`SELECT reason, count(*) AS n FROM ${DUPS} GROUP BY reason`);
  const count = (reason: string): number => Number(counts.find((c) => c.reason === reason)?.n ?? 0);
  const examples = await store.rows<{ reason: string; pos: number; message_id: string }>(`
    SELECT reason, pos, message_id FROM ${DUPS} QUALIFY row_number() OVER (PARTITION BY reason ORDER BY pos) <= ${EXAMPLES} ORDER BY reason, pos`);
  const grouped: Record<string, string[]> = { duplicate_message_id: [], exact_duplicate: [] };
  for (const e of examples) grouped[e.reason]?.push(`event ${Number(e.pos) + 1}: messageId ${JSON.stringify(e.message_id)}`);
  return { duplicate_message_id: count('duplicate_message_id'), exact_duplicate: count('exact_duplicate'), examples: grouped };
}

/** The stored `traits` and `context`: PII hashed with the database's secret, or as they are when the operator opted in. */
async function piiOf(store: Store, options: ImportEventsOptions, firstParam: number): Promise<PiiColumns> {
  if (options.storeRawPii) return { traits: 'traits', context: 'context', params: [] };
  const { value } = await secret(store, 'pii_secret', options.piiSecret);
  return piiColumns({ traits: options.piiTraits ?? DEFAULT_PII_TRAITS, secret: value }, firstParam);
}

/** True when `relation` (a table, optionally with a WHERE clause) has a row. */
async function nonEmpty(store: Store, relation: string): Promise<boolean> {
  return Number(await store.scalar(`SELECT count(*) FROM (SELECT 1 FROM ${relation} LIMIT 1)`)) > 0;
}

/** identify: anonymousId → userId; alias: previousId → userId, from the events just written. Links already stored are not repeated. */
async function insertLinks(store: Store, importId: string): Promise<number> {
  const mine = `FROM events WHERE import_id = $1`;
  return store.run(`INSERT INTO identity_links
    SELECT from_id, to_id, source, min(ts) FROM (
      SELECT anonymous_id AS from_id, user_id AS to_id, 'identify' AS source, ts ${mine}
        AND type = 'identify' AND anonymous_id IS NOT NULL AND user_id IS NOT NULL AND anonymous_id <> user_id
      UNION ALL
      SELECT previous_id, user_id, 'alias', ts ${mine} AND type = 'alias' AND previous_id <> user_id) l
    WHERE NOT EXISTS (SELECT 1 FROM identity_links k WHERE k.from_id = l.from_id AND k.to_id = l.to_id AND k.source = l.source)
    GROUP BY from_id, to_id, source ORDER BY min(ts)`, [importId]);
}

/**
 * Customers seen in this import (a userId, or an anonymousId linked to one), with first/last seen; `identify`
 * traits and consent (`context.consent`, or a `Consent Updated` event's `properties.consent`) are applied over the
 * stored ones as JSON merge patches (RFC 7386) in time order (ties: messageId): the latest value of each key
 * wins, a null removes the key, nested objects merge.
 *
 * Memory: DuckDB keeps a transaction's updated values in memory until commit, so every customer row is written
 * once (inserted, or its empty traits/consent filled), in buckets of customers; only customers that already hold
 * traits or consent (a later import) are patched in place first.
 */
async function updateCustomers(store: Store, importId: string, docsPerBucket: number): Promise<void> {
  // Each step first narrows this import's events (by id pair, or to the few rows carrying traits or consent)
  // and only then resolves the customer, so the identities join runs over distinct ids, not every event.
  const known = `(user_id IS NOT NULL OR customer_id <> anonymous_id)`;
  const patchFrom = (base: string, docs: string): string =>
    `CASE WHEN ${docs} IS NULL THEN ${base} ELSE list_reduce(list_prepend(coalesce(${base}, '{}')::JSON, ${docs}), (a, b) -> json_merge_patch(a, b)) END`;
  // An ordered aggregate (list ... ORDER BY) buffers every group's rows for a sort and ran out of memory at a
  // million customers; a plain list of (time, messageId, doc) sorted afterwards gives the same order.
  const inTimeOrder = (kind: string): string =>
    `list_transform(list_sort(list({'t': ts, 'm': message_id, 'd': doc}) FILTER (WHERE kind = '${kind}')), e -> e.d)`;
  // The narrowed documents first (a streaming write that may spill), then their per-customer lists in buckets
  // of customers: a list aggregate's groups stay in memory, and a million customers' lists did not fit at once.
  await store.run(`CREATE OR REPLACE TEMP TABLE ${DOC_ROWS} AS
    SELECT 'traits' AS kind, customer_id, ts, message_id, traits AS doc FROM (${withResolvedCustomer(`SELECT user_id, anonymous_id, ts, message_id, traits
      FROM events WHERE import_id = $1 AND type = 'identify' AND traits IS NOT NULL`)}) WHERE ${known}
    UNION ALL
    SELECT 'consent', customer_id, ts, message_id, doc FROM (${withResolvedCustomer(`SELECT user_id, anonymous_id, ts, message_id,
        CASE WHEN type = 'track' AND event = 'Consent Updated' THEN json_extract(properties, '$.consent') ELSE json_extract(context, '$.consent') END AS doc
      FROM events WHERE import_id = $1 AND ((type = 'track' AND event = 'Consent Updated') OR ${mayHaveKey('context', 'consent')})`)}) WHERE ${known}`, [importId]);
  const docRows = Number(await store.scalar(`SELECT count(*) FROM ${DOC_ROWS}`));
  const buckets = Math.max(1, Math.ceil(docRows / docsPerBucket));
  await store.run(`CREATE OR REPLACE TEMP TABLE ${DOCS} (customer_id VARCHAR, traits_docs JSON[], consent_docs JSON[])`);
  for (let bucket = 0; bucket < buckets; bucket++) {
    await store.run(`INSERT INTO ${DOCS}
      SELECT customer_id, ${inTimeOrder('traits')}, ${inTimeOrder('consent')} FROM ${DOC_ROWS}
      WHERE json_type(doc) = 'OBJECT' ${buckets > 1 ? `AND hash(customer_id) % ${buckets} = ${bucket}` : ''} GROUP BY customer_id`);
  }
  await store.run(`UPDATE customers SET traits = ${patchFrom('customers.traits', 'd.traits_docs')}, consent = ${patchFrom('customers.consent', 'd.consent_docs')}
    FROM ${DOCS} d WHERE customers.customer_id = d.customer_id AND (customers.traits IS NOT NULL OR customers.consent IS NOT NULL)`);
  await dropTemp(store, DOC_ROWS);
  // The customers' first and last seen, alone (its aggregate over every event of the import is the big one), then
  // the rows written in the same buckets of customers: the join with their documents stays a bucket's size, next
  // to the transaction's updated values, which DuckDB holds in memory until commit (~430 MB for a million
  // customers' traits and consent, which did not fit beside an unbucketed join under a 1 GB limit).
  await store.run(`CREATE OR REPLACE TEMP TABLE ${SPANS} AS
    SELECT customer_id, min(first_ts) AS first_seen, max(last_ts) AS last_seen
    FROM (${withResolvedCustomer(`SELECT user_id, anonymous_id, min(ts) AS first_ts, max(ts) AS last_ts FROM events WHERE import_id = $1 GROUP BY ALL`)})
    WHERE ${known} GROUP BY customer_id`, [importId]);
  const spanBuckets = Math.max(1, Math.ceil(Number(await store.scalar(`SELECT count(*) FROM ${SPANS}`)) / docsPerBucket));
  const inBucket = (column: string, bucket: number): string => (spanBuckets > 1 ? `WHERE hash(${column}) % ${spanBuckets} = ${bucket}` : '');
  for (let bucket = 0; bucket < spanBuckets; bucket++) {
    await store.run(`INSERT INTO customers (customer_id, first_seen, last_seen, traits, consent)
      SELECT s.customer_id, s.first_seen, s.last_seen, ${patchFrom('NULL', 'd.traits_docs')}, ${patchFrom('NULL', 'd.consent_docs')}
      FROM (SELECT * FROM ${SPANS} ${inBucket('customer_id', bucket)}) s
      LEFT JOIN (SELECT * FROM ${DOCS} ${inBucket('customer_id', bucket)}) d USING (customer_id)
      ON CONFLICT (customer_id) DO UPDATE SET first_seen = least(customers.first_seen, excluded.first_seen),
        last_seen = greatest(customers.last_seen, excluded.last_seen),
        traits = coalesce(customers.traits, excluded.traits), consent = coalesce(customers.consent, excluded.consent)`);
  }
}
