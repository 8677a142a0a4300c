/**
 * Writes Segment-spec events and order lines for one customer at a time. Knows the column order of the
 * `events` and `orders` temporary files (see `schema.ts`) and nothing about personas.
 */
import type { IdSource } from './ids.js';
import type { TsvSink } from './sink.js';

/** Who an event is about: `userId` once known, `anonymousId` for the device. */
export interface Actor {
  userId: string | null;
  anonymousId: string | null;
}

export class EventWriter {
  /** Latest event time written, epoch ms (for the as-of date). */
  maxTs = -Infinity;

  constructor(
    /** Where rows go; the generator swaps in a new file for every chunk of customers. */
    public sink: TsvSink,
    private readonly ids: IdSource,
  ) {}

  /** One event row in the `EVENT_COLUMNS` order. `ts` is epoch milliseconds. */
  private write(
    type: string, event: string | null, name: string | null, actor: Actor, previousId: string | null, ts: number,
    properties: string | null, traits: string | null, context: string,
  ): void {
    const ms = Math.round(ts);
    if (ms > this.maxTs) this.maxTs = ms;
    this.sink.row([this.ids.messageId(), type, event, name, actor.userId, actor.anonymousId, previousId, null, ms,
      properties, traits, context]);
  }

  /** A track call; `properties` is JSON text. */
  track(actor: Actor, ts: number, event: string, properties: string, context: string): void {
    this.write('track', event, null, actor, null, ts, properties, null, context);
  }

  /** A page call; `properties` is JSON text. */
  page(actor: Actor, ts: number, name: string, properties: string, context: string): void {
    this.write('page', null, name, actor, null, ts, properties, null, context);
  }

  identify(actor: Actor, ts: number, traits: string, context: string): void {
    this.write('identify', null, null, actor, null, ts, null, traits, context);
  }

  alias(userId: string, previousId: string, ts: number, context: string): void {
    this.write('alias', null, null, { userId, anonymousId: null }, previousId, ts, null, null, context);
  }
}

/** One order line, in the `ORDER_COLUMNS` order; money in cents. */
export function writeOrderLine(
  sink: TsvSink, orderId: string, customerId: string, ts: number, productId: string, description: string,
  category: string, quantity: number, unitPriceCents: number, discountCents: number, country: string,
): void {
  sink.row([orderId, customerId, Math.round(ts), productId, description, category, quantity, cents(unitPriceCents),
    cents(discountCents), country]);
}

/** Cents as a decimal number of currency units (exact to two places). */
export function cents(value: number): number {
  return Math.round(value) / 100;
}
