import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitJourneys, STATE, STATES, type JourneyState } from './index.js';

/** Builds typed-array steps from one array of state names per session. */
function steps(sessions: readonly (readonly JourneyState[])[]) {
  const session: number[] = [];
  const state: number[] = [];
  sessions.forEach((names, s) => names.forEach((name) => (session.push(s), state.push(STATE[name]))));
  return { session: Int32Array.from(session), state: Uint8Array.from(state) };
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
const S = STATES.length;

// Hand-computed chain. Sessions: home>product>cart>purchase, home>product, product>cart, home.
// P: start→home 3/4, start→product 1/4; home→product 2/3, home→exit 1/3; product→cart 2/3, product→exit 1/3;
// cart→purchase 1/2, cart→exit 1/2. So h(cart) = 1/2, h(product) = 1/3, h(home) = 2/9,
// h(start) = 3/4·2/9 + 1/4·1/3 = 1/4. Removing home leaves start→product only: 1/4·1/3 = 1/12, effect 1 − 1/3 = 2/3.
const chain = steps([
  ['home', 'product', 'cart', 'purchase'],
  ['home', 'product'],
  ['product', 'cart'],
  ['home'],
]);

describe('fitJourneys', () => {
  it('counts transitions and row-normalises them', () => {
    const m = fitJourneys(chain);
    assert.equal(m.sessions, 4);
    assert.equal(m.counts[STATE.start * S + STATE.home], 3);
    assert.equal(m.counts[STATE.cart * S + STATE.exit], 1);
    close(m.probabilities[STATE.start * S + STATE.home]!, 3 / 4);
    close(m.probabilities[STATE.home * S + STATE.exit]!, 1 / 3);
    close(m.probabilities[STATE.purchase * S + STATE.purchase]!, 1);
    close(m.probabilities[STATE.checkout * S + STATE.exit]!, 1);
  });

  it('solves P(purchase | state) of the absorbing chain by hand-computed values', () => {
    const h = fitJourneys(chain).purchaseProbability;
    close(h[STATE.start]!, 1 / 4);
    close(h[STATE.home]!, 2 / 9);
    close(h[STATE.product]!, 1 / 3);
    close(h[STATE.cart]!, 1 / 2);
    close(h[STATE.purchase]!, 1);
    close(h[STATE.exit]!, 0);
    close(h[STATE.category]!, 0);
  });

  it('gives removal effects 1 for product and cart, 2/3 for home, 0 for unvisited steps', () => {
    const effects = fitJourneys(chain).removalEffects;
    assert.deepEqual(effects.map((e) => e.state), ['product', 'cart', 'home', 'category', 'checkout', 'other']);
    close(effects[0]!.effect, 1);
    close(effects[1]!.effect, 1);
    close(effects[2]!.effect, 2 / 3);
    close(effects[2]!.purchaseProbability, 1 / 12);
    close(effects[3]!.effect, 0);
  });

  it('lists the most common paths, ties in path order', () => {
    const m = fitJourneys(steps([['home'], ['home'], ['product', 'cart'], ['home']]), { topPaths: 2 });
    assert.deepEqual(m.paths, [
      { path: ['start', 'home', 'exit'], count: 3 },
      { path: ['start', 'product', 'cart', 'exit'], count: 1 },
    ]);
  });

  it('merges repeated states and cuts a session at its first purchase', () => {
    const m = fitJourneys(steps([['product', 'product', 'purchase', 'home', 'purchase']]));
    assert.deepEqual(m.paths, [{ path: ['start', 'product', 'purchase'], count: 1 }]);
    const kept = fitJourneys(steps([['product', 'product']]), { collapseRepeats: false });
    assert.equal(kept.counts[STATE.product * S + STATE.product], 1);
    close(kept.purchaseProbability[STATE.start]!, 0);
  });

  it('rejects sessions out of order and the start state as a step, naming the step', () => {
    assert.throws(() => fitJourneys({ session: Int32Array.of(1, 0), state: Uint8Array.of(STATE.home, STATE.home) }), {
      message: 'fitJourneys requires sessions in ascending order (got session 0 after 1 at step 1)',
    });
    assert.throws(() => fitJourneys({ session: Int32Array.of(0), state: Uint8Array.of(STATE.start) }), {
      message: 'fitJourneys requires step states other than start and exit, below 9 (got 0 at step 0)',
    });
  });

  it('fits an empty input to zero sessions and zero purchase probability', () => {
    const m = fitJourneys({ session: new Int32Array(0), state: new Uint8Array(0) });
    assert.equal(m.sessions, 0);
    assert.equal(m.purchaseProbability[STATE.start], 0);
    assert.ok(m.removalEffects.every((e) => e.effect === 0));
  });
});
