/**
 * The states of a shopping journey as small integer codes, so that sessions travel as typed arrays.
 * `start` opens every session; `purchase` and `exit` are absorbing.
 */
export const STATES = ['start', 'home', 'category', 'product', 'cart', 'checkout', 'other', 'purchase', 'exit'] as const;
export type JourneyState = (typeof STATES)[number];

/** State name → code, e.g. `STATE.cart === 4`. */
export const STATE = Object.fromEntries(STATES.map((s, i) => [s, i])) as { readonly [K in JourneyState]: number };

export const STATE_COUNT = STATES.length;

/** True for the two absorbing states. */
export function isAbsorbing(code: number): boolean {
  return code === STATE.purchase || code === STATE.exit;
}
