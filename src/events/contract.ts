/**
 * The event contract: Segment's tracking spec (https://segment.com/docs/connections/spec/common/) as types,
 * the e-commerce v2 names we understand, and `validateMessage`, the one check every message passes before it
 * is stored. The file importer runs the same rules in SQL (store/import/event-checks.ts) from the constants
 * exported here, so the two cannot drift apart on names or numeric fields.
 */
import { describeValue, type InputIssue } from '../core/errors.js';
import { readNumber } from './numeric-text.js';

export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** E-commerce v2 and e-mail event names the feature layer reads; any other name is accepted too. */
export const KNOWN_EVENTS = [
  'Product Viewed', 'Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started', 'Order Completed',
  'Email Delivered', 'Email Opened', 'Email Link Clicked', 'Consent Updated',
] as const;
export type KnownEvent = (typeof KNOWN_EVENTS)[number];

/** `properties` fields stored in their own numeric column; a value that is not a number is an error. */
export const NUMERIC_PROPERTIES = ['price', 'quantity', 'revenue', 'total', 'discount', 'dwell_seconds'] as const;

/** Consent purposes: `context.consent` and a `Consent Updated` event's `properties.consent` map these to booleans. */
export const CONSENT_PURPOSES = ['analytics', 'personalization', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type Consent = Partial<Record<ConsentPurpose, boolean>>;

export type JsonObject = { [key: string]: unknown };

/** One Segment message as received (JSON). Times are ISO 8601 strings. */
export interface SegmentMessage {
  readonly type: MessageType;
  readonly messageId: string;
  readonly userId?: string | null;
  readonly anonymousId?: string | null;
  readonly previousId?: string | null;
  readonly groupId?: string | null;
  readonly event?: string | null;
  readonly name?: string | null;
  readonly timestamp?: string | null;
  readonly originalTimestamp?: string | null;
  readonly sentAt?: string | null;
  readonly receivedAt?: string | null;
  readonly properties?: JsonObject | null;
  readonly traits?: JsonObject | null;
  readonly context?: JsonObject | null;
}

/** One line of an `Order Completed` event's `properties.products`. */
export interface OrderProduct {
  readonly product_id?: string;
  readonly name?: string;
  readonly category?: string;
  readonly price: number;
  readonly quantity?: number;
  readonly discount?: number;
}

/**
 * The event time in UTC: `timestamp`; else `originalTimestamp`, corrected for client clock skew as
 * `receivedAt − (sentAt − originalTimestamp)` when both `sentAt` and `receivedAt` are present; else `receivedAt`.
 * Returns `undefined` when none is present or readable. (Segment spec, "Timestamps".)
 */
export function eventTime(message: Pick<SegmentMessage, 'timestamp' | 'originalTimestamp' | 'sentAt' | 'receivedAt'>): Date | undefined {
  const ts = parseTime(message.timestamp);
  if (ts) return ts;
  const original = parseTime(message.originalTimestamp);
  const sent = parseTime(message.sentAt);
  const received = parseTime(message.receivedAt);
  if (original && sent && received) return new Date(received.getTime() - (sent.getTime() - original.getTime()));
  return original ?? received;
}

/** Parses an ISO 8601 time; a time without an offset is read as UTC. */
export function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  // The form every tracking library sends (`Date.toISOString()`): Date.parse reads it exactly, without the general
  // pattern's alternatives and the rewrites below (a hot path of ingestion: 2–3 times per event).
  if (value.length === 24 && TO_ISO_STRING.test(value)) {
    // A batch repeats its sentAt in every event, and each time is read by the check and again for the event time.
    let time = recentTimes.get(value);
    if (time === undefined) {
      if (recentTimes.size >= RECENT_TIMES) recentTimes.clear();
      time = Date.parse(value);
      recentTimes.set(value, time);
    }
    return Number.isNaN(time) ? undefined : new Date(time);
  }
  if (!ISO_TIME.test(value)) return undefined;
  const withZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value) || !value.includes(':') ? value : `${value}Z`;
  const date = new Date(withZone.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
const ISO_TIME = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/i;
const RECENT_TIMES = 1024;
const recentTimes = new Map<string, number>();
const TO_ISO_STRING = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Checks one message against the contract and returns every problem (empty when valid). `where` prefixes each
 * issue's path, e.g. `events[3]` or `events.jsonl:4`. Cost: O(size of the message).
 */
export function validateMessage(input: unknown, where: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const add = (field: string, message: string): void => {
    issues.push({ path: where, message: `${field}: ${message}` });
  };
  if (!isObject(input)) {
    add('message', `must be a JSON object (got ${describeValue(input)})`);
    return issues;
  }
  const m = input as JsonObject;
  if (!isText(m.messageId)) add('messageId', `is required (got ${describeValue(m.messageId)})`);
  if (!MESSAGE_TYPES.includes(m.type as MessageType)) {
    add('type', `must be one of ${MESSAGE_TYPES.join(', ')} (got ${describeValue(m.type)})`);
  }
  if (!isText(m.userId) && !isText(m.anonymousId)) add('userId', 'userId or anonymousId is required (got neither)');
  if (m.type === 'alias') {
    if (!isText(m.userId)) add('userId', 'alias requires userId');
    if (!isText(m.previousId)) add('previousId', `alias requires previousId (got ${describeValue(m.previousId ?? null)})`);
  }
  if (m.type === 'track' && !isText(m.event)) add('event', `track requires event (got ${describeValue(m.event ?? null)})`);
  for (const field of ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt'] as const) {
    const value = m[field];
    if (value != null && parseTime(value) === undefined) add(field, `cannot read ${describeValue(value)} as an ISO 8601 time`);
  }
  if (m.timestamp == null && m.originalTimestamp == null && m.receivedAt == null) {
    add('timestamp', 'is required (no timestamp, originalTimestamp or receivedAt)');
  }
  for (const field of ['properties', 'traits', 'context'] as const) {
    if (m[field] != null && !isObject(m[field])) add(field, `must be an object (got ${describeValue(m[field])})`);
  }
  const properties = isObject(m.properties) ? m.properties : {};
  for (const key of NUMERIC_PROPERTIES) {
    const value = properties[key];
    if (value != null && !isNumeric(value)) add(`properties.${key}`, `cannot read ${describeValue(value)} as a number`);
  }
  const context = isObject(m.context) ? m.context : {};
  if (context.consent != null) issues.push(...consentIssues(context.consent, where, 'context.consent'));
  if (m.event === 'Consent Updated') issues.push(...consentIssues(properties.consent, where, 'properties.consent'));
  if (m.event === 'Order Completed') issues.push(...orderIssues(properties, where));
  return issues;
}

function consentIssues(value: unknown, where: string, field: string): InputIssue[] {
  if (!isObject(value)) return [{ path: where, message: `${field}: must be an object of purpose → boolean (got ${describeValue(value)})` }];
  const issues: InputIssue[] = [];
  for (const [purpose, flag] of Object.entries(value)) {
    if (!CONSENT_PURPOSES.includes(purpose as ConsentPurpose)) {
      issues.push({ path: where, message: `${field}.${purpose}: unknown purpose (expected one of ${CONSENT_PURPOSES.join(', ')})` });
    } else if (typeof flag !== 'boolean') {
      issues.push({ path: where, message: `${field}.${purpose}: must be true or false (got ${describeValue(flag)})` });
    }
  }
  return issues;
}

function orderIssues(properties: JsonObject, where: string): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!isText(properties.order_id) && typeof properties.order_id !== 'number') {
    issues.push({ path: where, message: `properties.order_id: Order Completed requires order_id (got ${describeValue(properties.order_id ?? null)})` });
  }
  const products = properties.products;
  if (products == null) return issues;
  if (!Array.isArray(products)) return [...issues, { path: where, message: `properties.products: must be an array (got ${describeValue(products)})` }];
  products.forEach((product: unknown, i) => {
    const p = isObject(product) ? product : {};
    for (const key of ['price', 'quantity', 'discount'] as const) {
      if (p[key] != null && !isNumeric(p[key])) {
        issues.push({ path: where, message: `properties.products[${i}].${key}: cannot read ${describeValue(p[key])} as a number` });
      }
    }
    if (p.price == null) issues.push({ path: where, message: `properties.products[${i}].price: is required` });
  });
  return issues;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** A finite JSON number, or decimal text (CSV sources often quote numbers); see `numeric-text.ts`. */
function isNumeric(value: unknown): boolean {
  return readNumber(value) !== null;
}
