/**
 * A closed-loop HTTP load generator for the server bench: `concurrency` keep-alive connections, each sending its
 * next request as soon as the previous answer arrives (or, with `ratePerSecond`, at its paced time), for `durationMs`. Records every latency in a Float64Array.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body of request number `n` (unique messageIds). */
  readonly body: (n: number) => Buffer;
  /** Stops the load before `durationMs` when it returns true (checked before each request). */
  readonly stop?: () => boolean;
  /** Paces the load at this many requests per second in all (request n is sent no earlier than n / rate s in). */
  readonly ratePerSecond?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly statuses: Readonly<Record<number, number>>;
  readonly errors: number;
  /** Latencies in ms, sorted ascending. */
  readonly latencies: Float64Array;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let next = 0;
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const deadline = started + options.durationMs;
  const one = (body: Buffer): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, path: options.path, method: 'POST', agent, headers: { ...options.headers, 'Content-Length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (count === latencies.length) {
              const grown = new Float64Array(latencies.length * 2);
              grown.set(latencies);
              latencies = grown;
            }
            latencies[count++] = performance.now() - t0;
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && !options.stop?.()) {
      const n = next++;
      if (options.ratePerSecond) {
        const due = started + (n * 1000) / options.ratePerSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await one(options.body(n));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: count, seconds, statuses, errors, latencies: latencies.slice(0, count).sort() };
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
