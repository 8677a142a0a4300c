/** Test helper: a payload must survive JSON unchanged and hold only finite numbers (or null). */
import assert from 'node:assert/strict';

/** Throws naming the path of the first non-finite number or non-JSON value in `payload`. */
export function assertJsonPayload(payload: unknown): void {
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      assert.ok(Number.isFinite(value), `${path} must be finite (got ${value})`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    assert.ok(typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype, `${path} must be a plain JSON value (got ${Object.prototype.toString.call(value)})`);
    for (const [key, v] of Object.entries(value as object)) {
      assert.notEqual(v, undefined, `${path}.${key} must not be undefined`);
      walk(v, `${path}.${key}`);
    }
  };
  walk(payload, 'payload');
  assert.deepEqual(JSON.parse(JSON.stringify(payload)), payload);
}
