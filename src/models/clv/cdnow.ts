/**
 * Parser for the CDNOW transaction files of Fader & Hardie (as shipped by lifetimes): whitespace-separated,
 * dates as YYYYMMDD. `CDNOW_master.txt` has a header and `customer_id date number_of_cds dollar_value`;
 * `CDNOW_sample.txt` has no header and `master_id sample_id date number_of_cds dollar_value` (the summary files
 * are keyed by the sample id). Takes the file's text; reading it is the caller's I/O.
 */
import { InputError, type InputIssue } from '../../core/errors.js';
import { parseDate } from './dates.js';
import type { Transactions } from './summarise.js';

/**
 * Parses CDNOW text into transaction columns. `layout` picks the columns; the customer id is the master id for
 * the master file and the sample id (leading zeros dropped) for the sample. Lines that are blank, or a header
 * starting with a letter, are skipped. Errors name file:line:column. Cost O(lines).
 */
export function readCdnowTransactions(text: string, file: string, layout: 'master' | 'sample'): Transactions {
  const ids: string[] = [];
  const times: number[] = [];
  const amounts: number[] = [];
  const issues: InputIssue[] = [];
  const width = layout === 'master' ? 4 : 5;
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length && issues.length < 10; li++) {
    const line = lines[li]!.trim();
    if (line === '' || /^[A-Za-z_]/.test(line)) continue;
    const fields = line.split(/\s+/);
    const where = `${file}:${li + 1}`;
    if (fields.length !== width) {
      issues.push({ path: `${where}:1`, message: `expected ${width} fields (got ${fields.length})` });
      continue;
    }
    const [idText, dateText, , amountText] = layout === 'master' ? fields : fields.slice(1);
    try {
      times.push(parseDate(dateText!, `${where}:${layout === 'master' ? 2 : 3}`));
    } catch (e) {
      issues.push({ path: `${where}`, message: (e as Error).message });
      continue;
    }
    const amount = Number(amountText);
    if (!(Number.isFinite(amount) && amount >= 0)) {
      issues.push({ path: `${where}:${width}`, message: `dollar_value must be a number ≥ 0 (got ${JSON.stringify(amountText)})` });
      continue;
    }
    ids.push(String(Number(idText)));
    amounts.push(amount);
  }
  if (issues.length > 0) throw new InputError(`${file}: ${issues.length} bad line(s); first: ${issues[0]!.path}: ${issues[0]!.message}`, issues);
  return { customerId: ids, time: Float64Array.from(times), amount: Float64Array.from(amounts) };
}
