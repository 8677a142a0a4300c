/**
 * `generateShop`: a synthetic shop's year of customer behaviour, written as Parquet in bounded memory.
 * Customers are simulated a chunk at a time into temporary TSV files; DuckDB converts each chunk to one
 * Parquet part file while the next chunk is being simulated (at most one conversion in flight).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { createRng } from '../core/rng.js';
import { buildCampaigns } from './campaigns.js';
import { buildCatalog, type Catalog } from './catalog.js';
import { cents, EventWriter } from './emit.js';
import { customerId, IdSource } from './ids.js';
import { ParquetWriter } from './parquet.js';
import { PERSONAS, personaAt, personaCdf, type Persona } from './personas.js';
import { EVENTS, ORDERS, PRODUCTS } from './schema.js';
import { simulateCustomer, type Shop } from './shopper.js';
import { TsvSink } from './sink.js';

export interface GenerateOptions {
  readonly customers: number;
  readonly seed: number;
  /** Output directory (created if missing; earlier part files in it are replaced). */
  readonly out: string;
  /** Window start, default 2025-01-01T00:00:00Z. */
  readonly start?: Date;
  /** Window length in days, default 365 (at least 200: the personas need half a year of history). */
  readonly days?: number;
  /** Customers per chunk (= per Parquet part), default 5,000. */
  readonly chunkSize?: number;
  readonly progress?: Progress;
}

export interface GenerateReport {
  readonly customers: number;
  readonly seed: number;
  /** Window [start, end) as ISO strings, and the as-of date: midnight after the last event. */
  readonly start: string;
  readonly end: string;
  readonly asOf: string;
  readonly events: number;
  readonly orders: number;
  readonly orderLines: number;
  readonly products: number;
  readonly personas: Readonly<Record<Persona, number>>;
  /** Paths relative to `out`; `events` and `orders` are globs over part files. */
  readonly files: { readonly products: string; readonly events: string; readonly orders: string; readonly truth: string };
  readonly parts: number;
  readonly elapsedMs: number;
  /** Peak resident set size of the process so far (includes anything it did before). */
  readonly peakRssBytes: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_START = new Date('2025-01-01T00:00:00Z');

/**
 * Writes `products.parquet`, `events/part-NNNNN.parquet`, `orders/part-NNNNN.parquet` and `truth.csv` into
 * `options.out`. Same seed and options → identical rows. Cost: O(customers) time; memory bounded by one chunk.
 */
export async function generateShop(options: GenerateOptions): Promise<GenerateReport> {
  const began = Date.now();
  const { customers, seed, out } = validate(options);
  const days = options.days ?? 365;
  const chunkSize = options.chunkSize ?? 5000;
  const progress = options.progress ?? silentProgress;
  const startMs = (options.start ?? DEFAULT_START).getTime();
  const tmp = join(out, '.synth-tmp');
  prepareDirs(out, tmp);

  const master = createRng(seed);
  const catalog = buildCatalog(master.fork());
  const ids = new IdSource(master.fork());
  const personaRng = master.fork();
  const cdf = personaCdf();
  const counts = Object.fromEntries(PERSONAS.map((p) => [p, 0])) as Record<Persona, number>;
  const writer = await ParquetWriter.open();
  let pending: Promise<unknown> = Promise.resolve();
  let orderLines = 0;
  let parts = 0;
  let maxTs: number;
  try {
    await writeProducts(writer, catalog, join(tmp, 'products.tsv'), join(out, 'products.parquet'));
    const truth = new TsvSink(join(out, 'truth.csv'), ',');
    truth.row(['customer_id', 'persona']);
    const first = openChunk(tmp, 1);
    const shop: Shop = {
      catalog, ids, campaigns: buildCampaigns(startMs, days), startMs, days,
      events: new EventWriter(first.events, ids), orders: first.orders,
    };
    progress.phase('generate', customers);
    for (let from = 0; from < customers; from += chunkSize) {
      const chunk = ++parts === 1 ? first : openChunk(tmp, parts);
      shop.events.sink = chunk.events;
      shop.orders = chunk.orders;
      for (let i = from; i < Math.min(customers, from + chunkSize); i++) {
        const persona = personaAt(cdf, personaRng.next());
        counts[persona]++;
        truth.row([customerId(i), persona]);
        simulateCustomer(shop, master.fork(), i, persona);
      }
      chunk.events.close();
      chunk.orders.close();
      orderLines += chunk.orders.rows;
      await pending;
      pending = convertChunk(writer, chunk, out, parts);
      progress.update(Math.min(customers, from + chunkSize));
    }
    await pending;
    truth.close();
    maxTs = shop.events.maxTs;
    progress.done();
  } finally {
    await pending.catch(() => undefined);
    writer.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const asOfMs = Math.floor(maxTs / DAY_MS) * DAY_MS + DAY_MS;
  return {
    customers, seed, start: new Date(startMs).toISOString(), end: new Date(startMs + days * DAY_MS).toISOString(),
    asOf: new Date(asOfMs).toISOString(), events: ids.messageCount, orders: ids.orderCount, orderLines,
    products: catalog.products.length, personas: counts,
    files: { products: 'products.parquet', events: 'events/*.parquet', orders: 'orders/*.parquet', truth: 'truth.csv' },
    parts, elapsedMs: Date.now() - began, peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

interface Chunk {
  readonly events: TsvSink;
  readonly orders: TsvSink;
}

function openChunk(tmp: string, part: number): Chunk {
  return { events: new TsvSink(join(tmp, `events-${part}.tsv`)), orders: new TsvSink(join(tmp, `orders-${part}.tsv`)) };
}

function partName(part: number): string {
  return `part-${String(part).padStart(5, '0')}.parquet`;
}

async function convertChunk(writer: ParquetWriter, chunk: Chunk, out: string, part: number): Promise<void> {
  await writer.convert(EVENTS, chunk.events.path, join(out, 'events', partName(part)));
  await writer.convert(ORDERS, chunk.orders.path, join(out, 'orders', partName(part)));
  rmSync(chunk.events.path);
  rmSync(chunk.orders.path);
}

async function writeProducts(writer: ParquetWriter, catalog: Catalog, tsv: string, parquet: string): Promise<void> {
  const sink = new TsvSink(tsv);
  for (const p of catalog.products) sink.row([p.productId, p.name, p.category, cents(p.priceCents)]);
  sink.close();
  await writer.convert(PRODUCTS, tsv, parquet);
}

/** Creates the output folders and removes part files of an earlier run, which the globs would otherwise pick up. */
function prepareDirs(out: string, tmp: string): void {
  for (const dir of ['events', 'orders']) {
    const path = join(out, dir);
    mkdirSync(path, { recursive: true });
    for (const name of readdirSync(path)) if (/^part-\d+\.parquet$/.test(name)) rmSync(join(path, name));
  }
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
}

function validate(options: GenerateOptions): { customers: number; seed: number; out: string } {
  const issues: { path: string; message: string }[] = [];
  const { customers, seed, out, days = 365, chunkSize = 5000 } = options;
  if (!Number.isInteger(customers) || customers < 1) issues.push({ path: 'customers', message: `customers must be a positive integer (got ${customers})` });
  if (!Number.isSafeInteger(seed)) issues.push({ path: 'seed', message: `seed must be an integer (got ${seed})` });
  if (!Number.isInteger(days) || days < 200) issues.push({ path: 'days', message: `days must be an integer of at least 200 (got ${days})` });
  if (!Number.isInteger(chunkSize) || chunkSize < 1) issues.push({ path: 'chunkSize', message: `chunkSize must be a positive integer (got ${chunkSize})` });
  if (options.start !== undefined && Number.isNaN(options.start.getTime())) issues.push({ path: 'start', message: 'start must be a valid date (got Invalid Date)' });
  if (typeof out !== 'string' || out === '') issues.push({ path: 'out', message: `out must be a directory path (got ${JSON.stringify(out)})` });
  if (issues.length > 0) throw new InputError(`generate: invalid options: ${issues.map((i) => i.message).join('; ')}`, issues);
  return { customers, seed, out };
}
