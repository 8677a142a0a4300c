import { createProgress } from '../../core/progress.js';
import { generateShop } from '../../synth/index.js';
import { intFlag, parse } from '../args.js';
import { json, table } from '../output.js';
import type { Command } from './command.js';

export const generateCommand: Command = {
  summary: 'generate a synthetic shop (products, Segment-shaped events, orders, truth.csv) from known personas',
  usage: 'segmenta generate [--customers N (default 20000)] [--seed S (default 42)] [--out DIR (default shop)] [--json]',
  async run(argv, io) {
    const { values } = parse('generate', argv, { customers: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string', default: 'shop' } });
    const report = await generateShop({
      customers: intFlag('customers', values.customers, 20_000, 1, 50_000_000),
      seed: intFlag('seed', values.seed, 42),
      out: values.out ?? 'shop',
      progress: createProgress(io.interactive && !values.json),
    });
    if (values.json) io.out(json(report));
    else {
      io.out(`wrote ${values.out}: ${report.customers.toLocaleString('en-US')} customers, ${report.events.toLocaleString('en-US')} events, ${report.orders.toLocaleString('en-US')} orders in ${(report.elapsedMs / 1000).toFixed(1)} s`);
      io.out(table(['persona', 'customers'], Object.entries(report.personas).map(([p, n]) => [p, n])));
    }
    return 0;
  },
};
