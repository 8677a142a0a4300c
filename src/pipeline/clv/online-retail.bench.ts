/**
 * CLV on Online Retail (UCI #352, read through the preset's DuckDB query): calibration up to 2011-09-09, in days
 * and in weeks, fitting BG/NBD and Pareto/NBD on the grouped summary (as `segmenta clv` does). Fit time only; the
 * reading and summarising are done once, untimed. On this data both models put the dropout at the edge of the
 * space (no dropout: BG/NBD a → 0, Pareto/NBD s → 0 or β → ∞) and agree on r, α and the log-likelihood, which the
 * note shows. Peer: Python lifetimes is not installable here, so no peer column.
 */
import { existsSync } from 'node:fs';
import type { Bench, BenchRow } from '../../bench/types.js';
import { fitBgNbd, fitParetoNbd, groupSummary, summarise, type FitResult, type RfmSummary } from '../../models/clv/index.js';
import { Store } from '../../store/db.js';
import { PRESETS, readOnlineRetail } from './read.js';

const PEER_NOTE = 'lifetimes is not installable here';

function timed<T>(run: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const show = (fit: FitResult<object>): string =>
  `${Object.entries(fit.params).map(([k, v]) => `${k}=${(v as number).toPrecision(4)}`).join(' ')} LL=${fit.logLikelihood.toFixed(3)} converged=${fit.converged}`;

const bench: Bench = {
  name: 'clv-online-retail',
  async run() {
    const file = PRESETS['online-retail'];
    if (!existsSync(file)) return [{ name: 'Online Retail', oursSeconds: NaN, note: `skipped: ${file} is absent` }];
    const store = await Store.open(':memory:');
    let input: Awaited<ReturnType<typeof readOnlineRetail>>;
    try {
      input = await readOnlineRetail(store, file);
    } finally {
      store.close();
    }
    if (input.kind !== 'transactions') throw new Error(`the Online Retail preset must read as transactions (got ${input.kind})`);
    const rows: BenchRow[] = [];
    for (const unit of ['days', 'weeks'] as const) {
      const s = summarise(input.transactions, { calibrationEnd: '2011-09-09', unit });
      const keep: number[] = [];
      for (let i = 0; i < s.T.length; i++) if (s.T[i]! > 0) keep.push(i);
      const pick = (col: Float64Array) => Float64Array.from(keep, (i) => col[i]!);
      const rfm: RfmSummary = groupSummary({ frequency: pick(s.frequency), recency: pick(s.recency), T: pick(s.T) });
      const size = `${keep.length} customers, ${rfm.T.length} distinct rows`;
      const bg = timed(() => fitBgNbd(rfm));
      rows.push({ name: `BG/NBD fit, Online Retail (${unit})`, oursSeconds: bg.seconds, note: `${size}; ${show(bg.value)}; ${PEER_NOTE}` });
      const pn = timed(() => fitParetoNbd(rfm));
      rows.push({ name: `Pareto/NBD fit, Online Retail (${unit})`, oursSeconds: pn.seconds, note: `${size}; ${show(pn.value)}; ${PEER_NOTE}` });
    }
    return rows;
  },
};

export default bench;
