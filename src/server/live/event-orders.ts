/**
 * The purchase order an `Order Completed` event stands for, as the feature sources would count it once the event
 * became an order (`store/import/event-orders.ts` writes it, `features/sources.ts` keeps it):
 * - lines from `properties.products[]`: quantity (default 1), price, discount; when no product carries a discount,
 *   the order's `discount` goes on line 1; a line is kept when quantity > 0 and price > 0; the amount is
 *   Σ(quantity × price − discount) over kept lines, and an order whose lines are all dropped is no purchase;
 * - without products: amount = revenue − discount, a purchase only when revenue > 0;
 * - order ids starting with `C` are cancellations, and an event without an order id is no purchase order;
 * - discounted: any kept line's discount, or the order's total discount, is > 0;
 * - categories: each kept line's category, else the product's (looked up by the caller).
 * O(lines).
 */
import type { PurchaseOrder } from './feature-state.js';

/** The columns of an `Order Completed` row the order needs (an `EventRow` fits); `properties` parsed. */
export interface OrderEvent {
  readonly ts: number;
  readonly order_id: string | null;
  readonly revenue: number | null;
  readonly discount: number | null;
  readonly properties: Readonly<Record<string, unknown>> | null;
}

interface Line {
  readonly quantity: number;
  readonly price: number | null;
  readonly discount: number | null;
  readonly category: string | null;
  readonly productId: string | null;
}

/** The event's product lines, as `json_extract(properties, '$.products[*]')` sees them. */
export function productLines(e: OrderEvent): Line[] {
  const products = e.properties?.products;
  if (!Array.isArray(products)) return [];
  return products.map((p: unknown) => {
    const o = typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
    return { quantity: toNumber(o.quantity) ?? 1, price: toNumber(o.price), discount: toNumber(o.discount), category: toText(o.category), productId: toText(o.product_id) };
  });
}

/**
 * The purchase order of an `Order Completed` event, or null when the sources would not count one.
 * `categoryOf` gives a product's category from the products table (for lines without one).
 */
export function purchaseFromEvent(e: OrderEvent, categoryOf: (productId: string) => string | null): PurchaseOrder | null {
  const orderId = e.order_id;
  if (orderId === null || orderId.startsWith('C')) return null;
  const lines = productLines(e);
  const orderDiscount = e.discount ?? 0;
  if (lines.length === 0) {
    const revenue = e.revenue;
    if (revenue === null || !(revenue > 0)) return null;
    return { orderId, at: e.ts, amount: revenue - orderDiscount, discounted: orderDiscount > 0, categories: [] };
  }
  const perLine = lines.some((l) => l.discount !== null);
  const discounts = lines.map((l, i) => (perLine ? (l.discount ?? 0) : i === 0 ? orderDiscount : 0));
  const total = discounts.reduce((a, b) => a + b, 0);
  let amount = 0;
  let kept = 0;
  let discounted = false;
  const categories: string[] = [];
  lines.forEach((l, i) => {
    if (!(l.quantity > 0) || l.price === null || !(l.price > 0)) return;
    kept++;
    amount += l.quantity * l.price - discounts[i]!;
    if (discounts[i]! > 0 || total > 0) discounted = true;
    const category = l.category ?? (l.productId === null ? null : categoryOf(l.productId));
    if (category !== null) categories.push(category);
  });
  return kept === 0 ? null : { orderId, at: e.ts, amount, discounted, categories };
}

/** `try_cast(x ->> '$.field' AS DOUBLE)`: numbers, and text that reads as one; anything else is null. */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** `x ->> '$.field'`: text, or the text of a number or boolean. */
function toText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}
