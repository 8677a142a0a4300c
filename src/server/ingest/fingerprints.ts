/**
 * A set of 64-bit string fingerprints with a time each, in typed arrays (open addressing, linear probing): 12 bytes
 * a slot and no object per entry, where a `Map<string, number>` of messageIds costs ~100 bytes an id and gives the
 * garbage collector millions of strings to trace. Used by the messageId window (`dedupe.ts`), which confirms a
 * fingerprint match against the table before it calls an event a duplicate, so a collision never drops an event.
 */

/** Two independent 32-bit hashes of the string's UTF-16 units (FNV-1a and a multiply-xorshift), each finalised. */
export function fingerprint(text: string): [number, number] {
  return fingerprintOf(text, 0, text.length);
}

/** `fingerprint(text.slice(start, end))` without the copy: for ids packed into one string (`DedupeIndex.warm`). */
export function fingerprintOf(text: string, start: number, end: number): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ (end - start);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [finalise(a), finalise(b)];
}

/** murmur3's fmix32: every input bit affects every output bit. */
function finalise(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const MIN_CAPACITY = 1 << 12;

export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Seconds since the epoch of each slot's entry; 0 marks an empty slot. */
  private at: Uint32Array;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(MIN_CAPACITY, capacity)));
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.at = new Uint32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.at.length * 12;
  }

  has(hi: number, lo: number): boolean {
    const mask = this.at.length - 1;
    for (let i = hi & mask; this.at[i] !== 0; i = (i + 1) & mask) {
      if (this.hi[i] === hi && this.lo[i] === lo) return true;
    }
    return false;
  }

  /** Adds a fingerprint seen at `seconds` (> 0); a fingerprint already held keeps the later time. */
  add(hi: number, lo: number, seconds: number): void {
    if ((this.count + 1) * 4 > this.at.length * 3) this.rebuild(this.at.length * 2, 0);
    const mask = this.at.length - 1;
    let i = hi & mask;
    for (; this.at[i] !== 0; i = (i + 1) & mask) {
      if (this.hi[i] === hi && this.lo[i] === lo) {
        if (seconds > this.at[i]!) this.at[i] = seconds;
        return;
      }
    }
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.at[i] = Math.max(1, seconds);
    this.count++;
  }

  /** Drops the entries older than `cutoffSeconds` (and shrinks the table when it is mostly empty); returns how many. */
  prune(cutoffSeconds: number): number {
    const before = this.count;
    let kept = 0;
    for (let i = 0; i < this.at.length; i++) if (this.at[i]! >= cutoffSeconds) kept++;
    if (kept === before) return 0;
    this.rebuild(Math.max(MIN_CAPACITY, 2 ** Math.ceil(Math.log2((kept * 4) / 3 + 1))), cutoffSeconds);
    return before - kept;
  }

  /** Rehashes into `capacity` slots, keeping the entries at or after `cutoffSeconds`. */
  private rebuild(capacity: number, cutoffSeconds: number): void {
    const { hi, lo, at } = this;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.at = new Uint32Array(capacity);
    this.count = 0;
    for (let i = 0; i < at.length; i++) {
      if (at[i] !== 0 && at[i]! >= cutoffSeconds) this.add(hi[i]!, lo[i]!, at[i]!);
    }
  }
}
