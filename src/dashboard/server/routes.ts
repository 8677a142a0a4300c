/**
 * The dashboard's JSON routes, as data: a GET path pattern with `:name` parameters, and a handler that validates the
 * request's parameters (the edge) and calls one function of the data layer (`../api`). No business logic here.
 * One API: `segmenta dashboard` and `segmenta serve` both serve exactly these paths (under `/v1/dashboard/`, beside
 * the service's `/v1/segments` and `/v1/profiles`), so every number on a page can be fetched from either.
 */
import { InputError, describeValue } from '../../core/errors.js';
import type { Store } from '../../store/db.js';
import * as api from '../api/index.js';
import type { MemberSort, MembersQuery } from '../api/index.js';

export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

export interface ApiRoute {
  readonly path: string;
  readonly handler: (store: Store, request: ApiRequest) => Promise<unknown>;
}

/** Longest accepted customer search text (ids are short; anything longer is a mistake or an attack). */
export const MAX_QUERY_LENGTH = 200;

/** Where the routes live in both servers. */
export const DASHBOARD_API_PREFIX = '/v1/dashboard';

export const API_ROUTES: readonly ApiRoute[] = [
  { path: `${DASHBOARD_API_PREFIX}/overview`, handler: (store) => api.overview(store) },
  { path: `${DASHBOARD_API_PREFIX}/segments`, handler: (store) => api.segments(store) },
  { path: `${DASHBOARD_API_PREFIX}/segments/:cluster/members`, handler: (store, r) => api.segmentMembers(store, clusterParam(r.params.cluster), membersQuery(r.query)) },
  { path: `${DASHBOARD_API_PREFIX}/model`, handler: (store) => api.modelChoice(store) },
  { path: `${DASHBOARD_API_PREFIX}/customers`, handler: (store, r) => api.customerSearch(store, searchText(r.query), intParam(r.query, 'limit', 20, 1, 100)) },
  { path: `${DASHBOARD_API_PREFIX}/customers/:id`, handler: (store, r) => api.customerProfile(store, r.params.id ?? '') },
  { path: `${DASHBOARD_API_PREFIX}/cohorts`, handler: (store) => api.cohorts(store) },
  { path: `${DASHBOARD_API_PREFIX}/journeys`, handler: (store) => api.journeys(store) },
  { path: `${DASHBOARD_API_PREFIX}/quality`, handler: (store) => api.quality(store) },
];

function clusterParam(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InputError(`segment cluster must be a whole number ≥ 0 (got ${describeValue(value ?? '')})`, [{ path: 'cluster', message: 'not a whole number' }]);
  }
  return n;
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`query parameter ${name} must be a whole number between ${min} and ${max} (got ${describeValue(raw)})`, [{ path: name, message: 'out of range' }]);
  }
  return n;
}

function membersQuery(query: URLSearchParams): MembersQuery {
  const sort = query.get('sort');
  if (sort !== null && sort !== '' && !api.MEMBER_SORT_KEYS.includes(sort.replace(/^-/, '') as (typeof api.MEMBER_SORT_KEYS)[number])) {
    throw new InputError(`query parameter sort must be one of ${api.MEMBER_SORT_KEYS.join(', ')}, optionally prefixed with - (got ${describeValue(sort)})`, [{ path: 'sort', message: 'unknown sort key' }]);
  }
  return {
    offset: intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: intParam(query, 'limit', 50, 1, 500),
    ...(sort ? { sort: sort as MemberSort } : {}),
  };
}

function searchText(query: URLSearchParams): string {
  const q = (query.get('q') ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) throw new InputError(`query parameter q must be at most ${MAX_QUERY_LENGTH} characters (got ${q.length})`, [{ path: 'q', message: 'too long' }]);
  return q;
}
