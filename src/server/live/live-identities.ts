/**
 * Identity resolution for the live path: alias id → customer id from `identities`, cached for the process so a
 * commit of known ids costs no query (one query for the ids not seen yet, absent ones remembered as such). The
 * writer changes `identities` only when it applies an identify or alias link; the caller clears the cache on the
 * first sight of each link, before resolving its commit (a merge can re-point every alias of a customer). Cleared
 * too when it reaches `limit` ids.
 */
import type { Store } from '../../store/db.js';

export class IdentityCache {
  private readonly known = new Map<string, string | null>();

  constructor(private readonly limit = 1_000_000) {}

  clear(): void {
    this.known.clear();
  }

  /** The customer of each key (null when `identities` has no row for it); valid until the next call or clear. */
  async resolve(store: Store, keys: Iterable<string>): Promise<ReadonlyMap<string, string | null>> {
    const missing: string[] = [];
    for (const key of keys) if (!this.known.has(key)) missing.push(key);
    if (missing.length === 0) return this.known;
    if (this.known.size + missing.length > this.limit) this.known.clear();
    const found = await store.rows<{ alias_id: string; customer_id: string }>(
      `SELECT alias_id, customer_id FROM identities WHERE alias_id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))`,
      { ids: JSON.stringify(missing) },
    );
    for (const key of missing) this.known.set(key, null);
    for (const r of found) this.known.set(r.alias_id, r.customer_id);
    return this.known;
  }
}
