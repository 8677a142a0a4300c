/**
 * Settings of `segmenta serve`, resolved with a fixed precedence: command-line flags > environment variables
 * (`SEGMENTA_*`) > a config file (JSON or YAML; `--config`, `SEGMENTA_CONFIG`) > defaults. A write key, admin token
 * or PII secret given nowhere is generated on the first start, kept in the database and printed that one time
 * (see `store/secrets.ts`), so clients keep working across restarts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { InputError, describeValue } from '../core/errors.js';
import { DEFAULT_PII_TRAITS } from './ingest/privacy.js';
import { DEFAULT_LIVE_CACHE_CUSTOMERS } from './live/lru.js';

export interface ServeOptions {
  readonly db: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Accepted write keys; empty means "use the stored or generated one". */
  readonly writeKeys: readonly string[];
  readonly adminToken?: string;
  readonly piiSecret?: string;
  readonly piiTraits: readonly string[];
  readonly storeRawPii: boolean;
  /** Events waiting to be committed above which requests get 503. */
  readonly maxQueueEvents: number;
  readonly maxGroupEvents: number;
  /** Time allowed for a request's headers and body (slow-loris guard), ms. */
  readonly requestTimeoutMs: number;
  /** Per write key; 0 turns the limit off. */
  readonly rateLimitEventsPerSecond: number;
  readonly rateLimitBurst: number;
  readonly dedupeWindowHours: number;
  /** pino level; `silent` for tests. */
  readonly logLevel: string;
  /** Time allowed for in-flight requests to finish on shutdown, ms. */
  readonly drainTimeoutMs: number;
  /**
   * Customers whose live state each live updater (K-means, RFM) holds in memory; the least recently active are
   * dropped and reloaded from the store when they come back (~3 KB per K-means state).
   */
  readonly liveCacheCustomers: number;
  /**
   * DuckDB's threads while serving; default one fewer than the cores (at least 1): the event loop, which parses and
   * journals every request, keeps a core. Measured on 2 cores (`segmenta serve`, 16 connections of 100-event
   * batches): 22.4-26.6 µs of CPU per event with 1 thread against 29.3-32.6 with 2, and 55-69k events/s loaded
   * against 46-55k. A journal load is a few thousand rows: on two threads DuckDB spent ~40% more CPU on the same
   * insert (8,000 rows: 64-74 ms against 46 ms) and finished no sooner. A segmentation run gets every core.
   */
  readonly duckdbThreads: number;
}

export const DEFAULT_SERVE_OPTIONS: ServeOptions = {
  db: './segmenta.duckdb',
  host: '127.0.0.1',
  port: 8088,
  writeKeys: [],
  piiTraits: DEFAULT_PII_TRAITS,
  storeRawPii: false,
  maxQueueEvents: 50_000,
  maxGroupEvents: 10_000,
  requestTimeoutMs: 10_000,
  rateLimitEventsPerSecond: 200_000,
  rateLimitBurst: 400_000,
  dedupeWindowHours: 24,
  logLevel: 'info',
  drainTimeoutMs: 10_000,
  liveCacheCustomers: DEFAULT_LIVE_CACHE_CUSTOMERS,
  duckdbThreads: Math.max(1, availableParallelism() - 1),
};

/** The flags of `segmenta serve`, in node:util parseArgs form (the CLI adds --help/--json). */
export const serveCommandOptions = {
  db: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'write-key': { type: 'string', multiple: true },
  'admin-token': { type: 'string' },
  'pii-secret': { type: 'string' },
  'pii-traits': { type: 'string' },
  'store-raw-pii': { type: 'boolean' },
  'rate-limit': { type: 'string' },
  'max-queue': { type: 'string' },
  'live-cache': { type: 'string' },
  'duckdb-threads': { type: 'string' },
  'log-level': { type: 'string' },
  config: { type: 'string' },
} as const;

export const SERVE_USAGE = `segmenta serve [--db FILE] [--port N] [--host ADDR] [--write-key KEY]... [--admin-token TOKEN]
  [--pii-secret S] [--pii-traits email,phone,name] [--store-raw-pii] [--rate-limit EVENTS_PER_S] [--max-queue EVENTS]
  [--live-cache CUSTOMERS] [--duckdb-threads N] [--log-level info] [--config FILE]
Flags override SEGMENTA_* environment variables, which override the config file (JSON or YAML).`;

type Source = Partial<Record<keyof ServeOptions, unknown>>;

/** Resolves options from parsed flags, an environment and an optional config file; every bad value is an InputError. */
export function resolveServeOptions(flags: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>> = process.env): ServeOptions {
  const configPath = (flags.config as string | undefined) ?? env.SEGMENTA_CONFIG;
  const fromFile = configPath === undefined ? {} : readConfig(configPath);
  const fromEnv: Source = {
    db: env.SEGMENTA_DB, host: env.SEGMENTA_HOST, port: env.SEGMENTA_PORT, writeKeys: env.SEGMENTA_WRITE_KEY,
    adminToken: env.SEGMENTA_ADMIN_TOKEN, piiSecret: env.SEGMENTA_PII_SECRET, piiTraits: env.SEGMENTA_PII_TRAITS,
    storeRawPii: env.SEGMENTA_STORE_RAW_PII, rateLimitEventsPerSecond: env.SEGMENTA_RATE_LIMIT,
    maxQueueEvents: env.SEGMENTA_MAX_QUEUE, logLevel: env.SEGMENTA_LOG_LEVEL, liveCacheCustomers: env.SEGMENTA_LIVE_CACHE,
    duckdbThreads: env.SEGMENTA_DUCKDB_THREADS,
  };
  const fromFlags: Source = {
    db: flags.db, host: flags.host, port: flags.port, writeKeys: flags['write-key'], adminToken: flags['admin-token'],
    piiSecret: flags['pii-secret'], piiTraits: flags['pii-traits'], storeRawPii: flags['store-raw-pii'],
    rateLimitEventsPerSecond: flags['rate-limit'], maxQueueEvents: flags['max-queue'], logLevel: flags['log-level'],
    liveCacheCustomers: flags['live-cache'], duckdbThreads: flags['duckdb-threads'],
  };
  const pick = (key: keyof ServeOptions, where: string): unknown => {
    for (const [source, label] of [[fromFlags, 'flag'], [fromEnv, 'environment'], [fromFile, where]] as const) {
      const value = source[key];
      if (value !== undefined && value !== '') return { value, label };
    }
    return undefined;
  };
  const file = configPath ?? 'config';
  const get = <T>(key: keyof ServeOptions, read: (value: unknown, label: string) => T): T => {
    const found = pick(key, file) as { value: unknown; label: string } | undefined;
    return found === undefined ? (DEFAULT_SERVE_OPTIONS[key] as T) : read(found.value, `${found.label} ${key}`);
  };
  const options: ServeOptions = {
    db: get('db', text),
    host: get('host', text),
    port: get('port', (v, l) => int(v, l, 0, 65535)),
    writeKeys: get('writeKeys', list),
    adminToken: get('adminToken', text),
    piiSecret: get('piiSecret', text),
    piiTraits: get('piiTraits', list),
    storeRawPii: get('storeRawPii', bool),
    maxQueueEvents: get('maxQueueEvents', (v, l) => int(v, l, 1, 10_000_000)),
    maxGroupEvents: get('maxGroupEvents', (v, l) => int(v, l, 1, 1_000_000)),
    requestTimeoutMs: get('requestTimeoutMs', (v, l) => int(v, l, 100, 600_000)),
    rateLimitEventsPerSecond: get('rateLimitEventsPerSecond', (v, l) => int(v, l, 0, 100_000_000)),
    rateLimitBurst: get('rateLimitBurst', (v, l) => int(v, l, 1, 100_000_000)),
    dedupeWindowHours: get('dedupeWindowHours', (v, l) => int(v, l, 24, 24 * 365)),
    logLevel: get('logLevel', (v, l) => oneOf(v, l, ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
    drainTimeoutMs: get('drainTimeoutMs', (v, l) => int(v, l, 0, 600_000)),
    liveCacheCustomers: get('liveCacheCustomers', (v, l) => int(v, l, 1, 100_000_000)),
    duckdbThreads: get('duckdbThreads', (v, l) => int(v, l, 1, 1024)),
  };
  return options;
}

/** Parses `segmenta serve` arguments (without the command name) and resolves them. */
export function parseServeArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): ServeOptions {
  try {
    const { values } = parseArgs({ args: [...argv], options: serveCommandOptions, strict: true, allowPositionals: false });
    return resolveServeOptions(values, env);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`segmenta serve: ${(error as Error).message}`);
  }
}

function readConfig(path: string): Source {
  if (!existsSync(path)) throw new InputError(`config file ${path} does not exist`);
  let parsed: unknown;
  try {
    const source = readFileSync(path, 'utf8');
    parsed = path.endsWith('.json') ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    throw new InputError(`config file ${path} cannot be read: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError(`config file ${path} must hold an object (got ${describeValue(parsed)})`);
  const root = parsed as Record<string, unknown>;
  const section = typeof root.serve === 'object' && root.serve !== null ? (root.serve as Record<string, unknown>) : root;
  const known = new Set<string>([...Object.keys(DEFAULT_SERVE_OPTIONS), 'writeKey', 'adminToken', 'piiSecret']);
  const unknown = Object.keys(section).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new InputError(`config file ${path}: unknown setting ${unknown.join(', ')} (known: ${[...known].sort().join(', ')})`);
  return { ...section, writeKeys: section.writeKeys ?? section.writeKey } as Source;
}

function text(value: unknown, label: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${label} must be a non-empty string (got ${describeValue(value)})`);
  return value.trim();
}

function list(value: unknown, label: string): string[] {
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => text(item, label)).filter((s) => s.length > 0);
}

function int(value: unknown, label: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : Number(String(value).replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${label} must be a whole number between ${min} and ${max} (got ${describeValue(value)})`);
  return n;
}

function bool(value: unknown, label: string): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  throw new InputError(`${label} must be true or false (got ${describeValue(value)})`);
}

function oneOf(value: unknown, label: string, allowed: readonly string[]): string {
  const s = text(value, label);
  if (!allowed.includes(s)) throw new InputError(`${label} must be one of ${allowed.join(', ')} (got ${describeValue(value)})`);
  return s;
}
