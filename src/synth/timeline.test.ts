import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../core/rng.js';
import { PERSONAS, PERSONA_SPECS, personaAt, personaCdf } from './personas.js';
import { drawTimeline } from './timeline.js';

const DAYS = 365;

test('drawTimeline keeps every order and visit inside [firstSeen, days) and sorted, for every persona', () => {
  const rng = createRng(11);
  for (const persona of PERSONAS) {
    for (let i = 0; i < 300; i++) {
      const t = drawTimeline(rng, PERSONA_SPECS[persona], DAYS, persona !== 'window_shoppers');
      assert.equal(t.visits[0], t.firstSeen, `${persona}: the first visit is at first seen`);
      for (const list of [t.orders, t.visits]) {
        for (let j = 0; j < list.length; j++) {
          assert.ok(list[j]! >= t.firstSeen && list[j]! < DAYS, `${persona}: day ${list[j]} outside [${t.firstSeen}, ${DAYS})`);
          if (j > 0) assert.ok(list[j]! >= list[j - 1]!, `${persona}: days not sorted`);
        }
      }
      if (persona === 'window_shoppers') assert.ok(t.orders.length <= 1, `window shopper with ${t.orders.length} orders`);
      else assert.ok(t.orders.length >= 1, `${persona} without an order`);
    }
  }
});

test('drawTimeline gives each persona its shape: new are recent, dormant and churners stopped, growth grows', () => {
  const rng = createRng(5);
  const n = 400;
  const stats = (persona: (typeof PERSONAS)[number]) => {
    let firstSeen = 0;
    let lastOrder = 0;
    let last90 = 0;
    let prev90 = 0;
    for (let i = 0; i < n; i++) {
      const t = drawTimeline(rng, PERSONA_SPECS[persona], DAYS, true);
      firstSeen += t.firstSeen / n;
      lastOrder += t.orders[t.orders.length - 1]! / n;
      for (const d of t.orders) {
        if (d >= DAYS - 90) last90++;
        else if (d >= DAYS - 180) prev90++;
      }
    }
    return { firstSeen, recency: DAYS - lastOrder, trend: (last90 - prev90) / Math.max(1, last90 + prev90) };
  };
  assert.ok(stats('new_customers').firstSeen > DAYS - 45);
  const dormant = stats('dormant');
  assert.ok(dormant.recency > 250, `dormant recency ${dormant.recency}`);
  const churn = stats('churn_risk');
  assert.ok(churn.recency > 95 && churn.recency < 155, `churn recency ${churn.recency}`);
  assert.equal(churn.trend, -1);
  assert.ok(stats('potential_growth').trend > 0.3);
  assert.ok(Math.abs(stats('stable_value').trend) < 0.1);
  assert.ok(stats('high_value_active').recency < 20);
});

test('personaAt draws personas with the specified shares', () => {
  const cdf = personaCdf();
  const rng = createRng(3);
  const counts = new Map<string, number>();
  const n = 40_000;
  for (let i = 0; i < n; i++) {
    const p = personaAt(cdf, rng.next());
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  for (const p of PERSONAS) {
    const share = (counts.get(p) ?? 0) / n;
    assert.ok(Math.abs(share - PERSONA_SPECS[p].share) < 0.01, `${p}: share ${share} vs ${PERSONA_SPECS[p].share}`);
  }
});
