/**
 * scikit-learn's tree random numbers (`our_rand_r` in sklearn/tree/_utils.pyx): a 32-bit xorshift whose output is
 * taken modulo 2^31. Trees draw their per-node feature order from it; replaying it with the same seed
 * (sklearn seeds it with `RandomState(random_state).randint(0, 2**31 - 1)`) reproduces sklearn's tie-breaking.
 */
export interface RandR {
  /** Uniform integer in [low, high), as sklearn's `rand_int`. */
  int(low: number, high: number): number;
}

export function createRandR(seed: number): RandR {
  let s = seed >>> 0;
  return {
    int(low, high) {
      if (s === 0) s = 1; // sklearn's DEFAULT_SEED
      s = (s ^ (s << 13)) >>> 0;
      s = (s ^ (s >>> 17)) >>> 0;
      s = (s ^ (s << 5)) >>> 0;
      return low + ((s & 0x7fffffff) % (high - low));
    },
  };
}
