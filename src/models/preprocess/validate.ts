/** Input checks shared by the preprocessing fits. */
import { InputError } from '../../core/errors.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';

/** Requires at least `minRows` rows, at least one column, and finite values. */
export function validateInput(m: FeatureMatrix, who: string, minRows = 1): void {
  if (m.rows < minRows || m.cols === 0) {
    const message = `${who} requires at least ${minRows} row${minRows === 1 ? '' : 's'} and 1 column (got rows=${m.rows}, cols=${m.cols})`;
    throw new InputError(message, [{ path: 'matrix', message }]);
  }
  assertFinite(m, who);
}
