/**
 * Identifiers of the synthetic shop. Counters make messageIds, sessions and orders unique by construction;
 * the seed-derived prefix makes two seeds' messageIds differ. Anonymous ids are random v4-shaped UUIDs drawn
 * from the seeded rng (128 random bits: a collision among millions has probability ~1e-26).
 */
import type { Rng } from '../core/rng.js';

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(8, '0').slice(8 - width);
}

export class IdSource {
  private readonly messagePrefix: string;
  private messages = 0;
  private sessions = 0;
  private orders = 0;

  constructor(rng: Rng) {
    const a = rng.int(2 ** 32);
    const b = rng.int(2 ** 32);
    this.messagePrefix = `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-8${hex(a >>> 8, 3)}-`;
  }

  /** UUID-shaped, unique within a dataset: seed prefix plus a 12-hex-digit counter. */
  messageId(): string {
    const n = this.messages++;
    return this.messagePrefix + (Math.floor(n / 2 ** 24).toString(16).padStart(6, '0') + hex(n % 2 ** 24, 6));
  }

  sessionId(): string {
    return `sess_${(this.sessions++).toString(36).padStart(7, '0')}`;
  }

  orderId(): string {
    return `ORD-${String(++this.orders).padStart(9, '0')}`;
  }

  /** Number of messageIds handed out so far (= events written). */
  get messageCount(): number {
    return this.messages;
  }

  get orderCount(): number {
    return this.orders;
  }
}

/** Customer ids are the customer's position: `C0000001`… */
export function customerId(index: number): string {
  return `C${String(index + 1).padStart(7, '0')}`;
}

/** A random version-4-shaped UUID from the seeded rng. */
export function randomUuid(rng: Rng): string {
  const a = rng.int(2 ** 32);
  const b = rng.int(2 ** 32);
  const c = rng.int(2 ** 32);
  const d = rng.int(2 ** 32);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${hex(((c >>> 28) & 0x3) | 0x8, 1)}${hex(c, 3)}-${hex(c >>> 12, 4)}${hex(d, 8)}`;
}
