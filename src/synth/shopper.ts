/**
 * Simulates one customer's year: visits (pages with dwell, product views, cart actions), purchases with
 * coupons, identity (anonymous first visits linked by identify or alias), consent, and email engagement.
 * Writes the customer's events and order lines; the persona's numbers come from `personas.ts`.
 */
import type { Rng } from '../core/rng.js';
import { productNear, type Catalog, type Product } from './catalog.js';
import { cents, writeOrderLine, type Actor, type EventWriter } from './emit.js';
import { customerId, randomUuid, type IdSource } from './ids.js';
import { PERSONA_SPECS, type Persona, type PersonaSpec } from './personas.js';
import { chance, clamp, logNormal, pick, poisson, uniform } from './random.js';
import type { TsvSink } from './sink.js';
import { drawTimeline } from './timeline.js';
import { sendEmails, type Campaign } from './campaigns.js';
import { drawProfile, type Profile } from './profile.js';

const DAY_MS = 86_400_000;

export interface Shop {
  readonly catalog: Catalog;
  readonly ids: IdSource;
  readonly events: EventWriter;
  /** Order lines go here; swapped for every chunk of customers. */
  orders: TsvSink;
  readonly campaigns: readonly Campaign[];
  readonly startMs: number;
  readonly days: number;
}

/** Per-customer draws that stay fixed over the year. */
interface Shopper {
  readonly spec: PersonaSpec;
  readonly id: string;
  readonly profile: Profile;
  readonly aov: number;
  readonly dwell: number;
  readonly discountAffinity: number;
  readonly devices: string[];
  actor: Actor;
}

const PAGES = ['Home', 'Category', 'Search', 'Deals', 'Account', 'Help'] as const;
const PATHS: Record<(typeof PAGES)[number], string> = {
  Home: '/', Category: '/c', Search: '/search', Deals: '/deals', Account: '/account', Help: '/help',
};
/** Mean products a buyer also looks at (without adding) in a purchase visit. */
const PURCHASE_EXTRA_VIEWS = 0.5;
const LINK_MODES = ['known', 'identify', 'alias'] as const;

/** Writes every event and order line of customer number `index` (0-based) with the given persona. */
export function simulateCustomer(shop: Shop, rng: Rng, index: number, persona: Persona): void {
  const spec = PERSONA_SPECS[persona];
  const timeline = drawTimeline(rng, spec, shop.days, persona !== 'window_shoppers');
  const shopper: Shopper = {
    spec,
    id: customerId(index),
    profile: drawProfile(rng, index),
    aov: spec.aov * logNormal(rng, 1, 0.15),
    dwell: spec.dwellSeconds * logNormal(rng, 1, 0.1),
    discountAffinity: logNormal(rng, 1, 0.15),
    devices: [randomUuid(rng)],
    actor: { userId: null, anonymousId: null },
  };
  const linkMode = LINK_MODES[rng.next() < 0.4 ? 0 : rng.next() < 0.58 ? 1 : 2]!;
  const toMs = (day: number): number => shop.startMs + day * DAY_MS;
  const first = firstVisit(shop, rng, shopper, toMs(timeline.firstSeen), linkMode);
  // visits and orders merged in time order (both lists are sorted)
  let v = 1;
  let o = 0;
  while (v < timeline.visits.length || o < timeline.orders.length) {
    const nextVisit = timeline.visits[v] ?? Infinity;
    const nextOrder = timeline.orders[o] ?? Infinity;
    shopper.actor = { userId: shopper.id, anonymousId: deviceFor(rng, shopper) };
    if (nextVisit <= nextOrder) {
      browseVisit(shop, rng, shopper, toMs(nextVisit), visitContext(shop, shopper));
      v++;
    } else {
      purchaseVisit(shop, rng, shopper, toMs(nextOrder), visitContext(shop, shopper));
      o++;
    }
  }
  if (shopper.profile.consent.marketing) {
    sendEmails(shop, rng, shopper.id, first, spec, shop.startMs + shop.days * DAY_MS - 1);
  }
}

function deviceFor(rng: Rng, shopper: Shopper): string {
  if (rng.next() < 0.7) return shopper.devices[0]!;
  if (shopper.devices.length === 1) shopper.devices.push(randomUuid(rng));
  return shopper.devices[1]!;
}

function visitContext(shop: Shop, shopper: Shopper): string {
  return `{"channel":"browser","sessionId":"${shop.ids.sessionId()}","locale":"${shopper.profile.locale}"}`;
}

/**
 * The first visit starts anonymous on the first device and is linked to the customer: at once (`known`),
 * half-way by an identify carrying both ids (`identify`), or after the visit by an alias (`alias`).
 * Returns when the customer became known (epoch ms), the time the welcome email goes out.
 */
function firstVisit(shop: Shop, rng: Rng, shopper: Shopper, ts: number, mode: (typeof LINK_MODES)[number]): number {
  const context = visitContext(shop, shopper);
  const anonymousId = shopper.devices[0]!;
  const consentContext = context.slice(0, -1) + `,"consent":${JSON.stringify(shopper.profile.consent)}}`;
  shopper.actor = mode === 'known' ? { userId: shopper.id, anonymousId } : { userId: null, anonymousId };
  let linkedAt = ts;
  if (mode === 'known') shop.events.identify(shopper.actor, ts, shopper.profile.traits, consentContext);
  const onHalf = (t: number): void => {
    if (mode !== 'identify') return;
    shopper.actor = { userId: shopper.id, anonymousId };
    shop.events.identify(shopper.actor, t, shopper.profile.traits, consentContext);
    linkedAt = t;
  };
  const end = browseVisit(shop, rng, shopper, ts + 1, context, onHalf);
  if (mode === 'alias') {
    shop.events.alias(shopper.id, anonymousId, end, context);
    shop.events.identify({ userId: shopper.id, anonymousId: null }, end + 1, shopper.profile.traits, consentContext);
    linkedAt = end + 1;
  }
  return linkedAt;
}

/** A page view with its dwell time; returns the time the visitor leaves the page. */
function page(shop: Shop, rng: Rng, shopper: Shopper, ts: number, name: string, path: string, context: string): number {
  const dwell = Math.max(2, Math.round(logNormal(rng, shopper.dwell, 0.6)));
  shop.events.page(shopper.actor, ts, name, `{"path":"${path}","dwell_seconds":${dwell}}`, context);
  return ts + dwell * 1000;
}

/** The product fields of an event as JSON text (ids and categories are plain ASCII, prices numbers). */
function productFields(p: Product, quantity: number): string {
  return `"product_id":"${p.productId}","category":"${p.category}","price":${cents(p.priceCents)},"quantity":${quantity}`;
}

function productProps(p: Product, quantity: number): string {
  return `{${productFields(p, quantity)}}`;
}

function productList(cart: readonly [Product, number][]): string {
  let out = '[';
  for (let i = 0; i < cart.length; i++) out += `${i > 0 ? ',' : ''}${productProps(cart[i]![0], cart[i]![1])}`;
  return `${out}]`;
}

/** Views a product (the track call stands for the product page); returns the time the visitor moves on. */
function viewProduct(shop: Shop, rng: Rng, shopper: Shopper, ts: number, p: Product, context: string): number {
  shop.events.track(shopper.actor, ts, 'Product Viewed', productProps(p, 1), context);
  return ts + Math.max(2, Math.round(logNormal(rng, shopper.dwell, 0.6))) * 1000;
}

function quantity(rng: Rng): number {
  const u = rng.next();
  return u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
}

/**
 * A visit without a purchase: pages and product views interleaved, some products added (and a few removed),
 * and for a filled cart maybe a cart view and an abandoned checkout. `onHalf` runs half-way through.
 * Returns the time of the visit's last event.
 */
function browseVisit(shop: Shop, rng: Rng, shopper: Shopper, ts: number, context: string, onHalf?: (t: number) => void): number {
  const spec = shopper.spec;
  let pages = 1 + poisson(rng, spec.pagesPerVisit - 1);
  let views = poisson(rng, spec.productViewsPerVisit);
  const half = Math.floor((pages + views) / 2);
  let step = 0;
  let t = ts;
  const cart: [Product, number][] = [];
  while (pages + views > 0) {
    if (step++ === half && onHalf) onHalf(t++);
    if (rng.next() * (pages + views) < pages) {
      const name = pick(rng, PAGES);
      t = page(shop, rng, shopper, t, name, PATHS[name], context);
      pages--;
      continue;
    }
    const p = productNear(shop.catalog, rng, shopper.aov / 1.6);
    t = viewProduct(shop, rng, shopper, t, p, context);
    views--;
    if (!chance(rng, spec.addProb)) continue;
    const q = quantity(rng);
    shop.events.track(shopper.actor, t, 'Product Added', productProps(p, q), context);
    t += 2000;
    if (chance(rng, 0.15)) {
      shop.events.track(shopper.actor, t, 'Product Removed', productProps(p, q), context);
      t += 2000;
    } else cart.push([p, q]);
  }
  if (step <= half && onHalf) onHalf(t++);
  if (cart.length > 0 && chance(rng, 0.6)) {
    shop.events.track(shopper.actor, t, 'Cart Viewed', cartProps(cart), context);
    t += 5000;
    if (chance(rng, 0.25)) shop.events.track(shopper.actor, t, 'Checkout Started', cartProps(cart), context);
  }
  return t;
}

/** Cart Viewed / Checkout Started: the cart's lines, plus the last-added line's fields at the top level. */
function cartProps(cart: readonly [Product, number][]): string {
  const [last, q] = cart[cart.length - 1]!;
  let value = 0;
  for (const [p, n] of cart) value += p.priceCents * n;
  return `{${productFields(last, q)},"value":${cents(value)},"products":${productList(cart)}}`;
}

/** A visit that ends in an order: a page or two, the products viewed and added, checkout, Order Completed. */
function purchaseVisit(shop: Shop, rng: Rng, shopper: Shopper, ts: number, context: string): void {
  const spec = shopper.spec;
  let t = ts;
  for (let i = 1 + poisson(rng, 0.3); i > 0; i--) {
    const name = pick(rng, PAGES);
    t = page(shop, rng, shopper, t, name, PATHS[name], context);
  }
  const lines = clamp(1 + poisson(rng, 0.6), 1, 4);
  const target = shopper.aov * logNormal(rng, 1, 0.3);
  const cart: [Product, number][] = [];
  for (let i = 0; i < lines; i++) {
    const q = quantity(rng);
    const p = productNear(shop.catalog, rng, target / (lines * 1.25));
    t = viewProduct(shop, rng, shopper, t, p, context);
    shop.events.track(shopper.actor, t, 'Product Added', productProps(p, q), context);
    t += 2000;
    cart.push([p, q]);
  }
  for (let i = poisson(rng, PURCHASE_EXTRA_VIEWS); i > 0; i--) {
    t = viewProduct(shop, rng, shopper, t, productNear(shop.catalog, rng, target / (lines * 1.25)), context);
  }
  if (chance(rng, 0.5)) {
    shop.events.track(shopper.actor, t, 'Cart Viewed', cartProps(cart), context);
    t += 5000;
  }
  shop.events.track(shopper.actor, t, 'Checkout Started', cartProps(cart), context);
  t += 60_000 + rng.int(120_000);
  const discounted = chance(rng, clamp(spec.discountProb * shopper.discountAffinity, 0, 0.98));
  const rate = discounted ? uniform(rng, spec.discountRate[0], spec.discountRate[1]) : 0;
  completeOrder(shop, shopper, t, cart, rate, context);
}

/** Writes the Order Completed event and its order lines; the lines' discounts sum to the event's discount. */
function completeOrder(shop: Shop, shopper: Shopper, ts: number, cart: readonly [Product, number][], rate: number, context: string): void {
  const orderId = shop.ids.orderId();
  let subtotal = 0;
  for (const [p, n] of cart) subtotal += p.priceCents * n;
  const discount = Math.round(subtotal * rate);
  const coupon = rate > 0 ? `SAVE${Math.round(rate * 100)}` : null;
  let allocated = 0;
  cart.forEach(([p, n], i) => {
    const line = i === cart.length - 1 ? discount - allocated : Math.round((discount * p.priceCents * n) / subtotal);
    allocated += line;
    writeOrderLine(shop.orders, orderId, shopper.id, ts, p.productId, p.name, p.category, n, p.priceCents, line,
      shopper.profile.country);
  });
  const revenue = cents(subtotal - discount);
  shop.events.track(shopper.actor, ts, 'Order Completed', `{"order_id":"${orderId}","total":${revenue},"revenue":${revenue},`
    + `"subtotal":${cents(subtotal)},"discount":${cents(discount)},"coupon":${coupon === null ? 'null' : `"${coupon}"`},`
    + `"currency":"USD","products":${productList(cart)}}`, context);
}
