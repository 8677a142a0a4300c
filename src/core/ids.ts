/** Branded ids: a `CustomerId` cannot be passed where a `RunId` is expected, at no run-time cost. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type CustomerId = Brand<string, 'CustomerId'>;
export type SegmentId = Brand<string, 'SegmentId'>;
export type RunId = Brand<string, 'RunId'>;

/** A sortable run id from the run's clock: `run-20261123T091700Z-ab12`. */
export function newRunId(now: Date, suffix: string): RunId {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${suffix}` as RunId;
}
