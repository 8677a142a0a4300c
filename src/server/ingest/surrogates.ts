/**
 * Lone UTF-16 surrogates. JSON may spell one (`"\ud800"`) and `JSON.parse` keeps it, but it is not Unicode: DuckDB
 * refuses it ("no low surrogate in string") when it reads the journal, so one such event accepted would block the
 * load of every event behind it. It is refused at the door instead, per event, with the field named.
 *
 * Raw UTF-8 cannot encode a surrogate (a decoder replaces the bytes with U+FFFD), so one can only come from a
 * `\uD800`–`\uDFFF` escape in the body's text: bodies without one (nearly all) skip the walk over their strings.
 */

const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False when the JSON text cannot hold a lone surrogate once parsed (no surrogate escape in it). */
export const mayHoldLoneSurrogate = (jsonText: string): boolean =>
  // `includes` first: ~0.2 µs for a 25 KB batch against ~7 µs for the regex alone.
  jsonText.includes('\\u') && SURROGATE_ESCAPE.test(jsonText);

/** The path of the first string (value or key) in `value` holding a lone surrogate, else undefined. */
export function loneSurrogateAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogateAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return `${path} (a key)`;
    const found = loneSurrogateAt(inner, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** The issue message for a lone surrogate at `path`. */
export const loneSurrogateMessage = (path: string): string =>
  `${path}: holds a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape), which is not valid Unicode text`;
