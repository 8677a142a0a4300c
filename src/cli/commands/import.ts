import { createProgress } from '../../core/progress.js';
import { InputError } from '../../core/errors.js';
import { resolveServeOptions } from '../../server/index.js';
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
    'segmenta import events FILE.jsonl|.csv|.parquet [--db FILE] [--pii-secret S] [--pii-traits email,phone,name] [--store-raw-pii] [--json]',
    '',
    'Order fields: order_id, customer_id, ordered_at, product_id, description, category, quantity, unit_price, discount, country.',
    'A bad row stops the import with the file, line, column and value; nothing is written.',
    'Events: traits named as PII (in traits and context.traits) are stored as hmac-sha256:<hex>, with the secret and',
    'settings `segmenta serve` uses (these flags, else SEGMENTA_PII_SECRET, SEGMENTA_PII_TRAITS, SEGMENTA_STORE_RAW_PII,',
    'else the SEGMENTA_CONFIG file, else the secret kept in the database), so both give an address the same hash.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parse('import', argv, {
      map: { type: 'string' }, preset: { type: 'string' },
      'pii-secret': { type: 'string' }, 'pii-traits': { type: 'string' }, 'store-raw-pii': { type: 'boolean' },
    });
    const [kind, file] = positionals;
    if (kind !== 'orders' && kind !== 'events') throw new InputError(`import needs a kind: orders or events (got ${JSON.stringify(kind ?? '')})`);
    const piiFlag = ['pii-secret', 'pii-traits', 'store-raw-pii'].find((f) => values[f as keyof typeof values] !== undefined);
    if (kind === 'orders' && piiFlag) throw new InputError(`import orders: --${piiFlag} applies to import events only (orders carry no traits)`);
    const progress = createProgress(io.interactive && !values.json);
    const report = await withStore(values.db, (store) =>
      kind === 'orders'
        ? importOrders(store, { file, map: mapFlag(values.map), preset: values.preset, progress })
        : importEvents(store, { file: file ?? missingFile(), progress, ...piiSettings(values) }),
    );
    io.out(values.json ? json(report) : formatImport(report));
    return 0;
  },
};

/**
 * The PII settings of `segmenta serve`, resolved as serve resolves them (flags > environment > config file), so a
 * file and the HTTP API hash alike. Only these three settings are used (a config file is still checked whole).
 */
function piiSettings(flags: Readonly<Record<string, unknown>>): { piiTraits: readonly string[]; storeRawPii: boolean; piiSecret?: string } {
  const env = process.env;
  const serve = resolveServeOptions(
    { 'pii-secret': flags['pii-secret'], 'pii-traits': flags['pii-traits'], 'store-raw-pii': flags['store-raw-pii'] },
    { SEGMENTA_PII_SECRET: env.SEGMENTA_PII_SECRET, SEGMENTA_PII_TRAITS: env.SEGMENTA_PII_TRAITS, SEGMENTA_STORE_RAW_PII: env.SEGMENTA_STORE_RAW_PII, SEGMENTA_CONFIG: env.SEGMENTA_CONFIG },
  );
  return { piiTraits: serve.piiTraits, storeRawPii: serve.storeRawPii, ...(serve.piiSecret === undefined ? {} : { piiSecret: serve.piiSecret }) };
}

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
