/**
 * Reading the JSON columns of `segment_runs` (model, metrics, segments, params): the edge where stored text becomes
 * typed values, so every reader checks shapes here instead of trusting a cast.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Parses text (or takes an object) as a JSON object; anything else — NULL, bad JSON, an array — gives `{}`. O(text). */
export function parseJsonObject(value: unknown): JsonObject {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return {};
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
}

/** An array of finite numbers, or null when `value` is not one (any non-number inside rejects it). O(n). */
export function numberArray(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const out: number[] = [];
  for (const v of value) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    out.push(v);
  }
  return out;
}

/** An array of strings, or null. O(n). */
export function stringArray(value: unknown): string[] | null {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
  return value as string[];
}
