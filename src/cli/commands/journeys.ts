import { fitJourneys, isAbsorbing, STATES, type JourneyModel } from '../../models/journeys/index.js';
import { readJourneySteps } from '../../pipeline/clv/index.js';
import { intFlag, parse } from '../args.js';
import { json, table } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const journeysCommand: Command = {
  summary: 'shopping journeys as a Markov chain: transitions, P(purchase | step), top paths, removal effects',
  usage: 'segmenta journeys [--db FILE] [--top N (default 10 paths)] [--keep-repeats] [--json]',
  async run(argv, io) {
    const { values } = parse('journeys', argv, { top: { type: 'string' }, 'keep-repeats': { type: 'boolean', default: false } });
    const top = intFlag('top', values.top, 10, 0, 100_000);
    const steps = await withStore(values.db, (store) => readJourneySteps(store), { readOnly: values.db !== undefined && values.db !== ':memory:' });
    const model = fitJourneys(steps, { topPaths: top, collapseRepeats: !values['keep-repeats'] });
    io.out(values.json ? json(journeysJson(model)) : formatJourneys(model));
    return 0;
  },
};

export function journeysJson(m: JourneyModel) {
  const S = m.states.length;
  const transitions: { from: string; to: string; count: number; probability: number }[] = [];
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < S; j++) {
      const count = m.counts[i * S + j]!;
      if (count > 0) transitions.push({ from: m.states[i]!, to: m.states[j]!, count, probability: m.probabilities[i * S + j]! });
    }
  }
  return {
    sessions: m.sessions,
    states: m.states,
    transitions,
    purchaseProbability: Object.fromEntries(m.states.map((s, i) => [s, m.purchaseProbability[i]!])),
    paths: m.paths.map((p) => ({ path: p.path.join(' > '), count: p.count })),
    removalEffects: m.removalEffects,
  };
}

function formatJourneys(m: JourneyModel): string {
  const S = m.states.length;
  const from = STATES.filter((s, i) => !isAbsorbing(i) && m.counts.slice(i * S, (i + 1) * S).some((c) => c > 0));
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  return [
    `${m.sessions.toLocaleString('en-US')} sessions`,
    '',
    'transition probabilities (row = from, counts in the JSON):',
    table(['from', ...m.states.slice(1)], from.map((s) => { const i = STATES.indexOf(s); return [s, ...m.states.slice(1).map((_, j) => pct(m.probabilities[i * S + j + 1]!))]; })),
    '',
    table(['state', 'P(purchase)'], m.states.map((s, i) => [s, pct(m.purchaseProbability[i]!)])),
    '',
    `top ${m.paths.length} paths:`,
    table(['path', 'sessions'], m.paths.map((p) => [p.path.join(' > '), p.count])),
    '',
    'removal effects (share of purchases lost when the step is removed):',
    table(['step', 'P(purchase) without it', 'effect'], m.removalEffects.map((e) => [e.state, pct(e.purchaseProbability), pct(e.effect)])),
  ].join('\n');
}
