/**
 * A Map that remembers the order its keys were last used in, for the live caches: `trim()` drops the least recently
 * used entries down to `limit`. Trimming is explicit, not on `set`, so a caller can hold every entry a pass needs
 * and trim when the pass is over (a state dropped mid-pass would lose the events the pass still has to apply).
 * O(1) per operation (a JavaScript Map iterates in insertion order; a use re-inserts the key at the end).
 */
/**
 * Default bound of each live cache (K-means states, RFM states), in customers. A K-means state is ~3 KB (measured on
 * the synthetic shop: 12 sessions and 8 orders on average), so ~300 MB at the bound; an RFM state ~0.2 KB.
 */
export const DEFAULT_LIVE_CACHE_CUSTOMERS = 100_000;

export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`LruMap limit must be a whole number ≥ 1 (got ${limit})`);
  }

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value, marking the key used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** The value, without marking the key used (reads from outside the update path). */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Sets the value and marks the key used. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** Drops the least recently used entries until at most `limit` remain; returns the keys dropped, oldest first. */
  trim(): K[] {
    const dropped: K[] = [];
    for (const key of this.map.keys()) {
      if (this.map.size <= this.limit) break;
      this.map.delete(key);
      dropped.push(key);
    }
    return dropped;
  }
}
