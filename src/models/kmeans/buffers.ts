/**
 * The typed arrays the K-means kernels work on. Work is cut into fixed chunks of `CHUNK_ROWS` rows; each chunk
 * writes its own partial sums, counts, inertia and seeding potentials, which the calling thread then adds in chunk
 * order. Because the summation order depends only on the chunking, never on which thread ran a chunk, the
 * threaded and single-thread results are identical bit for bit.
 *
 * Every array can live on a SharedArrayBuffer so that worker threads see the same memory.
 */

/** Rows per chunk: large enough to amortise dispatch, small enough to balance two to eight threads on 200k+ rows. */
export const CHUNK_ROWS = 8192;

/** Indices into `params` (scalars the kernels read). */
export const P_MAX_SHIFT = 0;
export const P_SECOND_SHIFT = 1;
export const P_ARGMAX_SHIFT = 2;
/** 1 when bounds are not yet valid (first Hamerly step of a run): do a full scan. */
export const P_FIRST = 3;
/** Number of k-means++ candidates in `candidates` for the seeding command. */
export const P_TRIALS = 4;
const PARAMS_LENGTH = 8;

export interface KernelBuffers {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly nChunks: number;
  /** Most k-means++ candidates per step (2 + floor(ln k)). */
  readonly maxTrials: number;
  readonly x: Float64Array;
  /** Centroids the next assignment step uses, k×d. */
  readonly centers: Float64Array;
  /** Label of each row; -1 before the first assignment. */
  readonly labels: Int32Array;
  /** Hamerly: upper bound on the distance to the assigned centre, lower bound on the distance to any other. */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Distance each centre moved in the last update. */
  readonly shift: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  readonly halfSep: Float64Array;
  readonly params: Float64Array;
  /** Per-chunk partial results. */
  readonly chunkSums: Float64Array;
  readonly chunkCounts: Float64Array;
  readonly chunkInertia: Float64Array;
  readonly chunkChanged: Int32Array;
  /** k-means++: squared distance of each row to its closest chosen centre; trial distances (maxTrials×n). */
  readonly closest: Float64Array;
  readonly trial: Float64Array;
  readonly candidates: Int32Array;
  readonly chunkPot: Float64Array;
}

/** The raw buffers, in a fixed order, for handing to worker threads. */
export type BufferList = ArrayBufferLike[];

export function chunkCount(n: number): number {
  return Math.ceil(n / CHUNK_ROWS);
}

export function maxTrialsFor(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

function build(n: number, d: number, k: number, x: Float64Array, next: (bytes: number) => ArrayBufferLike): KernelBuffers {
  const nChunks = chunkCount(n);
  const maxTrials = maxTrialsFor(k);
  // Views of exactly `len` elements: a reused buffer may be longer (see allocateBuffers).
  const f64 = (len: number): Float64Array => new Float64Array(next(len * 8), 0, len);
  const i32 = (len: number): Int32Array => new Int32Array(next(len * 4), 0, len);
  return {
    n,
    d,
    k,
    nChunks,
    maxTrials,
    x,
    centers: f64(k * d),
    labels: i32(n),
    upper: f64(n),
    lower: f64(n),
    shift: f64(k),
    halfSep: f64(k),
    params: f64(PARAMS_LENGTH),
    chunkSums: f64(nChunks * k * d),
    chunkCounts: f64(nChunks * k),
    chunkInertia: f64(nChunks),
    chunkChanged: i32(nChunks),
    closest: f64(n),
    trial: f64(maxTrials * n),
    candidates: i32(maxTrials),
    chunkPot: f64(nChunks * maxTrials),
  };
}

/**
 * Allocates all buffers (on SharedArrayBuffers when `shared`) and returns them with the list of raw buffers.
 * Shared buffers are kept per input and reused, zeroed, by the next fit on the same rows (a k scan runs a dozen):
 * worker threads release SharedArrayBuffers only when their own heap is collected, which idle workers rarely do,
 * so fresh buffers per fit piled up (about 60 MB per fit at a million rows, besides the input's copy).
 */
export function allocateBuffers(x: Float64Array, n: number, d: number, k: number, shared: boolean): { buffers: KernelBuffers; list: BufferList } {
  let xs = x;
  if (shared && !(x.buffer instanceof SharedArrayBuffer && x.byteOffset === 0)) {
    xs = new Float64Array(new SharedArrayBuffer(x.length * 8));
    xs.set(x);
  }
  const list: BufferList = [xs.buffer];
  let reuse: SharedArrayBuffer[] = [];
  if (shared) {
    reuse = sharedBuffers.get(xs) ?? [];
    sharedBuffers.set(xs, reuse);
  }
  let index = 0;
  const buffers = build(n, d, k, xs, (bytes) => {
    let b: ArrayBufferLike;
    if (!shared) {
      b = new ArrayBuffer(bytes);
    } else {
      const kept = reuse[index];
      if (kept && kept.byteLength >= bytes) {
        new Uint8Array(kept, 0, bytes).fill(0);
        b = kept;
      } else {
        b = new SharedArrayBuffer(bytes);
        reuse[index] = b;
      }
    }
    index++;
    list.push(b);
    return b;
  });
  return { buffers, list };
}

const sharedBuffers = new WeakMap<Float64Array, SharedArrayBuffer[]>();

/** Rebuilds the same buffers view from the raw list (in a worker thread). */
export function buffersFromList(n: number, d: number, k: number, list: BufferList): KernelBuffers {
  const x = new Float64Array(list[0]!, 0, n * d);
  let i = 1;
  return build(n, d, k, x, () => list[i++]!);
}

/** Zeroes the partial sums and counts of one chunk before a pass writes them. */
export function clearChunk(b: KernelBuffers, chunk: number): void {
  const kd = b.k * b.d;
  b.chunkSums.fill(0, chunk * kd, chunk * kd + kd);
  b.chunkCounts.fill(0, chunk * b.k, chunk * b.k + b.k);
}
