/**
 * Flag parsing shared by every command, on node:util's parseArgs. Unknown flags and bad values are
 * InputErrors (exit code 2) that name the flag and the value.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, describeValue } from '../core/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

export function parse<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`segmenta ${command}: ${(error as Error).message}`);
  }
}

export function intFlag(name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${name} must be a whole number between ${min} and ${max} (got ${describeValue(value)})`);
  return n;
}

/** A date flag (YYYY-MM-DD or a full ISO time), as UTC. */
export function dateFlag(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new InputError(`--${name} must be a date like 2011-12-10 (got ${describeValue(value)})`);
  return d;
}

/** `--map customer_id=CustomerID,order_id=InvoiceNo` → { customer_id: 'CustomerID', order_id: 'InvoiceNo' }. */
export function mapFlag(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new InputError(`--map takes field=Column pairs separated by commas (got ${describeValue(pair)})`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

export const DEFAULT_DB = './segmenta.duckdb';
