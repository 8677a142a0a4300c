/**
 * Journeys as a first-order Markov chain with two absorbing states (purchase, exit): the transition matrix, the
 * probability of reaching purchase from every state, the most common paths and the removal effect of each step.
 * Reference: Anderl, Becker, von Wangenheim & Schumann (2016) "Mapping the customer journey: Lessons learned from
 * graph-based online attribution modeling", IJRM 33(3) — removal effect = 1 − P(purchase | state removed) / P(purchase).
 */
import { InputError } from '../../core/errors.js';
import { STATE, STATES, STATE_COUNT, isAbsorbing, type JourneyState } from './states.js';

/** Steps of many sessions as columns, sessions contiguous and in ascending index, steps in time order. */
export interface JourneySteps {
  readonly session: Int32Array;
  /** State codes from `STATE`; `start` and `exit` are added by the model and must not appear here. */
  readonly state: Uint8Array;
}

export interface JourneyOptions {
  /** Merge consecutive repeats of one state (product → product) into one step (default true). */
  readonly collapseRepeats?: boolean;
  /** Number of most common paths to return (default 10). */
  readonly topPaths?: number;
}

export interface JourneyPath {
  readonly path: readonly JourneyState[];
  readonly count: number;
}

export interface RemovalEffect {
  readonly state: JourneyState;
  /** P(purchase | start) with the state removed (its incoming traffic sent to exit). */
  readonly purchaseProbability: number;
  /** 1 − purchaseProbability / base; 0 when the base probability is 0. */
  readonly effect: number;
}

export interface JourneyModel {
  readonly states: readonly JourneyState[];
  readonly sessions: number;
  /** Transition counts, row-major `counts[from * states.length + to]`. */
  readonly counts: Float64Array;
  /** Row-normalised counts; absorbing states keep a self-loop of 1, unvisited states go to exit with 1. */
  readonly probabilities: Float64Array;
  /** P(eventually purchase | current state), per state. */
  readonly purchaseProbability: Float64Array;
  readonly paths: readonly JourneyPath[];
  /** Per transient step except start, largest effect first. */
  readonly removalEffects: readonly RemovalEffect[];
}

/**
 * Fits the chain. Each session becomes start → its steps → exit, cut at its first purchase (purchase is absorbing:
 * what a customer does after buying is not part of the path to buying). Cost O(steps + paths log paths + S⁴).
 */
export function fitJourneys(steps: JourneySteps, options: JourneyOptions = {}): JourneyModel {
  const collapse = options.collapseRepeats ?? true;
  const top = options.topPaths ?? 10;
  validate(steps, top);
  const S = STATE_COUNT;
  const counts = new Float64Array(S * S);
  const pathCounts = new Map<string, number>();
  const n = steps.session.length;
  const path: number[] = [];
  let sessions = 0;
  const finish = (): void => {
    if (path[path.length - 1] !== STATE.purchase) path.push(STATE.exit);
    for (let k = 1; k < path.length; k++) counts[path[k - 1]! * S + path[k]!]! += 1;
    const key = path.join(',');
    pathCounts.set(key, (pathCounts.get(key) ?? 0) + 1);
    sessions++;
  };
  let done = false;
  for (let i = 0; i < n; i++) {
    if (i === 0 || steps.session[i] !== steps.session[i - 1]) {
      if (i > 0) finish();
      path.length = 0;
      path.push(STATE.start);
      done = false;
    }
    if (done) continue;
    const s = steps.state[i]!;
    if (collapse && path[path.length - 1] === s) continue;
    path.push(s);
    if (s === STATE.purchase) done = true;
  }
  if (n > 0) finish();

  const probabilities = transitionProbabilities(counts);
  const purchaseProbability = absorption(probabilities, -1);
  const base = purchaseProbability[STATE.start]!;
  const removalEffects: RemovalEffect[] = [];
  for (let r = 0; r < S; r++) {
    if (r === STATE.start || isAbsorbing(r)) continue;
    const p = absorption(probabilities, r)[STATE.start]!;
    removalEffects.push({ state: STATES[r]!, purchaseProbability: p, effect: base > 0 ? 1 - p / base : 0 });
  }
  removalEffects.sort((x, y) => y.effect - x.effect || STATE[x.state] - STATE[y.state]);
  const paths = [...pathCounts.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, top)
    .map(([key, count]) => ({ path: key.split(',').map((c) => STATES[Number(c)]!), count }));
  return { states: STATES, sessions, counts, probabilities, purchaseProbability, paths, removalEffects };
}

/** Row-normalises counts; a row without counts goes to exit (transient) or stays put (absorbing). Cost O(S²). */
export function transitionProbabilities(counts: Float64Array): Float64Array {
  const S = STATE_COUNT;
  const p = new Float64Array(S * S);
  for (let i = 0; i < S; i++) {
    if (isAbsorbing(i)) {
      p[i * S + i] = 1;
      continue;
    }
    let total = 0;
    for (let j = 0; j < S; j++) total += counts[i * S + j]!;
    if (total === 0) p[i * S + STATE.exit] = 1;
    else for (let j = 0; j < S; j++) p[i * S + j] = counts[i * S + j]! / total;
  }
  return p;
}

/**
 * P(absorbed in purchase | state) by solving (I − Q) h = R·e_purchase over the transient states with Gaussian
 * elimination (partial pivoting). `removed` ≥ 0 sends every transition into that state to exit instead.
 * Cost O(S³).
 */
export function absorption(probabilities: Float64Array, removed: number): Float64Array {
  const S = STATE_COUNT;
  const transient: number[] = [];
  for (let i = 0; i < S; i++) if (!isAbsorbing(i) && i !== removed) transient.push(i);
  const m = transient.length;
  const a = new Float64Array(m * (m + 1)); // augmented [I − Q | b]
  for (let r = 0; r < m; r++) {
    const i = transient[r]!;
    for (let c = 0; c < m; c++) a[r * (m + 1) + c] = (r === c ? 1 : 0) - probabilities[i * S + transient[c]!]!;
    a[r * (m + 1) + m] = probabilities[i * S + STATE.purchase]!;
  }
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * (m + 1) + c]!) > Math.abs(a[pivot * (m + 1) + c]!)) pivot = r;
    if (Math.abs(a[pivot * (m + 1) + c]!) < 1e-12) {
      throw new RangeError(`journey absorption requires every state to reach purchase or exit (state ${STATES[transient[c]!]} never leaves)`);
    }
    if (pivot !== c) {
      for (let k = 0; k <= m; k++) {
        const t = a[c * (m + 1) + k]!;
        a[c * (m + 1) + k] = a[pivot * (m + 1) + k]!;
        a[pivot * (m + 1) + k] = t;
      }
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r * (m + 1) + c]! / a[c * (m + 1) + c]!;
      if (f === 0) continue;
      for (let k = c; k <= m; k++) a[r * (m + 1) + k]! -= f * a[c * (m + 1) + k]!;
    }
  }
  const h = new Float64Array(S);
  h[STATE.purchase] = 1;
  for (let r = 0; r < m; r++) h[transient[r]!] = Math.min(1, Math.max(0, a[r * (m + 1) + m]! / a[r * (m + 1) + r]!));
  return h;
}

function validate(steps: JourneySteps, top: number): void {
  const n = steps.session.length;
  if (steps.state.length !== n) throw new InputError(`fitJourneys requires session and state of one length (got ${n}, ${steps.state.length})`);
  if (!(Number.isInteger(top) && top >= 0)) throw new InputError(`fitJourneys requires topPaths to be a whole number ≥ 0 (got ${top})`);
  for (let i = 0; i < n; i++) {
    const s = steps.state[i]!;
    if (s >= STATE_COUNT || s === STATE.start || s === STATE.exit) {
      throw new InputError(`fitJourneys requires step states other than start and exit, below ${STATE_COUNT} (got ${s} at step ${i})`, [
        { path: `step ${i}`, message: `bad state ${s}` },
      ]);
    }
    if (i > 0 && steps.session[i]! < steps.session[i - 1]!) {
      throw new InputError(`fitJourneys requires sessions in ascending order (got session ${steps.session[i]} after ${steps.session[i - 1]} at step ${i})`, [
        { path: `step ${i}`, message: 'sessions out of order' },
      ]);
    }
  }
}
