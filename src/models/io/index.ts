/** Reading feature matrices and label files (CSV or Parquet) from disk, through an in-memory DuckDB. */
export { readMatrixFile, type MatrixFile, type ReadMatrixOptions } from './read-matrix-file.js';
export { readLabelsFile, type LabelsFile } from './read-labels-file.js';
export { matrixFormatOf, type MatrixFileFormat } from './source.js';
