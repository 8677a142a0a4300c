/**
 * The OpenAPI 3.1 document served at `/openapi.json`. Kept beside the routes and checked against them by a test
 * (every served route is documented, and nothing else is).
 */
import { MEMBER_SORT_KEYS } from '../dashboard/api/index.js';
import { LIMITS } from './ingest/collect.js';

const error = { $ref: '#/components/responses/Error' };
const json = (schema: object): object => ({ 'application/json': { schema } });

const collectResponses = (ok: object): object => ({
  200: { description: 'Stored (or recognised as a duplicate) and committed to disk.', content: json(ok) },
  400: error, 401: error, 408: error, 415: error, 429: error, 503: error,
});

const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** A dashboard payload: every one says its `state`, the rest is the page's data (`src/dashboard/api/types.ts`). */
const PAYLOAD = {
  type: 'object', required: ['state', 'message'],
  properties: {
    state: { enum: ['ready', 'empty', 'running'], description: 'ready: filled in; empty: nothing yet (no data or no finished run); running: a run is in progress (an earlier run\'s data, if any, is filled in).' },
    message: { type: ['string', 'null'], description: 'Why the page is empty, or a note about the data.' },
  },
};

/** The JSON routes behind the dashboard's pages, and the pages themselves. */
function dashboardPaths(security: object[]): Record<string, object> {
  const read = (summary: string, parameters: object[] = [], more: Record<number, object> = {}): object => ({
    get: { tags: ['dashboard'], summary, security, parameters, responses: { 200: { description: 'The page\'s data.', content: json(PAYLOAD) }, 401: error, ...more } },
  });
  const page = (name: string, minimum: number, maximum: number, fallback: number): object => ({ name, in: 'query', schema: { type: 'integer', minimum, maximum, default: fallback } });
  return {
    '/v1/dashboard/overview': read('Overview: KPIs (customers, active, buyers, revenue, orders, AOV, repeat rate), segment mix and revenue, size changes since the previous run.'),
    '/v1/dashboard/segments': read('Segments of the newest finished run: sizes, feature heatmap, radar profiles, cluster map, RFM grid, flows from the previous run.'),
    '/v1/dashboard/segments/{cluster}/members': read('Members of a segment, paged and sorted, with their RFM score and segment, recency, frequency and monetary value.', [
      { name: 'cluster', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
      page('offset', 0, Number.MAX_SAFE_INTEGER, 0), page('limit', 1, 500, 50),
      { name: 'sort', in: 'query', schema: { enum: MEMBER_SORT_KEYS.flatMap((key) => [key, `-${key}`]) }, description: 'Ascending, or descending with `-` first.' },
    ], { 400: error }),
    '/v1/dashboard/model': read('Model choice: inertia and silhouette per candidate k, the chosen k, silhouette per segment, bootstrap stability and dendrogram when stored.'),
    '/v1/dashboard/customers': read('Customer search by any id (customer, user or anonymous id).', [
      { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 } }, page('limit', 1, 100, 20),
    ], { 400: error }),
    '/v1/dashboard/customers/{id}': read('One customer: profile (ids, traits, activity, features, segment), predictions and event timeline.', [
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ], { 404: error }),
    '/v1/dashboard/cohorts': read('Monthly acquisition cohorts: active share and revenue by month since the first order.'),
    '/v1/dashboard/journeys': read('Journeys: state transitions, common paths, purchase probability and removal effect per state, funnel, and the session sample used.'),
    '/v1/dashboard/quality': read('Data quality: each cleaning rule with the rows it affected and examples, and the totals kept.'),
    '/dashboard/': {
      get: { tags: ['dashboard'], summary: 'The dashboard (HTML; its data comes from /v1/dashboard/ with the admin token it asks for).', responses: { 200: { description: 'The single-page app.', content: { 'text/html': { schema: { type: 'string' } } } } } },
    },
  };
}

export function openApiDocument(): object {
  const single = Object.fromEntries(MESSAGE_TYPES.map((type) => [`/v1/${type}`, {
    post: {
      tags: ['collection'], summary: `One ${type} message (Segment HTTP Tracking API).`, security: [{ writeKey: [] }, {}],
      requestBody: { required: true, content: json({ $ref: '#/components/schemas/Message' }) },
      responses: collectResponses({ $ref: '#/components/schemas/SingleAnswer' }),
    },
  }]));
  const batch = {
    post: {
      tags: ['collection'],
      summary: `Up to ${LIMITS.batchEvents} messages, ${LIMITS.batchBytes / 1024} KB in all and ${LIMITS.eventBytes / 1024} KB each; answers per event.`,
      description: 'Accepts `Content-Encoding: gzip`. A batch whose events are all rejected is a 400; otherwise 200 with one result per event.',
      security: [{ writeKey: [] }, {}],
      requestBody: { required: true, content: json({ $ref: '#/components/schemas/Batch' }) },
      responses: collectResponses({ $ref: '#/components/schemas/BatchAnswer' }),
    },
  };
  const admin = [{ adminToken: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'Segmenta collection and profile API', version: '1.0.0', description: 'Segment-compatible collection API with durable ingestion, and a read API for profiles, segments and the dashboard\'s pages (the same `/v1/dashboard/` routes as `segmenta dashboard`).' },
    paths: {
      ...single,
      '/v1/batch': batch,
      '/v1/import': batch,
      '/v1/profiles/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Any id the person used: userId, anonymousId or previousId.' }],
        get: { tags: ['read'], summary: 'Profile: ids, traits, consent, activity, features, segment, RFM, strategy, predictions, last events.', security: admin, responses: { 200: { description: 'The profile.', content: json({ $ref: '#/components/schemas/Profile' }) }, 401: error, 404: error } },
        delete: { tags: ['admin'], summary: 'Erase the customer everywhere, with an audit record.', security: admin, responses: { 200: { description: 'What was deleted, per table (`deleted`), and the messageIds kept as tombstones while the messageId window can still hold them (`tombstones`, `expiredTombstones`: older ones dropped).', content: json({ type: 'object' }) }, 401: error, 404: error } },
      },
      '/v1/stream/segments': {
        get: {
          tags: ['read'], summary: 'Server-Sent Events: `segment entered` / `segment exited` as customers are re-scored live (RFM bands of the newest run).', security: admin,
          responses: { 200: { description: 'An event stream; data is a JSON SegmentChange.', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 401: error },
        },
      },
      '/v1/segments': { get: { tags: ['read'], summary: 'Segments of the newest finished run, with member counts.', security: admin, responses: { 200: { description: 'Segments.', content: json({ type: 'object' }) }, 401: error, 404: error } } },
      '/v1/segments/{id}/members': {
        get: {
          tags: ['read'], summary: 'Members of a segment, paged; CSV with `format=csv` or `Accept: text/csv`.', security: admin,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10000, default: 100 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
            { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } },
          ],
          responses: { 200: { description: 'A page of members.', content: { ...json({ type: 'object' }), 'text/csv': { schema: { type: 'string' } } } }, 400: error, 401: error, 404: error },
        },
      },
      '/v1/runs': {
        post: {
          tags: ['admin'], summary: 'Run a segmentation now (ingestion waits while it writes).', security: admin,
          parameters: [{ name: 'k', in: 'query', schema: { oneOf: [{ const: 'auto' }, { type: 'integer', minimum: 2, maximum: 20 }] } }, { name: 'seed', in: 'query', schema: { type: 'integer' } }],
          responses: { 201: { description: 'The run summary.', content: json({ type: 'object' }) }, 400: error, 401: error, 409: error },
        },
      },
      ...dashboardPaths(admin),
      '/healthz': { get: { tags: ['operations'], summary: 'Liveness and queue depth.', responses: { 200: { description: 'OK.', content: json({ type: 'object' }) } } } },
      '/metrics': { get: { tags: ['operations'], summary: 'Prometheus metrics.', responses: { 200: { description: 'Text exposition format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/openapi.json': { get: { tags: ['operations'], summary: 'This document.', responses: { 200: { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) } } } },
    },
    components: {
      securitySchemes: {
        writeKey: { type: 'http', scheme: 'basic', description: 'The write key as the user name, empty password (or `writeKey` in the body).' },
        adminToken: { type: 'http', scheme: 'bearer' },
      },
      responses: { Error: { description: 'An error.', content: json({ $ref: '#/components/schemas/Error' }) } },
      schemas: {
        Message: {
          type: 'object',
          properties: {
            type: { enum: MESSAGE_TYPES }, messageId: { type: 'string', description: 'Idempotency key; retries within 24 h are answered duplicate.' },
            userId: { type: 'string' }, anonymousId: { type: 'string' }, previousId: { type: 'string' }, groupId: { type: 'string' },
            event: { type: 'string' }, name: { type: 'string' },
            timestamp: { type: 'string', format: 'date-time' }, originalTimestamp: { type: 'string', format: 'date-time' }, sentAt: { type: 'string', format: 'date-time' },
            properties: { type: 'object' }, traits: { type: 'object' }, context: { type: 'object' },
          },
          description: 'userId or anonymousId is required; track requires event; alias requires previousId.',
        },
        Batch: {
          type: 'object', required: ['batch'],
          properties: {
            batch: { type: 'array', maxItems: LIMITS.batchEvents, items: { $ref: '#/components/schemas/Message' } },
            context: { type: 'object', description: 'Merged into each message.' }, sentAt: { type: 'string', format: 'date-time' }, writeKey: { type: 'string' },
          },
        },
        EventResult: {
          type: 'object', required: ['index', 'messageId', 'status'],
          properties: {
            index: { type: 'integer' }, messageId: { type: ['string', 'null'] },
            status: { enum: ['accepted', 'duplicate', 'rejected', 'dropped_no_consent'] },
            issues: { type: 'array', items: { $ref: '#/components/schemas/Issue' } },
          },
        },
        SingleAnswer: { type: 'object', properties: { success: { const: true }, messageId: { type: 'string' }, status: { enum: ['accepted', 'duplicate', 'dropped_no_consent'] } } },
        BatchAnswer: {
          type: 'object',
          properties: {
            success: { type: 'boolean' }, accepted: { type: 'integer' }, duplicate: { type: 'integer' }, rejected: { type: 'integer' }, dropped_no_consent: { type: 'integer' },
            results: { type: 'array', items: { $ref: '#/components/schemas/EventResult' } },
          },
        },
        Issue: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        Profile: {
          type: 'object', required: ['customerId', 'ids', 'traits', 'activity', 'predictions', 'lastEvents'],
          properties: {
            customerId: { type: 'string' }, ids: { type: 'array', items: { type: 'string' } }, traits: { type: 'object' },
            consent: { type: ['object', 'null'] }, activity: { type: 'object' }, features: { type: ['object', 'null'] },
            segment: { type: ['object', 'null'], description: 'The newest finished run\'s K-means segment, RFM scores and strategy.' },
            predictions: { type: 'array', items: { $ref: '#/components/schemas/Prediction' }, description: 'Stored predictions, newest first.' },
            lastEvents: { type: 'array', items: { type: 'object' } },
          },
        },
        Prediction: {
          type: 'object', required: ['target', 'horizonDays', 'probability', 'model', 'asOf', 'createdAt'],
          properties: {
            target: { enum: ['churn', 'propensity', 'segment'] },
            horizonDays: { type: 'integer', description: 'Days ahead the probability covers; 0 for a segment placement.' },
            probability: { type: 'number', minimum: 0, maximum: 1, description: 'churn/propensity: P(no purchase / a purchase within the horizon after asOf); segment: probability of the placed segment.' },
            model: { type: 'string' }, asOf: { type: 'string', format: 'date-time' }, createdAt: { type: 'string', format: 'date-time' },
            runId: { type: ['string', 'null'] }, cluster: { type: ['integer', 'null'] }, segmentName: { type: ['string', 'null'] },
          },
        },
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message', 'issues'], properties: { code: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array', items: { $ref: '#/components/schemas/Issue' } } } } },
        },
      },
    },
  };
}
