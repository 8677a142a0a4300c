/**
 * Seeded pseudo-random numbers: all randomness in Segmenta comes from here so the same seed gives the same output.
 * Generator: xoshiro128** (Blackman & Vigna, 2018), 32-bit state words, seeded through splitmix32.
 * Period 2^128 − 1, passes BigCrush; fast in JS because it needs only 32-bit integer arithmetic.
 */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number;
  /** A new independent generator derived from this one (for workers or sub-tasks). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a generator from an integer seed (any finite number; it is folded to 32 bits). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number (got ${seed})`);
  const mix = splitmix32(Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32));
  const s = new Uint32Array([mix(), mix(), mix(), mix()]);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  let spare = NaN;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int: (n) => Math.floor((nextU32() / 4294967296) * n),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const v = spare;
        spare = NaN;
        return v;
      }
      let u = 0;
      while (u === 0) u = nextU32() / 4294967296;
      const v = nextU32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: () => createRng(nextU32() ^ (nextU32() << 1)),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
