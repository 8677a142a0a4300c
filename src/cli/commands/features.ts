import { computeFeatures, exportFeatures } from '../../features/index.js';
import { dateFlag, parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const featuresCommand: Command = {
  summary: 'compute per-customer features as of a date; --out exports them to CSV or Parquet',
  usage: 'segmenta features [--db FILE] [--as-of DATE (default: the day after the last event)] [--out features.csv|features.parquet] [--json]',
  async run(argv, io) {
    const { values } = parse('features', argv, { 'as-of': { type: 'string' }, out: { type: 'string' } });
    const result = await withStore(values.db, async (store) => {
      const snapshot = await computeFeatures(store, { asOf: dateFlag('as-of', values['as-of']) });
      const exported = values.out ? await exportFeatures(store, values.out) : undefined;
      return { ...snapshot, asOf: snapshot.asOf.toISOString(), exported };
    });
    if (values.json) io.out(json(result));
    else {
      io.out(`${result.customers.toLocaleString('en-US')} customers, ${result.columns.length} features as of ${result.asOf.slice(0, 10)} (snapshot ${result.snapshotId})`);
      if (result.exported) io.out(`wrote ${result.exported.file}`);
    }
    return 0;
  },
};
