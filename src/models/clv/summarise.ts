/**
 * Transactions → per-customer RFM summary with the standard rules (as lifetimes'
 * `calibration_and_holdout_data`): transactions on the same calendar day (UTC) are merged first; frequency counts
 * repeat purchase days; recency and T run from the first purchase day; monetary is the mean spend over the repeat
 * days; transactions after the calibration end go to the holdout only.
 */
import { InputError, type InputIssue } from '../../core/errors.js';
import { dayOf, toDay } from './dates.js';

/** Transactions as columns: one customer id, time (ms epoch UTC) and optional amount per row. */
export interface Transactions {
  readonly customerId: readonly string[];
  readonly time: Float64Array;
  readonly amount?: Float64Array;
}

export interface SummariseOptions {
  /** Last day of calibration, inclusive (ms epoch UTC, or YYYY-MM-DD). */
  readonly calibrationEnd: number | string;
  /** Last day of the holdout, inclusive; when absent there is no holdout and later transactions are ignored. */
  readonly observationEnd?: number | string;
  readonly unit: 'days' | 'weeks';
}

/** Holdout purchases: per-customer count of purchase days and, as CSR, their times after the calibration end. */
export interface HoldoutSummary {
  readonly frequency: Float64Array;
  /** Length of the holdout in `unit`s. */
  readonly duration: number;
  /** Purchase days of customer i are `times[offsets[i] .. offsets[i+1])`, in units after the calibration end. */
  readonly offsets: Int32Array;
  readonly times: Float64Array;
}

/** One row per customer with a calibration purchase, in order of first appearance. */
export interface CustomerSummary {
  readonly ids: readonly string[];
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  /** Mean spend per repeat purchase day; 0 for customers without repeat purchases or without amounts. */
  readonly monetary: Float64Array;
  readonly holdout?: HoldoutSummary;
  /** Customers whose first transaction falls after the calibration end: left out of every column, counted here. */
  readonly excludedCustomers: number;
  /** Transactions after the observation end (or after the calibration end when there is no holdout), ignored. */
  readonly ignoredTransactions: number;
}

/**
 * Builds the calibration (and holdout) summary. Throws an `InputError` listing bad rows: column lengths that
 * differ, non-finite times, negative or non-finite amounts, an observation end before the calibration end.
 * Cost O(n log n) for the sort by (customer, day).
 */
export function summarise(tx: Transactions, options: SummariseOptions): CustomerSummary {
  const n = tx.customerId.length;
  validate(tx, n);
  const calEnd = toDay(options.calibrationEnd, 'calibrationEnd');
  const obsEnd = options.observationEnd === undefined ? null : toDay(options.observationEnd, 'observationEnd');
  if (obsEnd !== null && obsEnd < calEnd) {
    throw new InputError(`summarise requires observationEnd on or after calibrationEnd (got observationEnd day ${obsEnd} < calibrationEnd day ${calEnd})`);
  }
  const scale = options.unit === 'weeks' ? 7 : 1;
  const lastDay = obsEnd ?? calEnd;

  const customerIndex = new Map<string, number>();
  const ids: string[] = [];
  const cust = new Int32Array(n);
  const day = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = tx.customerId[i]!;
    let c = customerIndex.get(id);
    if (c === undefined) {
      c = ids.length;
      customerIndex.set(id, c);
      ids.push(id);
    }
    cust[i] = c;
    day[i] = dayOf(tx.time[i]!);
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => cust[i]! - cust[j]! || day[i]! - day[j]!);

  const m = ids.length;
  const out = {
    frequency: new Float64Array(m), recency: new Float64Array(m), T: new Float64Array(m), monetary: new Float64Array(m),
    holdFreq: new Float64Array(m), holdOffsets: new Int32Array(m + 1), keep: new Uint8Array(m),
  };
  const holdTimes: number[] = [];
  let ignored = 0;
  let k = 0;
  while (k < n) {
    const c = cust[order[k]!]!;
    let first = NaN;
    let lastCal = NaN;
    let calDays = 0;
    let repeatSpend = 0;
    let holdDays = 0;
    for (; k < n && cust[order[k]!]! === c; ) {
      // one calendar day of this customer: merge its transactions
      const d = day[order[k]!]!;
      let spend = 0;
      for (; k < n && cust[order[k]!]! === c && day[order[k]!]! === d; k++) {
        spend += tx.amount ? tx.amount[order[k]!]! : 0;
        if (d > lastDay) ignored++;
      }
      if (d <= calEnd) {
        if (calDays === 0) first = d;
        else repeatSpend += spend;
        lastCal = d;
        calDays++;
      } else if (d <= lastDay && calDays > 0) {
        holdDays++;
        holdTimes.push((d - calEnd) / scale);
      }
    }
    out.holdOffsets[c + 1] = holdTimes.length;
    if (calDays === 0) continue;
    out.keep[c] = 1;
    out.frequency[c] = calDays - 1;
    out.recency[c] = (lastCal - first) / scale;
    out.T[c] = (calEnd - first) / scale;
    out.monetary[c] = calDays > 1 ? repeatSpend / (calDays - 1) : 0;
    out.holdFreq[c] = holdDays;
  }
  return compact(ids, out, holdTimes, obsEnd === null ? null : (obsEnd - calEnd) / scale, ignored);
}

function compact(
  ids: readonly string[],
  o: { frequency: Float64Array; recency: Float64Array; T: Float64Array; monetary: Float64Array; holdFreq: Float64Array; holdOffsets: Int32Array; keep: Uint8Array },
  holdTimes: readonly number[],
  duration: number | null,
  ignored: number,
): CustomerSummary {
  const kept: number[] = [];
  for (let c = 0; c < ids.length; c++) if (o.keep[c] === 1) kept.push(c);
  const pick = (col: Float64Array): Float64Array => Float64Array.from(kept, (c) => col[c]!);
  const base = {
    ids: kept.map((c) => ids[c]!),
    frequency: pick(o.frequency), recency: pick(o.recency), T: pick(o.T), monetary: pick(o.monetary),
    excludedCustomers: ids.length - kept.length,
    ignoredTransactions: ignored,
  };
  if (duration === null) return base;
  const offsets = new Int32Array(kept.length + 1);
  const times: number[] = [];
  kept.forEach((c, i) => {
    for (let j = o.holdOffsets[c]!; j < o.holdOffsets[c + 1]!; j++) times.push(holdTimes[j]!);
    offsets[i + 1] = times.length;
  });
  return { ...base, holdout: { frequency: pick(o.holdFreq), duration, offsets, times: Float64Array.from(times) } };
}

function validate(tx: Transactions, n: number): void {
  if (tx.time.length !== n || (tx.amount && tx.amount.length !== n)) {
    throw new InputError(`summarise requires customerId, time${tx.amount ? ' and amount' : ''} of one length (got ${n}, ${tx.time.length}${tx.amount ? `, ${tx.amount.length}` : ''})`);
  }
  const issues: InputIssue[] = [];
  for (let i = 0; i < n && issues.length < 10; i++) {
    const t = tx.time[i]!;
    if (!Number.isFinite(t)) issues.push({ path: `row ${i}`, message: `time must be a finite ms epoch (got ${t})` });
    const a = tx.amount ? tx.amount[i]! : 0;
    if (!(Number.isFinite(a) && a >= 0)) issues.push({ path: `row ${i}`, message: `amount must be finite and ≥ 0 (got ${a})` });
    if (typeof tx.customerId[i] !== 'string' || tx.customerId[i] === '') issues.push({ path: `row ${i}`, message: 'customerId must be a non-empty string' });
  }
  if (issues.length > 0) throw new InputError(`summarise rejected ${issues.length} transaction(s): ${issues[0]!.path}: ${issues[0]!.message}`, issues);
}
