/**
 * One received Segment message → one `events` row. The server stamps `receivedAt`, fills a missing `messageId`
 * (Segment does the same for raw HTTP calls), merges a batch's top-level `context`, and corrects client clock skew:
 * `timestamp = receivedAt − (sentAt − originalTimestamp)`, where the client's own `timestamp` is read as the
 * original time when no `originalTimestamp` is given (Segment spec, "Timestamps").
 *
 * The column mapping mirrors the file importer's (session from `context.sessionId`, product and order fields from
 * `properties`); it lives here until the importer exports one mapping both can share.
 */
import { randomUUID } from 'node:crypto';
import { describeValue, type InputIssue } from '../../core/errors.js';
import { eventTime, readNumber, validateMessage, type JsonObject, type MessageType, type SegmentMessage } from '../../events/index.js';

/** One `events` row, by column name. Times are epoch milliseconds (UTC); JSON columns hold the objects. */
export interface EventRow {
  readonly message_id: string;
  readonly type: MessageType;
  readonly event: string | null;
  readonly name: string | null;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly previous_id: string | null;
  readonly group_id: string | null;
  readonly ts: number;
  readonly received_at: number;
  readonly session_id: string | null;
  readonly product_id: string | null;
  readonly product_name: string | null;
  readonly category: string | null;
  readonly price: number | null;
  readonly quantity: number | null;
  readonly order_id: string | null;
  readonly revenue: number | null;
  readonly discount: number | null;
  readonly dwell_seconds: number | null;
  readonly properties: JsonObject | null;
  readonly traits: JsonObject | null;
  readonly context: JsonObject | null;
  readonly import_id: string;
}

/** What the request around a message contributes: the batch's `sentAt` and `context`, and our receive time. */
export interface Envelope {
  readonly receivedAt: Date;
  /** `receivedAt.toISOString()`, when the caller has it (a batch's messages share one receive time). */
  readonly receivedAtText?: string;
  readonly sentAt?: unknown;
  readonly context?: unknown;
  /** Forced type for the single-event routes (`/v1/track` …); a batch item names its own. */
  readonly type?: MessageType;
  readonly importId: string;
}

export type Normalised =
  | { readonly ok: true; readonly message: SegmentMessage; readonly row: EventRow }
  | { readonly ok: false; readonly messageId: string | null; readonly issues: InputIssue[] };

/**
 * Validates and maps one message; `where` names it in issues (`batch[3]`, `body`). The input is a freshly parsed
 * request body that nothing else holds, so it is completed in place (no copy on the hot path).
 */
export function normaliseMessage(input: unknown, envelope: Envelope, where: string): Normalised {
  if (!isObject(input)) {
    return { ok: false, messageId: null, issues: [{ path: where, message: `message: must be a JSON object (got ${describeKind(input)})` }] };
  }
  const receivedAt = envelope.receivedAtText ?? envelope.receivedAt.toISOString();
  const original = input.originalTimestamp ?? input.timestamp;
  const merged: JsonObject = input;
  if (envelope.type !== undefined) merged.type = envelope.type;
  merged.messageId ??= `api-${randomUUID()}`;
  merged.sentAt ??= envelope.sentAt;
  if (envelope.context !== undefined) merged.context = mergeContext(envelope.context, input.context);
  merged.receivedAt = receivedAt;
  const messageId = typeof merged.messageId === 'string' ? merged.messageId : null;
  if (tooDeep(merged, MAX_DEPTH)) {
    return { ok: false, messageId, issues: [{ path: where, message: `message: is nested more than ${MAX_DEPTH} levels deep (with the batch context)` }] };
  }
  const typeIssues: InputIssue[] = [];
  for (const field of ['userId', 'anonymousId', 'previousId', 'groupId', 'event', 'name'] as const) {
    const value = merged[field];
    if (value == null || typeof value === 'string') continue;
    // Segment's libraries pass numeric ids through as numbers; read them as their decimal text.
    if (typeof value === 'number' && Number.isFinite(value) && field !== 'event') merged[field] = String(value);
    else typeIssues.push({ path: where, message: `${field}: must be a string (got ${describeKind(value)})` });
  }
  // The contract reads numeric text as DuckDB does (`events/numeric-text.ts`), so the order step, which casts a
  // product's price in DuckDB, can store every order accepted here.
  const issues = [...typeIssues, ...validateMessage(merged, where)];
  if (issues.length > 0) return { ok: false, messageId, issues };
  const message = merged as unknown as SegmentMessage;
  const ts = eventTime({ timestamp: null, originalTimestamp: original as string | null, sentAt: message.sentAt, receivedAt }) ?? envelope.receivedAt;
  return { ok: true, message, row: toRow(message, ts.getTime(), envelope.receivedAt.getTime(), envelope.importId) };
}

/** Objects and arrays nested deeper than this are refused (JSON.stringify and the JSON column recurse). */
export const MAX_DEPTH = 64;

/** True when `value` nests objects/arrays more than `limit` levels; stops descending at the limit. */
export function tooDeep(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (tooDeep(child, limit - 1)) return true;
  }
  return false;
}

function toRow(m: SegmentMessage, ts: number, receivedAt: number, importId: string): EventRow {
  const properties = m.properties ?? {};
  const context = m.context ?? {};
  return {
    message_id: m.messageId,
    type: m.type,
    event: text(m.event),
    name: text(m.name),
    user_id: text(m.userId),
    anonymous_id: text(m.anonymousId),
    previous_id: text(m.previousId),
    group_id: text(m.groupId),
    ts,
    received_at: receivedAt,
    // As the file importer: the context's sessionId, else properties.session_id; a product's name is
    // properties.name on an event that names a product.
    session_id: text(context.sessionId) ?? text(properties.session_id),
    product_id: text(properties.product_id),
    product_name: text(properties.product_id) !== null ? text(properties.name) : null,
    category: text(properties.category),
    price: readNumber(properties.price),
    quantity: readNumber(properties.quantity),
    order_id: text(properties.order_id),
    revenue: readNumber(properties.revenue) ?? readNumber(properties.total),
    discount: readNumber(properties.discount),
    dwell_seconds: readNumber(properties.dwell_seconds),
    properties: m.properties ?? null,
    traits: m.traits ?? null,
    context: m.context ?? null,
    import_id: importId,
  };
}

function mergeContext(outer: unknown, inner: unknown): unknown {
  if (!isObject(outer)) return inner;
  if (inner == null) return outer;
  if (!isObject(inner)) return inner;
  return { ...outer, ...inner };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return describeValue(value);
}
