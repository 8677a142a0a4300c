/**
 * CLV fitting benchmark: BG/NBD, Pareto/NBD and Gamma-Gamma on the full CDNOW master (23,570 customers, weeks)
 * and BG/NBD on 1,000,000 synthetic customers drawn from known parameters (grouped into weighted rows). Fit time
 * only. Online Retail is measured in `pipeline/clv/online-retail.bench.ts` (it needs the DuckDB reader).
 * Peer: Python lifetimes is not installable here, so no peer column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Bench, BenchRow } from '../../bench/types.js';
import { createRng } from '../../core/rng.js';
import { fitBgNbd, type BgNbdParams } from './bgnbd.js';
import { readCdnowTransactions } from './cdnow.js';
import { fitGammaGamma, repeatBuyers } from './gamma-gamma.js';
import { simulateBgNbd } from './simulate.js';
import { summarise } from './summarise.js';
import { fitParetoNbd } from './pareto-nbd.js';
import { groupSummary } from './summary.js';

const PEER_NOTE = 'lifetimes is not installable here';
const TRUE_PARAMS: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function timed<T>(run: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const show = (p: object): string => Object.entries(p).map(([k, v]) => `${k}=${(v as number).toFixed(3)}`).join(' ');

const bench: Bench = {
  name: 'clv',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const master = resolve(process.cwd(), '../shared/data/cdnow/CDNOW_master.txt');
    if (existsSync(master)) {
      const tx = readCdnowTransactions(readFileSync(master, 'utf8'), master, 'master');
      const s = summarise(tx, { calibrationEnd: '1997-09-30', unit: 'weeks' });
      const bg = timed(() => fitBgNbd(s));
      rows.push({ name: `BG/NBD fit, CDNOW master (${s.frequency.length} customers)`, oursSeconds: bg.seconds, note: `${show(bg.value.params)} LL=${bg.value.logLikelihood.toFixed(1)} converged=${bg.value.converged}; ${PEER_NOTE}` });
      const grouped = timed(() => fitBgNbd(groupSummary(s)));
      rows.push({ name: 'BG/NBD fit, CDNOW master, grouped rows', oursSeconds: grouped.seconds, note: `${groupSummary(s).frequency.length} distinct rows; ${show(grouped.value.params)}` });
      const pn = timed(() => fitParetoNbd(s));
      rows.push({ name: 'Pareto/NBD fit, CDNOW master (groups rows itself)', oursSeconds: pn.seconds, note: `${show(pn.value.params)} LL=${pn.value.logLikelihood.toFixed(1)} converged=${pn.value.converged}; ${PEER_NOTE}` });
      const gg = timed(() => fitGammaGamma(repeatBuyers(s.frequency, s.monetary)));
      rows.push({ name: 'Gamma-Gamma fit, CDNOW master repeat buyers', oursSeconds: gg.seconds, note: `${show(gg.value.params)} converged=${gg.value.converged}; ${PEER_NOTE}` });
    } else {
      rows.push({ name: 'CDNOW master', oursSeconds: NaN, note: `skipped: ${master} is absent` });
    }
    const n = ctx.quick ? 100_000 : 1_000_000;
    const synthetic = simulateBgNbd(TRUE_PARAMS, n, createRng(20240601));
    const fit = timed(() => {
      const g = groupSummary(synthetic);
      return { g, fit: fitBgNbd(g) };
    });
    rows.push({
      name: `BG/NBD fit, ${n.toLocaleString('en')} synthetic customers (group + fit)`,
      oursSeconds: fit.seconds,
      note: `${fit.value.g.frequency.length} distinct rows; true ${show(TRUE_PARAMS)}; recovered ${show(fit.value.fit.params)} converged=${fit.value.fit.converged}; ${PEER_NOTE}`,
    });
    return rows;
  },
};

export default bench;
