/**
 * The 11 named RFM segments and the complete lookup from every RFM code (R, F, M each 1..5) to exactly one of them.
 *
 * Where the mapping comes from: the widely used R × F grid of RFM segments (Putler's "RFM Analysis for Successful
 * Customer Segmentation" chart, copied as the `seg_map` regex table in many RFM notebooks: 5[4-5] Champions,
 * [3-4][4-5] Loyal, [4-5][2-3] Potential Loyalist, 51 New Customers, 41 Promising, 33 Need Attention, 3[1-2] About To
 * Sleep, [1-2][3-4] At Risk, [1-2]5 Cannot Lose Them, [1-2][1-2] Hibernating), with two stated changes:
 *  - the vertical axis is FM = the F and M scores' mean rounded half up, floor((F + M + 1) / 2), so spend counts too;
 *  - cell R=1, FM=1 (lowest recency, frequency and spend) is Lost rather than Hibernating, which gives the 11th segment.
 * `RFM_GRID` is that grid; `RFM_CODE_TABLE` is the 125-code table written out from it, and a test checks they agree.
 */

export const RFM_SEGMENTS = [
  'Champions', 'Loyal', 'Potential Loyalist', 'New Customers', 'Promising', 'Need Attention',
  'About To Sleep', 'At Risk', 'Cannot Lose Them', 'Hibernating', 'Lost',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

const CH = 'Champions', LO = 'Loyal', PL = 'Potential Loyalist', NC = 'New Customers', PR = 'Promising';
const NA = 'Need Attention', AS = 'About To Sleep', AR = 'At Risk', CL = 'Cannot Lose Them', HI = 'Hibernating', LS = 'Lost';

/** Rows R = 1..5 (index R − 1), columns FM = 1..5 (index FM − 1). */
export const RFM_GRID: readonly (readonly RfmSegment[])[] = [
  [LS, HI, AR, AR, CL],
  [HI, HI, AR, AR, CL],
  [AS, AS, NA, LO, LO],
  [PR, PL, PL, LO, LO],
  [NC, PL, PL, CH, CH],
];

/** Every code: [R, F, [segment for M = 1, 2, 3, 4, 5]] — 25 rows × 5 = 125 codes. */
export const RFM_CODE_TABLE: readonly (readonly [r: number, f: number, byM: readonly RfmSegment[]])[] = [
  [1, 1, [LS, HI, HI, AR, AR]],
  [1, 2, [HI, HI, AR, AR, AR]],
  [1, 3, [HI, AR, AR, AR, AR]],
  [1, 4, [AR, AR, AR, AR, CL]],
  [1, 5, [AR, AR, AR, CL, CL]],
  [2, 1, [HI, HI, HI, AR, AR]],
  [2, 2, [HI, HI, AR, AR, AR]],
  [2, 3, [HI, AR, AR, AR, AR]],
  [2, 4, [AR, AR, AR, AR, CL]],
  [2, 5, [AR, AR, AR, CL, CL]],
  [3, 1, [AS, AS, AS, NA, NA]],
  [3, 2, [AS, AS, NA, NA, LO]],
  [3, 3, [AS, NA, NA, LO, LO]],
  [3, 4, [NA, NA, LO, LO, LO]],
  [3, 5, [NA, LO, LO, LO, LO]],
  [4, 1, [PR, PL, PL, PL, PL]],
  [4, 2, [PL, PL, PL, PL, LO]],
  [4, 3, [PL, PL, PL, LO, LO]],
  [4, 4, [PL, PL, LO, LO, LO]],
  [4, 5, [PL, LO, LO, LO, LO]],
  [5, 1, [NC, PL, PL, PL, PL]],
  [5, 2, [PL, PL, PL, PL, CH]],
  [5, 3, [PL, PL, PL, CH, CH]],
  [5, 4, [PL, PL, CH, CH, CH]],
  [5, 5, [PL, CH, CH, CH, CH]],
];

/** Segment index (into RFM_SEGMENTS) by code 100·R + 10·F + M; −1 for codes outside 111..555. Built once. */
const SEGMENT_BY_CODE: Int8Array = (() => {
  const out = new Int8Array(556).fill(-1);
  for (const [r, f, byM] of RFM_CODE_TABLE) {
    byM.forEach((segment, i) => {
      out[100 * r + 10 * f + i + 1] = RFM_SEGMENTS.indexOf(segment);
    });
  }
  return out;
})();

/** The segment index of an RFM code (100·R + 10·F + M), or −1 when it is not a valid code. */
export function segmentIndexOfCode(code: number): number {
  return Number.isInteger(code) && code >= 0 && code < SEGMENT_BY_CODE.length ? SEGMENT_BY_CODE[code]! : -1;
}
