/** RFM scoring: quintile scores with a stated tie rule, weighted RFM value, and the 11 named segments. */
export { quintileScores } from './quintiles.js';
export { rfmSegmentOf, scoreRfm, type RfmOptions, type RfmScores, type RfmWeights } from './score.js';
export { RFM_CODE_TABLE, RFM_GRID, RFM_SEGMENTS, segmentIndexOfCode, type RfmSegment } from './segments.js';
