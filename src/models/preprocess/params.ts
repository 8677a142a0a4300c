/**
 * Fitted preprocessing parameters as data (a discriminated union on `kind`), so a fitted scaling can be stored and
 * applied again to a new row with `applyToRow`.
 */
export interface ZScoreParams {
  readonly kind: 'zscore';
  readonly center: Float64Array;
  readonly scale: Float64Array;
}
export interface RobustParams {
  readonly kind: 'robust';
  readonly center: Float64Array;
  readonly scale: Float64Array;
}
export interface MinMaxParams {
  readonly kind: 'minmax';
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** 1 / (max − min), or 1 for a constant column. */
  readonly scale: Float64Array;
}
export interface Log1pParams {
  readonly kind: 'log1p';
  readonly columns: Int32Array;
}
export interface WinsoriseParams {
  readonly kind: 'winsorise';
  readonly lowerQuantile: number;
  readonly upperQuantile: number;
  readonly low: Float64Array;
  readonly high: Float64Array;
}
export type PreprocessParams = ZScoreParams | RobustParams | MinMaxParams | Log1pParams | WinsoriseParams;

/** What every fit returns: the transformed matrix and the parameters that produced it. */
export interface Fitted<P extends PreprocessParams, M> {
  readonly matrix: M;
  readonly params: P;
}
