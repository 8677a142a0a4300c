import { writeFileSync } from 'node:fs';
import { InputError, describeValue } from '../../core/errors.js';
import { CLV_MODELS, PRESETS, readClvFile, readOnlineRetail, runClv, type ClvModel, type ClvReport, type Preset } from '../../pipeline/clv/index.js';
import { dateFlag, intFlag, parse } from '../args.js';
import { json, table } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const clvCommand: Command = {
  summary: 'customer lifetime value: BG/NBD, Pareto/NBD or MBG/NBD purchases × Gamma-Gamma spend, with holdout checks',
  usage:
    'segmenta clv (--input transactions.csv|parquet|summary.csv | --preset online-retail) --unit days|weeks ' +
    '[--calibration-end DATE] [--holdout-end DATE] [--model bgnbd|pareto|mbgnbd (default bgnbd)] [--spend gamma-gamma|none] ' +
    '[--horizon-periods N (default 12 months)] [--discount-rate R (default 0.01 per month)] [--top N (default 10)] ' +
    '[--out customers.csv] [--allow-unconverged] [--json]\n' +
    'Input columns: customer_id,date[,amount] (transactions; --calibration-end required) or frequency,recency,T[,monetary] (summary).',
  async run(argv, io) {
    const { values } = parse('clv', argv, {
      input: { type: 'string' }, preset: { type: 'string' }, 'calibration-end': { type: 'string' }, 'holdout-end': { type: 'string' },
      unit: { type: 'string' }, model: { type: 'string', default: 'bgnbd' }, spend: { type: 'string' },
      'horizon-periods': { type: 'string' }, 'discount-rate': { type: 'string' }, top: { type: 'string' }, out: { type: 'string' },
      'allow-unconverged': { type: 'boolean', default: false },
    });
    if ((values.input === undefined) === (values.preset === undefined)) throw new InputError(`clv requires exactly one of --input FILE or --preset online-retail (got ${values.input === undefined ? 'neither' : 'both'})`);
    const preset = values.preset;
    if (preset !== undefined && !(preset in PRESETS)) throw new InputError(`--preset must be one of ${Object.keys(PRESETS).join(', ')} (got ${describeValue(preset)})`);
    const unit = values.unit;
    if (unit !== 'days' && unit !== 'weeks') throw new InputError(`--unit must be days or weeks (got ${describeValue(unit)})`);
    const model = values.model as ClvModel;
    if (!CLV_MODELS.includes(model)) throw new InputError(`--model must be one of ${CLV_MODELS.join(', ')} (got ${describeValue(values.model)})`);
    if (values.spend !== undefined && values.spend !== 'gamma-gamma' && values.spend !== 'none') throw new InputError(`--spend must be gamma-gamma or none (got ${describeValue(values.spend)})`);
    const rate = values['discount-rate'] === undefined ? undefined : Number(values['discount-rate']);
    if (rate !== undefined && !(Number.isFinite(rate) && rate > -1 && rate < 1)) throw new InputError(`--discount-rate must be a number between -1 and 1 per period (got ${describeValue(values['discount-rate'])})`);
    const day = (name: string, v: string | undefined) => dateFlag(name, v)?.toISOString().slice(0, 10);
    const top = intFlag('top', values.top, 10, 0, 1_000_000);

    const input = await withStore(':memory:', (store) => (preset !== undefined ? readOnlineRetail(store, PRESETS[preset as Preset]) : readClvFile(store, values.input!)));
    const report = runClv(input, {
      model, unit,
      ...(values['calibration-end'] !== undefined ? { calibrationEnd: day('calibration-end', values['calibration-end']) } : {}),
      ...(values['holdout-end'] !== undefined ? { holdoutEnd: day('holdout-end', values['holdout-end']) } : {}),
      ...(values.spend !== undefined ? { spend: values.spend === 'gamma-gamma' } : {}),
      horizonPeriods: intFlag('horizon-periods', values['horizon-periods'], 12, 1, 10_000),
      ...(rate !== undefined ? { discountRate: rate } : {}),
      allowUnconverged: values['allow-unconverged'],
    });
    if (values.out) writeFileSync(values.out, toCsv(report));
    if (values.json) for (const w of report.warnings) io.err(`warning: ${w}`);
    io.out(values.json ? json(toJson(report)) : formatClv(report, top));
    return 0;
  },
};

/** A finite number, or null: the output never carries NaN or Infinity. */
const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

function customerRows(r: ClvReport) {
  return r.ids.map((id, i) => ({
    id, frequency: num(r.frequency[i]), recency: num(r.recency[i]), T: num(r.T[i]),
    pAlive: num(r.pAlive[i]), expectedPurchases: num(r.expectedPurchases[i]),
    expectedSpend: r.expectedSpend ? num(r.expectedSpend[i]) : null, clv: r.clv ? num(r.clv[i]) : null,
    ...(r.holdout ? { holdoutPredicted: num(r.holdout.predicted[i]), holdoutActual: num(r.holdout.actual[i]), holdoutNaive: num(r.holdout.naive[i]) } : {}),
  }));
}

function finiteParams(p: Readonly<Record<string, number>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, num(v)]));
}

export function toJson(r: ClvReport) {
  const h = r.holdout;
  return {
    source: r.source, model: r.model, unit: r.unit, customers: r.customers, excluded: r.excluded, ignoredTransactions: r.ignoredTransactions,
    fit: { ...r.fit, params: finiteParams(r.fit.params), logLikelihood: num(r.fit.logLikelihood) },
    spendFit: r.spendFit ? { ...r.spendFit, params: finiteParams(r.spendFit.params), logLikelihood: num(r.spendFit.logLikelihood) } : null,
    horizon: r.horizon,
    holdout: h ? {
      duration: h.duration, model: h.model, baseline: h.baseline,
      tracking: Array.from(h.tracking.periodEnd, (end, k) => ({
        periodEnd: end, actualIncremental: num(h.tracking.actualIncremental[k]), expectedIncremental: num(h.tracking.expectedIncremental[k]),
        actualCumulative: num(h.tracking.actualCumulative[k]), expectedCumulative: num(h.tracking.expectedCumulative[k]),
      })),
    } : null,
    warnings: r.warnings,
    customerRows: customerRows(r),
  };
}

function toCsv(r: ClvReport): string {
  const rows = customerRows(r);
  const headers = Object.keys(rows[0] ?? { id: '' });
  const cell = (v: unknown) => (v === null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return `${headers.join(',')}\n${rows.map((row) => headers.map((h) => cell((row as Record<string, unknown>)[h])).join(',')).join('\n')}\n`;
}

function formatClv(r: ClvReport, top: number): string {
  const params = (p: Readonly<Record<string, number>>) => Object.entries(p).map(([k, v]) => `${k}=${v.toPrecision(4)}`).join(', ');
  const lines = [
    `${r.model} on ${r.customers.toLocaleString('en-US')} customers (${r.unit}) from ${r.source}`,
    `  excluded: ${r.excluded.firstPurchaseAfterCalibration} first bought after calibration, ${r.excluded.zeroT} with T = 0; ${r.ignoredTransactions} transactions after the window ignored`,
    `  fit: ${params(r.fit.params)}; log-likelihood ${r.fit.logLikelihood.toFixed(1)}; ${r.fit.converged ? 'converged' : 'NOT CONVERGED'} (${r.fit.message})`,
  ];
  if (r.spendFit) lines.push(`  spend (Gamma-Gamma, ${r.spendFit.repeatBuyers} repeat buyers): ${params(r.spendFit.params)}; log-likelihood ${r.spendFit.logLikelihood.toFixed(1)}; ${r.spendFit.converged ? 'converged' : 'NOT CONVERGED'}`);
  lines.push(`  horizon: ${r.horizon.periods} periods × ${r.horizon.periodLength} ${r.unit}, discount ${r.horizon.discountRate} per period`, '');
  const order = Array.from({ length: r.customers }, (_, i) => i);
  const key = r.clv ?? r.expectedPurchases;
  order.sort((i, j) => (num(key[j]) ?? -Infinity) - (num(key[i]) ?? -Infinity) || i - j);
  const show = (v: number | null) => (v === null ? '—' : v);
  lines.push(`top ${Math.min(top, r.customers)} by ${r.clv ? 'CLV' : 'expected purchases'}:`, table(
    ['customer', 'x', 't_x', 'T', 'P(alive)', 'E[purchases]', 'E[spend]', 'CLV'],
    order.slice(0, top).map((i) => [r.ids[i]!, r.frequency[i]!, show(num(r.recency[i])), show(num(r.T[i])), show(num(r.pAlive[i])), show(num(r.expectedPurchases[i])),
      show(r.expectedSpend ? num(r.expectedSpend[i]) : null), show(r.clv ? num(r.clv[i]) : null)]),
  ));
  const h = r.holdout;
  if (h) {
    const acc = (a: { correlation: number | null; mae: number }) => `correlation ${a.correlation === null ? '—' : a.correlation.toFixed(3)}, MAE ${a.mae.toFixed(3)}`;
    lines.push('', `holdout (${h.duration} ${r.unit}): model ${acc(h.model)}; naive past rate ${acc(h.baseline)}`, table(
      ['period end', 'actual', 'expected', 'actual cum.', 'expected cum.'],
      Array.from(h.tracking.periodEnd, (end, k) => [end, h.tracking.actualIncremental[k]!, h.tracking.expectedIncremental[k]!, h.tracking.actualCumulative[k]!, h.tracking.expectedCumulative[k]!]),
    ));
  }
  for (const w of r.warnings) lines.push(`WARNING: ${w}`);
  return lines.join('\n');
}
