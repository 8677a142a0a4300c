/**
 * Events import: a file of Segment messages (JSONL, CSV or Parquet, optionally gzipped) → `events`,
 * `identity_links`, `identities`, `customers` (first/last seen, traits, consent), and, from `Order Completed`,
 * `orders`/`order_lines`/`products`; one transaction, all or nothing. Retries are safe: a messageId seen before
 * is skipped, and so is an exact copy of an event under a new messageId; both are counted with examples.
 */
import { resolve } from 'node:path';
import { silentProgress, type Progress } from '../../core/progress.js';
import type { Store } from '../db.js';
import { checkEvents } from './event-checks.js';
import { writeEventOrders } from './event-orders.js';
import { EVENTS_STAGE, stageEvents } from './events-stage.js';
import { EVENTS_RESOLVED_VIEW, resolveIdentities } from './identities.js';
import { newImportId, recordImport, type ImportReport } from './report.js';
import { dropTemp, readWithGzipCheck, formatOf, requireFile, withUtcSession, type FileFormat } from './source.js';

export interface ImportEventsOptions {
  readonly file: string;
  /** Defaults to the file's extension (`.jsonl`/`.ndjson`/`.json`, `.csv`, `.parquet`, each optionally `.gz`). */
  readonly format?: 'jsonl' | 'csv' | 'parquet';
  readonly progress?: Progress;
  readonly importId?: string;
  readonly now?: () => Date;
}

const KEEP = 'import_events_keep';
const DUPS = 'import_events_dups';
const EXAMPLES = 5;

/**
 * Imports a file of events. Cost: one DuckDB scan of the file, a few set-based passes over its rows, two
 * joins against `events` (on messageId, and on time, type and ids for exact copies), and identity resolution
 * over all links (1M JSONL messages: about 12 s of CPU, most of it parsing JSON and times). Throws `InputError` naming file:line, field and value for a message that breaks
 * the contract (events/contract.ts); nothing is written then.
 */
export async function importEvents(store: Store, options: ImportEventsOptions): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const progress = options.progress ?? silentProgress;
  const file = resolve(options.file);
  requireFile(file, 'events');
  const format: FileFormat = options.format ?? formatOf(file, ['jsonl', 'csv', 'parquet']);
  const importId = options.importId ?? newImportId('events', started);

  return withUtcSession(store, () => store.transaction(async () => {
    try {
      progress.phase('importing events', 6);
      const rowsRead = await readWithGzipCheck(file, stageEvents(store, file, format));
      progress.update(1, `${rowsRead} messages read`);
      await checkEvents(store, file, format);
      progress.update(2, 'checked');
      const dedup = await deduplicate(store);
      const keep = dedup.keep;
      progress.update(3, 'deduplicated');
      const events = await store.run(`INSERT INTO events
        SELECT message_id, type, event, name, user_id, anonymous_id, previous_id, group_id, ts, ts_received,
          coalesce((context ->> '$.sessionId'), p_session_id), p_product_id, p_category,
          try_cast(p_price AS DOUBLE), try_cast(p_quantity AS DOUBLE), p_order_id,
          coalesce(try_cast(p_revenue AS DOUBLE), try_cast(p_total AS DOUBLE)),
          try_cast(p_discount AS DOUBLE), try_cast(p_dwell_seconds AS DOUBLE),
          properties, traits, context, $1
        FROM ${keep}`, [importId]);
      const identityLinks = await insertLinks(store, keep);
      progress.update(4, 'identity links');
      const resolution = await resolveIdentities(store);
      progress.update(5, 'identities resolved');
      const customersBefore = Number(await store.scalar('SELECT count(*) FROM customers'));
      const orders = await writeEventOrders(store, keep, importId);
      await updateCustomers(store, importId);
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
      progress.update(6);
      progress.done();
      return report;
    } finally {
      await dropTemp(store, EVENTS_STAGE, KEEP, DUPS);
    }
  }));
}

/**
 * Finds the rows not to write: a messageId already stored or seen earlier in the file → `duplicate_message_id`;
 * else the same type, event, name, ids, time and properties as a stored event or an earlier row →
 * `exact_duplicate`. Uses grouping and equi-joins only (no window over the file, no key on events.message_id).
 * Returns the table of rows to write: the stage itself when nothing is skipped, else `import_events_keep`.
 */
async function deduplicate(store: Store): Promise<{ keep: string; duplicate_message_id: number; exact_duplicate: number; examples: Record<string, string[]> }> {
  const same = (a: string, b: string): string => `${a}.event IS NOT DISTINCT FROM ${b}.event AND ${a}.name IS NOT DISTINCT FROM ${b}.name
    AND ${a}.previous_id IS NOT DISTINCT FROM ${b}.previous_id AND ${a}.group_id IS NOT DISTINCT FROM ${b}.group_id
    AND ${a}.properties::VARCHAR IS NOT DISTINCT FROM ${b}.properties::VARCHAR`;
  const joinKey = (a: string, b: string): string => `${a}.ts = ${b}.ts AND ${a}.type = ${b}.type
    AND coalesce(${a}.user_id, '') = coalesce(${b}.user_id, '') AND coalesce(${a}.anonymous_id, '') = coalesce(${b}.anonymous_id, '')`;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${DUPS} (pos BIGINT, message_id VARCHAR, reason VARCHAR)`);
  await store.run(`INSERT INTO ${DUPS}
    SELECT s.pos, s.message_id, 'duplicate_message_id' FROM ${EVENTS_STAGE} s
      JOIN (SELECT message_id, min(pos) AS first FROM ${EVENTS_STAGE} GROUP BY message_id HAVING count(*) > 1) f
        ON f.message_id = s.message_id AND s.pos <> f.first
    UNION
    SELECT s.pos, s.message_id, 'duplicate_message_id' FROM ${EVENTS_STAGE} s WHERE s.message_id IN (SELECT message_id FROM events)`);
  await store.run(`INSERT INTO ${DUPS}
    WITH rest AS (SELECT * FROM ${EVENTS_STAGE} WHERE pos NOT IN (SELECT pos FROM ${DUPS})),
    repeated AS (SELECT ts, type, coalesce(user_id, '') AS user_id, coalesce(anonymous_id, '') AS anonymous_id, min(pos) AS first
      FROM rest GROUP BY ALL HAVING count(*) > 1)
    SELECT DISTINCT s.pos, s.message_id, 'exact_duplicate' FROM (
      SELECT r.* FROM rest r JOIN repeated k ON r.ts = k.ts AND r.type = k.type AND coalesce(r.user_id, '') = k.user_id
        AND coalesce(r.anonymous_id, '') = k.anonymous_id AND r.pos <> k.first
        JOIN rest f ON f.pos = k.first WHERE ${same('r', 'f')}
      UNION ALL
      SELECT r.* FROM rest r JOIN events e ON ${joinKey('r', 'e')} WHERE ${same('r', 'e')}) s`);
  const counts = await store.rows<{ reason: string; n: number }>(`SELECT reason, count(*) AS n FROM ${DUPS} GROUP BY reason`);
  const count = (reason: string): number => Number(counts.find((c) => c.reason === reason)?.n ?? 0);
  const skipped = { duplicate_message_id: count('duplicate_message_id'), exact_duplicate: count('exact_duplicate') };
  const examples = await store.rows<{ reason: string; pos: number; message_id: string }>(`
    SELECT reason, pos, message_id FROM ${DUPS} QUALIFY row_number() OVER (PARTITION BY reason ORDER BY pos) <= ${EXAMPLES} ORDER BY reason, pos`);
  const grouped: Record<string, string[]> = { duplicate_message_id: [], exact_duplicate: [] };
  for (const e of examples) grouped[e.reason]?.push(`event ${Number(e.pos) + 1}: messageId ${JSON.stringify(e.message_id)}`);
  if (skipped.duplicate_message_id + skipped.exact_duplicate === 0) return { keep: EVENTS_STAGE, ...skipped, examples: grouped };
  await store.run(`CREATE OR REPLACE TEMP TABLE ${KEEP} AS
    SELECT * FROM ${EVENTS_STAGE} WHERE pos NOT IN (SELECT pos FROM ${DUPS})`);
  return { keep: KEEP, ...skipped, examples: grouped };
}

/** identify: anonymousId → userId; alias: previousId → userId. Links already stored are not repeated. */
async function insertLinks(store: Store, keep: string): Promise<number> {
  return store.run(`INSERT INTO identity_links
    SELECT from_id, to_id, source, min(ts) FROM (
      SELECT anonymous_id AS from_id, user_id AS to_id, 'identify' AS source, ts FROM ${keep}
        WHERE type = 'identify' AND anonymous_id IS NOT NULL AND user_id IS NOT NULL AND anonymous_id <> user_id
      UNION ALL
      SELECT previous_id, user_id, 'alias', ts FROM ${keep} WHERE type = 'alias' AND previous_id <> user_id) l
    WHERE NOT EXISTS (SELECT 1 FROM identity_links k WHERE k.from_id = l.from_id AND k.to_id = l.to_id AND k.source = l.source)
    GROUP BY from_id, to_id, source ORDER BY min(ts)`);
}

/**
 * Customers seen in this import (a userId, or an anonymousId linked to one), with first/last seen; `identify`
 * traits and consent (`context.consent`, or a `Consent Updated` event's `properties.consent`) are merged key by
 * key over the stored ones, the latest value of each key winning (a null value removes the key, RFC 7386).
 */
async function updateCustomers(store: Store, importId: string): Promise<void> {
  const mine = `FROM ${EVENTS_RESOLVED_VIEW} r WHERE r.import_id = $1 AND (r.user_id IS NOT NULL OR r.customer_id <> r.anonymous_id)`;
  await store.run(`INSERT INTO customers (customer_id, first_seen, last_seen)
    SELECT customer_id, min(ts), max(ts) ${mine} GROUP BY customer_id
    ON CONFLICT (customer_id) DO UPDATE SET first_seen = least(customers.first_seen, excluded.first_seen),
      last_seen = greatest(customers.last_seen, excluded.last_seen)`, [importId]);
  await mergeLatestPerKey(store, 'traits', `SELECT customer_id, ts, traits AS doc ${mine} AND r.type = 'identify' AND r.traits IS NOT NULL`, importId);
  await mergeLatestPerKey(store, 'consent', `SELECT customer_id, ts, CASE WHEN r.type = 'track' AND r.event = 'Consent Updated'
      THEN json_extract(r.properties, '$.consent') ELSE json_extract(r.context, '$.consent') END AS doc ${mine}`, importId);
}

/** Patches `customers.<column>` with, per customer and key, the latest value among the `doc` objects of `source`. */
async function mergeLatestPerKey(store: Store, column: 'traits' | 'consent', source: string, importId: string): Promise<void> {
  await store.run(`UPDATE customers SET ${column} = json_merge_patch(coalesce(customers.${column}, '{}'), m.patch)
    FROM (
      SELECT customer_id, json_group_object(k, v) AS patch FROM (
        SELECT customer_id, k, arg_max(json_extract(doc, '$."' || replace(k, '"', '\\"') || '"'), ts) AS v
        FROM (SELECT customer_id, ts, doc, unnest(json_keys(doc)) AS k FROM (${source}) WHERE json_type(doc) = 'OBJECT')
        GROUP BY customer_id, k)
      GROUP BY customer_id) m
    WHERE customers.customer_id = m.customer_id`, [importId]);
}
