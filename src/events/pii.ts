/**
 * Personal data in traits, as both doors store it: the HTTP server (`server/ingest/privacy.ts`) in JavaScript and
 * the file importer (`store/import/pii.ts`) in SQL. Both replace the value of a trait named as PII by
 * `hmac-sha256:<hex>`, the HMAC-SHA256 (RFC 2104) under the operator's secret of the value's canonical text, so the
 * same address gives the same hash whichever door it came through.
 *
 * The rules, which the SQL follows and `store/import/pii.test.ts` checks against `Privacy.hash`:
 * - a trait is PII when its key, lower-cased, is one of the PII names, lower-cased (`Email` counts as `email`);
 * - a value that is null or the empty string is kept as it is (there is nothing to hide);
 * - the canonical text is the string itself, or `JSON.stringify` of any other value; then trimmed
 *   (`String.prototype.trim`: `PII_WHITE_SPACE`); for the trait `email` (any key case) also lower-cased.
 */
import { createHmac } from 'node:crypto';

export const DEFAULT_PII_TRAITS = ['email', 'phone', 'name'] as const;

/** What a hashed value starts with, so a reader can tell a hash from a value. */
export const PII_HASH_PREFIX = 'hmac-sha256:';

/**
 * The characters `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator): the SQL passes them
 * to DuckDB's `trim`, which by default removes spaces only. Checked against the engine in `pii.test.ts`.
 */
export const PII_WHITE_SPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** True when a trait value is replaced by its hash (anything but null, undefined and ''). */
export function isHashedPiiValue(value: unknown): boolean {
  return value != null && value !== '';
}

/** The text that is hashed for `value` of the trait `trait` (see the rules above). O(size of the value). */
export function piiCanonicalText(trait: string, value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return trait.toLowerCase() === 'email' ? text.trim().toLowerCase() : text.trim();
}

/** `hmac-sha256:<hex>` of the canonical text of `value` under `secret`. */
export function piiHash(secret: string, trait: string, value: unknown): string {
  return `${PII_HASH_PREFIX}${createHmac('sha256', secret).update(piiCanonicalText(trait, value)).digest('hex')}`;
}
