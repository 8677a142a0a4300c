/** Number hygiene for payloads: every number leaving this folder is finite or null. */

/** `value` as a finite number, or null (NULL, NaN, ±Infinity, non-numbers). O(1). */
export function finiteOrNull(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** `value` as a finite number, or `fallback` (0 by default) — for counts and sums where "none" is 0. O(1). */
export function finiteOr(value: unknown, fallback = 0): number {
  return finiteOrNull(value) ?? fallback;
}

/** part / whole, or null when the whole is 0 or either is not finite. O(1). */
export function ratio(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return finiteOrNull(part / whole);
}

/** An ISO-8601 string from a Date or a date-like value; null for anything else. O(1). */
export function isoOrNull(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string' && value !== '') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return null;
}
