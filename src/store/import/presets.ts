/**
 * Known order-file layouts. A preset maps canonical order fields to a source's column names, names a default
 * file, and says how cancellations are marked.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.js';

export const ORDER_FIELDS = [
  'order_id', 'customer_id', 'ordered_at', 'product_id', 'description', 'category', 'quantity', 'unit_price',
  'discount', 'country',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export const REQUIRED_ORDER_FIELDS: readonly OrderField[] = ['order_id', 'ordered_at', 'quantity', 'unit_price'];

export interface OrderPreset {
  readonly name: string;
  readonly description: string;
  /** Relative to the working directory. */
  readonly defaultFile: string;
  readonly columns: Partial<Record<OrderField, string>>;
  /** Order ids starting with this prefix are cancellations; without it, an order whose lines all have quantity < 0 is. */
  readonly cancellationPrefix?: string;
}

export const ORDER_PRESETS = {
  'online-retail': {
    name: 'online-retail',
    description: 'UCI Online Retail (Chen 2015, doi:10.24432/C5BW33): a UK gift retailer, 2010-12-01 .. 2011-12-09',
    defaultFile: '../shared/data/online-retail/online-retail-dataset.csv.gz',
    columns: {
      order_id: 'InvoiceNo', product_id: 'StockCode', description: 'Description', quantity: 'Quantity',
      ordered_at: 'InvoiceDate', unit_price: 'UnitPrice', customer_id: 'CustomerID', country: 'Country',
    },
    cancellationPrefix: 'C',
  },
} as const satisfies Record<string, OrderPreset>;

export type OrderPresetName = keyof typeof ORDER_PRESETS;

/** The preset called `name`, or an `InputError` listing the known ones. */
export function orderPreset(name: string): OrderPreset {
  const preset = (ORDER_PRESETS as Record<string, OrderPreset>)[name];
  if (!preset) {
    const known = Object.keys(ORDER_PRESETS).join(', ');
    throw new InputError(`unknown orders preset "${name}" (known presets: ${known})`, [{ path: 'preset', message: `unknown preset "${name}"` }]);
  }
  return preset;
}

/**
 * A preset's default file, as an absolute path: relative to the working directory when it is there (the README's
 * commands run in the project folder), else relative to the project folder this code is installed in (so
 * `segmenta` run from anywhere still finds `../shared/data` beside the project).
 */
export function presetDefaultFile(name: string): string {
  const relative = orderPreset(name).defaultFile;
  const fromCwd = resolve(relative);
  if (existsSync(fromCwd)) return fromCwd;
  return fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
}
