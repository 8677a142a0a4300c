/**
 * Identity resolution in the store: rebuilds `identities(alias_id, customer_id)` from every id seen in
 * `events` and every link in `identity_links`, with the union-find kernel in events/identity.ts, and keeps the
 * `events_resolved` view that gives each event its resolved customer.
 */
import { resolveComponents } from '../../events/identity.js';
import type { Store } from '../db.js';
import { dropTemp } from './source.js';

const IDS = 'import_identity_ids';
const MOVED = 'import_identity_moved';
const RESOLVED = 'import_identity_resolved';

export const EVENTS_RESOLVED_VIEW = 'events_resolved';

/**
 * The resolved customer of an events row aliased `alias` (SQL text): the identities entry of its userId, else of
 * its anonymousId, else the raw id. For use in queries that cannot use the `events_resolved` view.
 */
export function resolvedCustomerSql(alias: string): string {
  return `coalesce((SELECT i.customer_id FROM identities i WHERE i.alias_id = coalesce(${alias}.user_id, ${alias}.anonymous_id)), ${alias}.user_id, ${alias}.anonymous_id)`;
}

/**
 * `relation` (SQL with `user_id` and `anonymous_id` columns) with its resolved `customer_id` added: the identities
 * entry of its userId, else of its anonymousId, else the raw id. Narrow the relation first when it is large: the
 * join then runs over the rows that matter.
 */
export function withResolvedCustomer(relation: string): string {
  return `SELECT r.*, coalesce(i.customer_id, r.user_id, r.anonymous_id) AS customer_id
    FROM (${relation}) r LEFT JOIN identities i ON i.alias_id = coalesce(r.user_id, r.anonymous_id)`;
}

/** Creates (or replaces) the view `events_resolved`: every events column plus `customer_id`. */
export async function createEventsResolvedView(store: Store): Promise<void> {
  await store.run(`CREATE OR REPLACE VIEW ${EVENTS_RESOLVED_VIEW} AS ${withResolvedCustomer('SELECT * FROM events')}`);
}

export interface IdentityResolution {
  /** Distinct ids (userIds, anonymousIds, previousIds). */
  readonly ids: number;
  readonly links: number;
  /** Resolved customers (connected components). */
  readonly customers: number;
}

/**
 * Brings `identities` up to date with all links: chains and cycles merge; a component's customer id is its
 * earliest-seen userId (ties: the smallest string); a component without a userId (in practice one anonymous id,
 * since every link has a userId end) resolves to its smallest id.
 * Ids are numbered densely in SQL (in string order) and only their integer ranks and links reach JS (Int32Arrays
 * for the kernel); the result goes back as integer pairs for the ids that resolve to another id, and the strings
 * are joined in SQL. Only the difference is written: new ids inserted, changed ones updated, vanished ones (erased
 * events) deleted; rewriting every row would hold a second index of all ids in the transaction's memory.
 * Cost: O((ids + links) α) in JS plus a few scans of `events`; runs inside the caller's transaction if any.
 */
export async function resolveIdentities(store: Store): Promise<IdentityResolution> {
  return store.transaction(async () => {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${IDS} AS
      WITH pairs AS (
        -- One pass over events: their distinct id combinations, each with its first time.
        SELECT user_id, anonymous_id, previous_id, min(ts) AS ts FROM events GROUP BY ALL),
      seen AS (
        SELECT user_id AS id, ts, true AS is_user FROM pairs WHERE user_id IS NOT NULL
        UNION ALL SELECT anonymous_id, ts, false FROM pairs WHERE anonymous_id IS NOT NULL
        UNION ALL SELECT previous_id, ts, false FROM pairs WHERE previous_id IS NOT NULL
        UNION ALL SELECT to_id, ts, true FROM identity_links
        UNION ALL SELECT from_id, ts, false FROM identity_links),
      ids AS (SELECT id, min(ts) FILTER (WHERE is_user) AS first_as_user FROM seen GROUP BY id)
      SELECT id, (row_number() OVER (ORDER BY id) - 1)::INTEGER AS ix,
             CASE WHEN first_as_user IS NULL THEN -1
                  ELSE (row_number() OVER (PARTITION BY first_as_user IS NULL ORDER BY first_as_user, id) - 1) END::INTEGER AS user_rank
      FROM ids`);
    try {
      const { columns: [rank], rows: n } = await store.readInt32Columns(`SELECT user_rank FROM ${IDS} ORDER BY ix`);
      const { columns: [from, to], rows: links } = await store.readInt32Columns(`SELECT f.ix AS a, t.ix AS b FROM identity_links l
        JOIN ${IDS} f ON f.id = l.from_id JOIN ${IDS} t ON t.id = l.to_id`);
      const canonical = resolveComponents({ n, rank: rank!, from: from!, to: to! });
      await store.run(`CREATE OR REPLACE TEMP TABLE ${MOVED} (ix INTEGER, customer_ix INTEGER)`);
      const appender = await store.appender(MOVED);
      let customers = 0;
      for (let i = 0; i < n; i++) {
        const c = canonical[i]!;
        if (c === i) {
          customers++;
          continue;
        }
        appender.appendInteger(i);
        appender.appendInteger(c);
        appender.endRow();
      }
      appender.closeSync();
      await store.run(`CREATE OR REPLACE TEMP TABLE ${RESOLVED} AS
        SELECT a.id AS alias_id, coalesce(c.id, a.id) AS customer_id FROM ${IDS} a
        LEFT JOIN ${MOVED} m ON m.ix = a.ix LEFT JOIN ${IDS} c ON c.ix = m.customer_ix`);
      if (Number(await store.scalar('SELECT count(*) FROM (SELECT 1 FROM identities LIMIT 1)')) > 0) {
        await store.run(`DELETE FROM identities WHERE alias_id NOT IN (SELECT alias_id FROM ${RESOLVED})`);
        await store.run(`UPDATE identities SET customer_id = r.customer_id FROM ${RESOLVED} r
          WHERE identities.alias_id = r.alias_id AND identities.customer_id <> r.customer_id`);
      }
      await store.run(`INSERT INTO identities SELECT r.alias_id, r.customer_id FROM ${RESOLVED} r
        WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.alias_id = r.alias_id)`);
      await createEventsResolvedView(store);
      return { ids: n, links, customers };
    } finally {
      await dropTemp(store, IDS, MOVED, RESOLVED);
    }
  });
}
