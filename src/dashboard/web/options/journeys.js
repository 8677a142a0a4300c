/**
 * The Journeys page's funnel from the `journeys` payload: sessions reaching each checkout step in order, with the
 * drop-off from the step before. Returns a chart spec (./index.js), or null when there is no funnel.
 */
import { fmt } from '../ui.js';
import { describedTooltip, INK } from './style.js';

/** One colour per journey step (Okabe–Ito, then a few more), the same on the flow graph and the funnel. */
export const STATE_COLOURS = ['#0072B2', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#D55E00', '#332288', '#7F7F7F', '#117733', '#882255'];

export function funnelChart(data) {
  const steps = data.funnel;
  if (steps.length === 0) return null;
  const describe = (_series, i) => {
    const s = steps[i];
    return s ? `${s.step}\n${fmt.int(s.sessions)} sessions (${fmt.pct(s.shareOfFirst)} of the first step)${s.dropOff !== null ? `\ndrop-off ${fmt.pct(s.dropOff)}` : ''}` : null;
  };
  return {
    id: 'journey-funnel',
    title: 'Funnel: sessions reaching each step in order',
    hint: null,
    height: Math.max(260, 60 * steps.length),
    option: {
      tooltip: { formatter: describedTooltip(describe) },
      series: [{
        type: 'funnel', sort: 'none', left: '10%', width: '60%', top: 10, bottom: 10, minSize: '8%', gap: 2,
        label: { position: 'right', color: INK, formatter: (p) => { const s = steps[p.dataIndex]; return `${s.step}: ${fmt.int(s.sessions)}${s.dropOff !== null ? ` (−${fmt.pct(s.dropOff, 0)})` : ''}`; } },
        data: steps.map((s, i) => ({ name: s.step, value: s.sessions, itemStyle: { color: STATE_COLOURS[i % STATE_COLOURS.length] } })),
      }],
    },
    csv: { headers: ['step', 'sessions', 'share_of_first', 'drop_off'], rows: steps.map((s) => [s.step, s.sessions, s.shareOfFirst, s.dropOff]) },
    describe,
  };
}
