/**
 * Calendar days for the summaries: dates as UTC day numbers (days since 1970-01-01), parsed strictly.
 */
import { InputError } from '../../core/errors.js';

export const MS_PER_DAY = 86_400_000;

/** UTC day number of a millisecond epoch time (floor, so times before 1970 work too). */
export function dayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/**
 * Parses `YYYYMMDD` or `YYYY-MM-DD` into ms epoch UTC at midnight, rejecting impossible dates such as 19970231.
 * `where` names the source in the error (a file:line, an option name). Cost O(1).
 */
export function parseDate(text: string, where: string): number {
  const m = DATE.exec(text.trim());
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return ms;
  }
  throw new InputError(`${where}: date must be a real calendar date as YYYYMMDD or YYYY-MM-DD (got ${JSON.stringify(text)})`, [
    { path: where, message: `unparseable date ${JSON.stringify(text)}` },
  ]);
}

/** A date option given as ms epoch or as a date string, to a UTC day number; rejects non-finite numbers. */
export function toDay(value: number | string, where: string): number {
  if (typeof value === 'string') return dayOf(parseDate(value, where));
  if (!Number.isFinite(value)) {
    throw new InputError(`${where} must be a finite ms epoch time or a YYYY-MM-DD date (got ${value})`, [
      { path: where, message: `not a time: ${value}` },
    ]);
  }
  return dayOf(value);
}
