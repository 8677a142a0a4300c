/**
 * The journeys page: the shopping journey as a Markov chain (transition matrix, P(purchase) per state, top paths,
 * removal effects — `models/journeys`) and the checkout funnel. Steps are mapped from events by the CLV stage's
 * `EVENT_STATE_SQL` (what `readJourneySteps` reads), over a seeded sample of whole sessions on large stores.
 */
import { fitJourneys, type JourneySteps } from '../../models/journeys/index.js';
import { EVENT_STATE_SQL } from '../../pipeline/clv/index.js';
import type { Store } from '../../store/db.js';
import { checkoutFunnel } from './funnel.js';
import { emptyState, loadRunState, tableExists } from './run-state.js';
import { sampleParams, sessionSample, type SessionSample } from './session-sample.js';
import type { JourneysPayload } from './types.js';

/** The sampling seed when no run gives one. */
const DEFAULT_SEED = 1;

/**
 * The journeys payload. Bounded: about `MAX_JOURNEY_EVENTS` events' worth of whole sessions are read (a seeded
 * sample when `events` holds more), so 100k customers take a few seconds. Cost: two scans of `events` (steps, funnel),
 * a sort of the sampled steps, and the chain's O(steps + S⁴).
 */
export async function journeys(store: Store, options: { maxEvents?: number } = {}): Promise<JourneysPayload> {
  const rs = await loadRunState(store);
  const seed = rs.latest?.ref.seed ?? DEFAULT_SEED;
  if (!(await tableExists(store, 'events'))) return emptyPayload(emptyState(rs.hasData), seed);
  const sample = await sessionSample(store, seed, options.maxEvents);
  const model = fitJourneys(await readSampledSteps(store, sample));
  if (model.sessions === 0) {
    return emptyPayload(rs.hasData ? { state: 'empty', message: 'No journeys yet: journeys need behaviour events (page views, product events) with a session id.' } : emptyState(false), seed);
  }
  const funnel = await checkoutFunnel(store, sample);
  const S = model.states.length;
  const matrix = (values: Float64Array) => Array.from({ length: S }, (_, i) => Array.from(values.subarray(i * S, (i + 1) * S)));
  return {
    state: 'ready',
    message: sample.sampled
      ? `Journeys and funnel use a seeded sample of ${(sample.fraction * 100).toFixed(1)}% of sessions (${model.sessions.toLocaleString('en-US')} sessions).`
      : null,
    states: [...model.states],
    transitions: matrix(model.probabilities),
    counts: matrix(model.counts),
    purchaseProbability: model.states.map((state, i) => ({ state, probability: model.purchaseProbability[i]! })),
    paths: model.paths.map((p) => ({ path: [...p.path], count: p.count })),
    removalEffects: model.removalEffects.map((r) => ({ state: r.state, purchaseProbability: r.purchaseProbability, effect: r.effect })),
    funnel,
    sample: { sessionsTotal: sample.sampled ? Math.round(model.sessions / sample.fraction) : model.sessions, sessionsUsed: model.sessions, sampled: sample.sampled, fraction: sample.fraction, seed },
  };
}

/** The sampled sessions' steps in (session_id, ts, message_id) order, sessions numbered 0.. (as `readJourneySteps`). */
async function readSampledSteps(store: Store, sample: SessionSample): Promise<JourneySteps> {
  const m = await store.readMatrix(
    `SELECT session_id, state FROM (
       SELECT session_id, ts, message_id, ${EVENT_STATE_SQL} AS state FROM events WHERE session_id IS NOT NULL AND ${sample.predicate}
     ) WHERE state IS NOT NULL ORDER BY session_id, ts, message_id`,
    sampleParams(sample),
  );
  const session = new Int32Array(m.rows);
  const state = new Uint8Array(m.rows);
  let current = -1;
  for (let i = 0; i < m.rows; i++) {
    if (i === 0 || m.ids[i] !== m.ids[i - 1]) current++;
    session[i] = current;
    state[i] = m.values[i]!;
  }
  return { session, state };
}

function emptyPayload(base: { state: JourneysPayload['state']; message: string }, seed: number): JourneysPayload {
  return {
    ...base, states: [], transitions: [], counts: [], purchaseProbability: [], paths: [], removalEffects: [], funnel: [],
    sample: { sessionsTotal: 0, sessionsUsed: 0, sampled: false, fraction: 1, seed },
  };
}
