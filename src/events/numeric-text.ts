/**
 * How a numeric property (`NUMERIC_PROPERTIES`, and a product's price, quantity and discount) is read: a finite JSON
 * number, or text that DuckDB's `try_cast(text AS DOUBLE)` reads too, so the HTTP API and the file importer
 * (`store/import/event-checks.ts`) accept the same values and store the same numbers.
 *
 * Text is decimal only: ASCII white space around it (space, \t, \n, \v, \f, \r — DuckDB trims exactly these), an
 * optional sign, digits with an optional fraction (`5.` and `.5` too), an optional exponent. JavaScript's `Number()`
 * alone would also read `0x1A`, `0b1`, `0o7`, `""` (as 0) and non-breaking spaces, which DuckDB refuses.
 *
 * Two deliberate differences from DuckDB's bare cast (DuckDB 1.5, checked in `server/ingest/numeric-parity.test.ts`),
 * both refusing more; the file importer's checks (`store/import/event-checks.ts`, `badNumber`) refuse them as well:
 * - non-finite values: DuckDB reads `inf`, `Infinity`, `nan` and overflow (`1e400`) as ±Infinity/NaN; they are
 *   refused here, as the server always did — no feature can use them;
 * - digit separators: DuckDB reads `1_000` as 1000; refused here, because the live order reader
 *   (`server/live/event-orders.ts`) reads text with `Number()`, which would see NaN where the order step stores
 *   1000. A refusal is loud; a silently different number is not.
 */

/** Decimal text as DuckDB reads it, without digit separators. */
const DECIMAL_TEXT = /^[ \t\n\v\f\r]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t\n\v\f\r]*$/;

/**
 * The number `value` holds: a finite JSON number as is, decimal text parsed; `null` for anything else (hex, empty
 * or blank text, `Infinity`, `NaN`, overflow, booleans, objects). O(length of the text).
 */
export function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) return null;
  // Number() trims the same white space and reads decimal text with correct rounding, as DuckDB does.
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
