/**
 * Shape of a benchmark. Each `*.bench.ts` beside the code it measures exports `default` a `Bench`;
 * `src/bench/run.ts` runs them all and prints ours vs the peer as a ratio. Benchmarks never gate CI.
 */
export interface BenchContext {
  /** Smaller sizes for a quick look (`npm run bench -- --quick`). */
  readonly quick: boolean;
  /** Path of a Python with scikit-learn/scipy (Debian's /usr/bin/python3), or null when absent. */
  readonly python: string | null;
  /** A scratch folder for data files. */
  readonly workDir: string;
}

export interface BenchRow {
  readonly name: string;
  /** Our time in seconds (median of the runs). */
  readonly oursSeconds: number;
  readonly peerName?: string;
  readonly peerSeconds?: number;
  /** Peak memory in bytes where measured (ours, then the peer's). */
  readonly oursPeakBytes?: number;
  readonly peerPeakBytes?: number;
  /** Free text: throughput, sizes, why a peer was skipped. */
  readonly note?: string;
}

export interface Bench {
  readonly name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
