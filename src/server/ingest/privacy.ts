/**
 * Privacy at the door, applied before anything is stored:
 * - traits named as PII (email, phone, name by default; in `traits` and `context.traits`) are replaced by a keyed
 *   hash `hmac-sha256:<hex>` (HMAC-SHA256 with the operator's secret), unless the operator opts in to raw storage.
 *   Emails are trimmed and lower-cased first, so the same address always gives the same hash.
 * - consent per purpose comes from `context.consent` or a `Consent Updated` event's `properties.consent`; it is
 *   recorded in `customers.consent`, and the events of an id whose analytics consent is withdrawn are not stored.
 * Consent is keyed by the id the event carries (userId, else anonymousId); both ids of an event are checked.
 */
import { isHashedPiiValue, piiHash, type Consent, type JsonObject, type SegmentMessage } from '../../events/index.js';
import type { Store } from '../../store/db.js';
import type { EventRow } from './normalize.js';

// The names and the canonical form live with the event contract, where the file importer reads them too.
export { DEFAULT_PII_TRAITS } from '../../events/index.js';

export interface PrivacyOptions {
  readonly piiTraits: readonly string[];
  /** Store PII traits as sent (the operator's explicit opt-in). */
  readonly storeRawPii: boolean;
  readonly secret: string;
}

export interface ConsentChange {
  readonly id: string;
  readonly consent: Consent;
}

export type Gated =
  | { readonly kind: 'keep'; readonly row: EventRow; readonly consent?: ConsentChange }
  | { readonly kind: 'drop'; readonly reason: string; readonly consent?: ConsentChange };

export class Privacy {
  private readonly consent = new Map<string, Consent>();
  private readonly pii: ReadonlySet<string>;

  constructor(private readonly options: PrivacyOptions) {
    this.pii = new Set(options.piiTraits.map((t) => t.toLowerCase()));
  }

  /** Loads recorded consent. Cost: one scan of `customers` rows that have consent. */
  async warm(store: Store): Promise<void> {
    const rows = await store.rows<{ customer_id: string; consent: string }>(`SELECT customer_id, consent FROM customers WHERE consent IS NOT NULL`);
    for (const row of rows) this.consent.set(row.customer_id, JSON.parse(row.consent) as Consent);
  }

  /** Applies consent and PII rules to one validated message. Consent changes take effect immediately in memory. */
  gate(message: SegmentMessage, row: EventRow): Gated {
    const id = row.user_id ?? row.anonymous_id;
    let change: ConsentChange | undefined;
    const given = consentOf(message);
    if (id !== null && given) {
      const merged = { ...(this.consent.get(id) ?? {}), ...given };
      this.consent.set(id, merged);
      change = { id, consent: merged };
    }
    for (const other of [row.user_id, row.anonymous_id]) {
      if (other !== null && this.consent.get(other)?.analytics === false) {
        return { kind: 'drop', reason: `consent: ${other} has withdrawn analytics consent; the event was not stored`, ...(change ? { consent: change } : {}) };
      }
    }
    return { kind: 'keep', row: this.options.storeRawPii ? row : this.hashPii(row), ...(change ? { consent: change } : {}) };
  }

  /** The keyed hash of one trait value. */
  hash(trait: string, value: unknown): string {
    return piiHash(this.options.secret, trait, value);
  }

  /** Writes consent changes into `customers` (inside the writer's transaction). */
  async persist(store: Store, changes: readonly ConsentChange[]): Promise<void> {
    const last = new Map(changes.map((c) => [c.id, c.consent]));
    for (const [id, consent] of last) {
      await store.run(
        `INSERT INTO customers (customer_id, consent) VALUES ($id, $consent::JSON)
         ON CONFLICT (customer_id) DO UPDATE SET consent = excluded.consent`,
        { id, consent: JSON.stringify(consent) },
      );
    }
  }

  private hashPii(row: EventRow): EventRow {
    const contextTraits = row.context?.traits;
    if (row.traits === null && !isObject(contextTraits)) return row;
    return {
      ...row,
      traits: row.traits === null ? null : this.hashObject(row.traits),
      context: row.context !== null && isObject(contextTraits) ? { ...row.context, traits: this.hashObject(contextTraits) } : row.context,
    };
  }

  private hashObject(traits: JsonObject): JsonObject {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(traits)) {
      out[key] = this.pii.has(key.toLowerCase()) && isHashedPiiValue(value) ? this.hash(key, value) : value;
    }
    return out;
  }
}

function consentOf(message: SegmentMessage): Consent | undefined {
  if (message.event === 'Consent Updated' && isObject(message.properties?.consent)) return message.properties.consent as Consent;
  const fromContext = message.context?.consent;
  return isObject(fromContext) ? (fromContext as Consent) : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
