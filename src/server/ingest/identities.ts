/**
 * Live identity resolution: `identify` (anonymousId → userId) and `alias` (previousId → userId) links are recorded
 * in `identity_links` and merged into `identities` incrementally, one union per link, instead of recomputing every
 * component (the batch importer's union-find does that for files). The customer kept is the userId's existing
 * customer, else the other id's existing customer, else the userId: customer ids stay stable as ids are merged.
 */
import type { Store } from '../../store/db.js';
import type { EventRow } from './normalize.js';

export interface IdentityLink {
  readonly from: string;
  readonly to: string;
  readonly source: 'identify' | 'alias';
  /** Event time, epoch ms. */
  readonly ts: number;
}

/** The link an event carries, if any. */
export function linkOf(row: EventRow): IdentityLink | undefined {
  if (row.type === 'identify' && row.user_id && row.anonymous_id && row.user_id !== row.anonymous_id) {
    return { from: row.anonymous_id, to: row.user_id, source: 'identify', ts: row.ts };
  }
  if (row.type === 'alias' && row.user_id && row.previous_id && row.user_id !== row.previous_id) {
    return { from: row.previous_id, to: row.user_id, source: 'alias', ts: row.ts };
  }
  return undefined;
}

/** Applies links in order; call inside the writer's transaction. Cost: ~4 statements per link. */
export async function applyLinks(store: Store, links: readonly IdentityLink[]): Promise<void> {
  for (const link of links) {
    await store.run(`INSERT INTO identity_links VALUES ($from, $to, $source, make_timestamp($ts::BIGINT * 1000))`, {
      from: link.from, to: link.to, source: link.source, ts: link.ts,
    });
    const rows = await store.rows<{ alias_id: string; customer_id: string }>(
      `SELECT alias_id, customer_id FROM identities WHERE alias_id IN ($from, $to)`, { from: link.from, to: link.to },
    );
    const ofFrom = rows.find((r) => r.alias_id === link.from)?.customer_id;
    const ofTo = rows.find((r) => r.alias_id === link.to)?.customer_id;
    const target = ofTo ?? ofFrom ?? link.to;
    for (const other of [ofFrom, ofTo]) {
      if (other !== undefined && other !== target) {
        await store.run(`UPDATE identities SET customer_id = $target WHERE customer_id = $other`, { target, other });
      }
    }
    for (const id of [link.from, link.to]) {
      await store.run(
        `INSERT INTO identities VALUES ($id, $target) ON CONFLICT (alias_id) DO UPDATE SET customer_id = excluded.customer_id`,
        { id, target },
      );
    }
  }
}
