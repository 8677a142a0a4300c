/**
 * The collection routes, compatible with Segment's HTTP Tracking API: `/v1/{track,identify,page,screen,group,alias}`
 * take one message, `/v1/batch` (and `/v1/import`) take `{ batch: [...], context?, sentAt? }`. Order of checks:
 * queue bound (503) → Basic key (401) → body size/time (400/408) → JSON (400) → body key (401) → rate (429) →
 * per-event validation, size and dedupe → one group commit → answer. A batch answers per event; one bad event
 * never drops the others.
 */
import type { InputIssue } from '../../core/errors.js';
import type { MessageType, SegmentMessage } from '../../events/index.js';
import { RateLimiter, WriteKeys } from '../http/auth.js';
import { readBody, describeBytes } from '../http/body.js';
import { HttpError, limitError } from '../http/errors.js';
import type { Answer, RequestContext, Route } from '../http/router.js';
import type { Metrics } from '../metrics.js';
import type { DedupeIndex } from './dedupe.js';
import { linkOf, type IdentityLink } from './identities.js';
import { MAX_DEPTH, normaliseMessage, type EventRow } from './normalize.js';
import type { ConsentChange, Privacy } from './privacy.js';
import type { Store } from '../../store/db.js';
import { loneSurrogateAt, loneSurrogateMessage, mayHoldLoneSurrogate } from './surrogates.js';
import type { GroupCommitWriter } from './writer.js';

/** Segment's limits (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size). */
export const LIMITS = { eventBytes: 32 * 1024, batchBytes: 500 * 1024, batchEvents: 2500 } as const;

export interface CollectorDeps {
  readonly writeKeys: WriteKeys;
  readonly limiter: RateLimiter;
  readonly dedupe: DedupeIndex;
  /** Which of these messageIds (fingerprint matches) are stored: `DedupeIndex.confirmStored` on a read connection. */
  readonly confirmStored: (messageIds: readonly string[]) => Promise<Set<string>>;
  readonly writer: GroupCommitWriter;
  readonly metrics: Metrics;
  readonly privacy: Privacy;
  readonly bodyTimeoutMs: number;
  readonly importId: string;
}

export type EventStatus = 'accepted' | 'duplicate' | 'rejected' | 'dropped_no_consent';

export interface EventResult {
  readonly index: number;
  readonly messageId: string | null;
  readonly status: EventStatus;
  readonly issues?: readonly InputIssue[];
}

const SINGLE_TYPES: readonly MessageType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

export function collectionRoutes(deps: CollectorDeps): Route[] {
  const single = (type: MessageType): Route => ({ method: 'POST', path: `/v1/${type}`, handler: (ctx) => collectSingle(deps, ctx, type) });
  const batch: Route['handler'] = (ctx) => collectBatch(deps, ctx);
  return [...SINGLE_TYPES.map(single), { method: 'POST', path: '/v1/batch', handler: batch }, { method: 'POST', path: '/v1/import', handler: batch }];
}

async function collectSingle(deps: CollectorDeps, ctx: RequestContext, type: MessageType): Promise<Answer> {
  const { body, headerKey, surrogates } = await readJson(deps, ctx, { maxBytes: LIMITS.eventBytes, subject: 'event', code: 'event_too_large' });
  const key = headerKey ?? authorise(deps, body);
  limitRate(deps, key, 1);
  const [result] = await ingest(deps, ctx, [body], { sentAt: body.sentAt, type }, () => 'body', surrogates);
  if (!result) throw new Error('ingest returned no result for a single event');
  if (result.status === 'rejected') {
    throw new HttpError(400, 'invalid_event', `event rejected: ${result.issues?.map((i) => i.message).join('; ') ?? ''}`, result.issues ?? []);
  }
  return { status: 200, json: { success: true, messageId: result.messageId, status: result.status } };
}

async function collectBatch(deps: CollectorDeps, ctx: RequestContext): Promise<Answer> {
  const { body, headerKey, surrogates } = await readJson(deps, ctx, { maxBytes: LIMITS.batchBytes, subject: 'batch', code: 'batch_too_large' });
  const key = headerKey ?? authorise(deps, body);
  const items = body.batch;
  if (!Array.isArray(items)) {
    throw new HttpError(400, 'invalid_batch', `batch: must be an array of messages (got ${items === undefined ? 'nothing' : typeof items})`, [{ path: 'batch', message: 'must be an array' }]);
  }
  if (items.length > LIMITS.batchEvents) {
    throw limitError('too_many_events', `batch has ${items.length.toLocaleString('en-US')} events; the limit is ${LIMITS.batchEvents.toLocaleString('en-US')} events per batch`);
  }
  limitRate(deps, key, items.length);
  const lone = surrogates ? loneSurrogateAt(body.context, 'context') : undefined;
  if (lone) throw new HttpError(400, 'invalid_batch', `batch ${loneSurrogateMessage(lone)}`, [{ path: lone, message: loneSurrogateMessage(lone) }]);
  const results = await ingest(deps, ctx, items, { sentAt: body.sentAt, context: body.context }, (i) => `batch[${i}]`, surrogates);
  const counts = { accepted: 0, duplicate: 0, rejected: 0, dropped_no_consent: 0 };
  for (const r of results) counts[r.status]++;
  if (items.length > 0 && counts.rejected === items.length) {
    return {
      status: 400,
      json: {
        success: false,
        error: { code: 'invalid_events', message: `all ${items.length} events of the batch were rejected`, issues: results.flatMap((r) => r.issues ?? []) },
        ...counts,
        results,
      },
    };
  }
  return { status: 200, json: { success: true, ...counts, results } };
}

type JsonBody = Record<string, unknown>;

/**
 * Admits the request, checks a write key sent in the header (before reading the body) and parses the body;
 * `headerKey` is that key, checked (undefined: the body's `writeKey` is to be checked); `surrogates`: the body
 * may hold a lone surrogate (`surrogates.ts`).
 */
async function readJson(deps: CollectorDeps, ctx: RequestContext, limit: { maxBytes: number; subject: string; code: string }): Promise<{ body: JsonBody; headerKey?: string; surrogates: boolean }> {
  deps.writer.admit();
  const sent = deps.writeKeys.fromHeader(ctx.req);
  const headerKey = sent === undefined ? undefined : deps.writeKeys.check(sent);
  const raw = await readBody(ctx.req, { ...limit, timeoutMs: deps.bodyTimeoutMs });
  let body: unknown;
  const text = raw.toString('utf8');
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `request body is not valid JSON (${(error as Error).message})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_json', `request body must be a JSON object (got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body})`);
  }
  const surrogates = mayHoldLoneSurrogate(text);
  return headerKey === undefined ? { body: body as JsonBody, surrogates } : { body: body as JsonBody, headerKey, surrogates };
}

/** The write key sent in the body, checked. */
function authorise(deps: CollectorDeps, body: JsonBody): string {
  return deps.writeKeys.check(body.writeKey);
}

function limitRate(deps: CollectorDeps, key: string, events: number): void {
  const wait = deps.limiter.take(key, Math.max(1, events));
  if (wait > 0) throw new HttpError(429, 'rate_limited', `write key is over its event rate; retry after ${wait} s`, [], { 'Retry-After': String(wait) });
}

async function ingest(
  deps: CollectorDeps,
  ctx: RequestContext,
  items: readonly unknown[],
  envelope: { sentAt?: unknown; context?: unknown; type?: MessageType },
  where: (index: number) => string,
  surrogates: boolean,
): Promise<EventResult[]> {
  const results: EventResult[] = [];
  const candidates: Candidate[] = [];
  const waits = new Set<Promise<void>>();
  const inRequest = new Set<string>();
  const full = { ...envelope, receivedAt: ctx.receivedAt, receivedAtText: ctx.receivedAt.toISOString(), importId: deps.importId };
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const size = byteSize(item, LIMITS.eventBytes);
    if (Number.isNaN(size)) {
      results.push({ index, messageId: messageIdOf(item), status: 'rejected', issues: [{ path: where(index), message: `message: is nested more than ${MAX_DEPTH} levels deep` }] });
      continue;
    }
    if (size > LIMITS.eventBytes) {
      const message = `event is ${describeBytes(size)}; the limit is ${describeBytes(LIMITS.eventBytes)}`;
      results.push({ index, messageId: messageIdOf(item), status: 'rejected', issues: [{ path: where(index), message }] });
      continue;
    }
    const normalised = normaliseMessage(item, full, where(index));
    if (!normalised.ok) {
      results.push({ index, messageId: normalised.messageId, status: 'rejected', issues: normalised.issues });
      continue;
    }
    const lone = surrogates ? loneSurrogateAt(item, where(index)) : undefined;
    if (lone) {
      results.push({ index, messageId: normalised.row.message_id, status: 'rejected', issues: [{ path: lone, message: loneSurrogateMessage(lone) }] });
      continue;
    }
    const id = normalised.row.message_id;
    const seen = deps.dedupe.check(id);
    if (seen.kind === 'pending' || inRequest.has(id)) {
      if (seen.kind === 'pending') waits.add(seen.commit);
      results.push({ index, messageId: id, status: 'duplicate' });
      continue;
    }
    inRequest.add(id);
    candidates.push({ slot: results.length, index, message: normalised.message, row: normalised.row, probably: seen.kind === 'probably' });
    results.push({ index, messageId: id, status: 'duplicate' });
  }
  const receivedAt = ctx.receivedAt.getTime();
  const probableIds = candidates.filter((c) => c.probably).map((c) => c.row.message_id);
  let commit: Promise<void>;
  if (probableIds.length === 0) {
    const { rows, consents } = gate(deps, candidates, results, NOTHING_STORED, where);
    commit = submit(deps, rows, consents);
    deps.dedupe.hold(rows.map((r) => r.message_id), receivedAt, commit);
  } else {
    // Held (so a concurrent retry waits for this request) while the table is asked which were stored already; the
    // request's events are gated after that, in their order, so a retried consent change is not applied again and
    // a new one still comes before the events behind it.
    let release!: (write: Promise<void>) => void;
    commit = new Promise<void>((resolve, reject) => (release = (write) => void write.then(resolve, reject)));
    commit.catch(() => undefined);
    deps.dedupe.hold(candidates.map((c) => c.row.message_id), receivedAt, commit);
    let stored: Set<string>;
    try {
      stored = await deps.confirmStored(probableIds);
    } catch (error) {
      release(Promise.reject(error));
      throw writeFailed();
    }
    const { rows, consents } = gate(deps, candidates, results, stored, where);
    release(submit(deps, rows, consents));
  }
  try {
    await commit;
    await Promise.all(waits);
  } catch {
    throw writeFailed();
  }
  for (const r of results) deps.metrics.events[r.status]++;
  return results;
}

/**
 * An event that passed the checks and is not a duplicate in flight, with its slot in `results` (filled once gated).
 * `probably`: its messageId's fingerprint is held (`dedupe.ts`), so the table is asked first.
 */
interface Candidate {
  readonly slot: number;
  readonly index: number;
  readonly message: SegmentMessage;
  readonly row: EventRow;
  readonly probably: boolean;
}

const NOTHING_STORED: ReadonlySet<string> = new Set();

/**
 * Applies consent to the candidates in request order, filling their results: a probable duplicate the table holds
 * (`stored`) stays a duplicate; the others are accepted or dropped for want of consent.
 */
function gate(
  deps: CollectorDeps,
  candidates: readonly Candidate[],
  results: EventResult[],
  stored: ReadonlySet<string>,
  where: (index: number) => string,
): { rows: EventRow[]; consents: ConsentChange[] } {
  const rows: EventRow[] = [];
  const consents: ConsentChange[] = [];
  for (const c of candidates) {
    if (c.probably && stored.has(c.row.message_id)) continue;
    const gated = deps.privacy.gate(c.message, c.row);
    if (gated.consent) consents.push(gated.consent);
    if (gated.kind === 'drop') {
      results[c.slot] = { index: c.index, messageId: c.row.message_id, status: 'dropped_no_consent', issues: [{ path: where(c.index), message: gated.reason }] };
      continue;
    }
    rows.push(gated.row);
    results[c.slot] = { index: c.index, messageId: c.row.message_id, status: 'accepted' };
  }
  return { rows, consents };
}

/** Hands a request's rows (with their identity links and consent changes) to the writer; resolves once durable. */
function submit(deps: CollectorDeps, rows: readonly EventRow[], consents: readonly ConsentChange[]): Promise<void> {
  const links: IdentityLink[] = [];
  for (const row of rows) {
    const link = linkOf(row);
    if (link) links.push(link);
  }
  const after = consents.length > 0 ? (store: Store) => deps.privacy.persist(store, consents) : undefined;
  return deps.writer.submit({ rows, links, ...(after ? { after } : {}) });
}

const writeFailed = (): HttpError => new HttpError(503, 'write_failed', 'events could not be written; nothing of this request was stored, retry it', [], { 'Retry-After': '1' });

function messageIdOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const id = (item as { messageId?: unknown }).messageId;
  return typeof id === 'string' ? id : null;
}

/**
 * Bytes of the item as JSON, exact when it could exceed `limit`; otherwise possibly an over-estimate that is still
 * within the limit (serialising every event just to measure it cost ~7% of ingestion). NaN when it cannot be
 * serialised (nested so deep that JSON.stringify overflows).
 */
function byteSize(item: unknown, limit: number): number {
  const bound = jsonBytesBound(item, limit, 0);
  if (bound <= limit) return bound;
  try {
    return Buffer.byteLength(JSON.stringify(item) ?? '');
  } catch {
    return NaN;
  }
}

/** Deeper than this, the bound gives up and the exact measure decides (it also reports what cannot be serialised). */
const BOUND_DEPTH = 200;

/**
 * An upper bound of `Buffer.byteLength(JSON.stringify(value))`, or Infinity once it passes `limit`: a string's
 * UTF-16 unit takes at most 6 bytes escaped (`\u001f`, a lone surrogate) plus its quotes, a number at most 24
 * characters, and every member adds its key, a colon and a comma.
 */
function jsonBytesBound(value: unknown, limit: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 6 * value.length + 2;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'object':
      break;
    default:
      return 9; // undefined and functions are left out or become null
  }
  if (value === null) return 4;
  if (depth >= BOUND_DEPTH) return Infinity;
  let total = 2;
  if (Array.isArray(value)) {
    for (const child of value) {
      total += jsonBytesBound(child, limit, depth + 1) + 1;
      if (total > limit) return Infinity;
    }
    return total;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    total += 6 * key.length + 4 + jsonBytesBound((value as Record<string, unknown>)[key], limit, depth + 1);
    if (total > limit) return Infinity;
  }
  return total;
}
