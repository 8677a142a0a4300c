/**
 * A customer's year as day offsets from the window start: when they were first seen, when they ordered and
 * when they only browsed. One handler per `OrderPattern` kind. All times lie in [firstSeen, days).
 */
import type { Rng } from '../core/rng.js';
import type { OrderPattern, PersonaSpec } from './personas.js';
import { chance, clamp, intBetween, logNormal, poisson, uniform } from './random.js';

export interface Timeline {
  readonly firstSeen: number;
  /** Order days, ascending. */
  readonly orders: number[];
  /** Browsing-visit days, ascending; the first is always `firstSeen` (every customer has a first visit). */
  readonly visits: number[];
}

/** Latest day a visit may start, so a visit (under an hour) ends inside the window. */
const END_MARGIN = 0.05;
/** A purchase visit comes at least this long after the first visit. */
const AFTER_FIRST = 0.02;

type Handler<K extends OrderPattern['kind']> = (
  rng: Rng, pattern: Extract<OrderPattern, { kind: K }>, firstSeen: number, days: number, pace: number,
) => number[];

const ORDER_HANDLERS: { [K in OrderPattern['kind']]: Handler<K> } = {
  steady(rng, p, from, days, pace) {
    const interval = 365 / (p.perYear * pace);
    const out: number[] = [];
    for (let t = from + uniform(rng, 0, interval); t < days; t += interval * Math.max(0.2, 1 + p.jitter * rng.normal())) out.push(t);
    return out;
  },
  poisson(rng, p, from, days, pace) {
    return uniformTimes(rng, poisson(rng, (p.perYear * pace * (days - from)) / 365), from, days);
  },
  growing(rng, p, from, days, pace) {
    const n = poisson(rng, (p.perYear * pace * (days - from)) / 365);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(from + (days - from) * rng.next() ** (1 / (p.power + 1)));
    return out;
  },
  stopped(rng, p, from, days, pace) {
    const stop = days - uniform(rng, p.stopBeforeEnd[0], p.stopBeforeEnd[1]);
    const out = uniformTimes(rng, poisson(rng, (p.perYear * pace * (stop - from)) / 365), from, stop);
    out.push(stop);
    return out;
  },
  early(rng, p, from, days) {
    return uniformTimes(rng, intBetween(rng, p.count[0], p.count[1]), from, Math.min(days, from + p.withinDays));
  },
  few(rng, p, from, days) {
    return uniformTimes(rng, intBetween(rng, p.count[0], p.count[1]), from, days);
  },
  maybeOne(rng, p, from, days) {
    return chance(rng, p.pOne) ? uniformTimes(rng, 1, from, Math.min(days, from + p.withinDays)) : [];
  },
};

function uniformTimes(rng: Rng, n: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(uniform(rng, from, to));
  return out;
}

/** Draws one customer's timeline; `needsOrder` forces at least one order (every persona but window shoppers). */
export function drawTimeline(rng: Rng, spec: PersonaSpec, days: number, needsOrder: boolean): Timeline {
  const [lo, hi] = spec.firstSeen.days;
  const firstSeen = clamp(spec.firstSeen.fromEnd ? days - uniform(rng, lo, hi) : uniform(rng, lo, hi), 0, days - 1);
  const pace = logNormal(rng, 1, 0.15);
  const pattern = spec.orders;
  const handler = ORDER_HANDLERS[pattern.kind] as Handler<typeof pattern.kind>;
  const raw = handler(rng, pattern as never, firstSeen, days, pace);
  if (raw.length === 0 && needsOrder) raw.push(uniform(rng, firstSeen, days));
  const orders = raw.map((t) => clamp(t, firstSeen + AFTER_FIRST, days - END_MARGIN)).sort((a, b) => a - b);

  const lastOrder = orders.length > 0 ? orders[orders.length - 1]! : firstSeen;
  const activeEnd = spec.activeUntil.kind === 'end' ? days : Math.min(days, lastOrder + spec.activeUntil.plusDays);
  const visitCount = poisson(rng, (spec.browsePerMonth * pace * (activeEnd - firstSeen)) / 30);
  const visits = uniformTimes(rng, visitCount, firstSeen + AFTER_FIRST, activeEnd);
  const late = intBetween(rng, spec.lateVisits[0], spec.lateVisits[1]);
  if (activeEnd < days) for (const t of uniformTimes(rng, late, activeEnd, days)) visits.push(t);
  const clamped = visits.map((t) => clamp(t, firstSeen + AFTER_FIRST, days - END_MARGIN)).sort((a, b) => a - b);
  return { firstSeen, orders, visits: [Math.min(firstSeen, days - END_MARGIN - AFTER_FIRST), ...clamped] };
}
