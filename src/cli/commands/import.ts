import { createProgress } from '../../core/progress.js';
import { InputError } from '../../core/errors.js';
import { importEvents, importOrders, type ImportReport } from '../../store/import/index.js';
import { mapFlag, parse } from '../args.js';
import { json } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const importCommand: Command = {
  summary: 'import orders (CSV/Parquet, --map or --preset) or Segment events (JSONL/CSV/Parquet), all-or-nothing',
  usage: [
    'segmenta import orders FILE [--map customer_id=CustomerID,order_id=InvoiceNo,...] [--db FILE] [--json]',
    'segmenta import orders --preset online-retail [FILE]',
    'segmenta import events FILE.jsonl|.csv|.parquet [--db FILE] [--json]',
    '',
    'Order fields: order_id, customer_id, ordered_at, product_id, description, category, quantity, unit_price, discount, country.',
    'A bad row stops the import with the file, line, column and value; nothing is written.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parse('import', argv, { map: { type: 'string' }, preset: { type: 'string' } });
    const [kind, file] = positionals;
    if (kind !== 'orders' && kind !== 'events') throw new InputError(`import needs a kind: orders or events (got ${JSON.stringify(kind ?? '')})`);
    const progress = createProgress(io.interactive && !values.json);
    const report = await withStore(values.db, (store) =>
      kind === 'orders'
        ? importOrders(store, { file, map: mapFlag(values.map), preset: values.preset, progress })
        : importEvents(store, { file: file ?? missingFile(), progress }),
    );
    io.out(values.json ? json(report) : formatImport(report));
    return 0;
  },
};

function missingFile(): never {
  throw new InputError('import events needs a file (JSONL, CSV or Parquet)');
}

export function formatImport(r: ImportReport): string {
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0).map(([why, n]) => `${n.toLocaleString('en-US')} ${why.replace(/_/g, ' ')}`);
  const flags = Object.entries(r.flags).filter(([, n]) => n > 0).map(([what, n]) => `${n.toLocaleString('en-US')} ${what.replace(/_/g, ' ')}`);
  return [
    `imported ${r.kind} from ${r.source}: ${r.rowsRead.toLocaleString('en-US')} rows read, ${r.rowsWritten.toLocaleString('en-US')} written in ${(r.durationMs / 1000).toFixed(1)} s`,
    skipped.length ? `skipped: ${skipped.join(', ')}` : '',
    flags.length ? `flagged for cleaning (kept): ${flags.join(', ')}` : '',
  ].filter(Boolean).join('\n');
}
