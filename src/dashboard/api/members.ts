/** One page of a segment's members, sorted by a whitelisted column, for the segment detail table. */
import { InputError, NotFoundError } from '../../core/errors.js';
import { quoteIdent, type Store } from '../../store/db.js';
import { finiteOr, finiteOrNull } from './numbers.js';
import { keyOnly, loadRunState, pageState, segmentKey, tableExists } from './run-state.js';
import { MEMBER_SORT_KEYS, type MemberRow, type MemberSort, type MemberSortKey, type MembersPayload, type MembersQuery } from './types.js';

export const DEFAULT_MEMBER_LIMIT = 50;
export const MAX_MEMBER_LIMIT = 500;
const DEFAULT_SORT: MemberSort = '-monetary';

/** Where each sort key lives (memberships `m` or features `f`). */
const SORT_COLUMN: Readonly<Record<MemberSortKey, string>> = {
  customer_id: `m.${quoteIdent('customer_id')}`,
  rfm_score: `m.${quoteIdent('rfm_score')}`,
  recency_days: `f.${quoteIdent('recency_days')}`,
  frequency: `f.${quoteIdent('frequency')}`,
  monetary: `f.${quoteIdent('monetary')}`,
};

/**
 * Members of `cluster` in the newest finished run, `limit` from `offset`, sorted by `sort` (ties by customer id;
 * missing values last). Throws InputError for a bad offset, limit or sort, NotFoundError for a cluster the run does
 * not have. Cost: one count and one top-N over the segment's memberships joined to the features.
 */
export async function segmentMembers(store: Store, cluster: number, query: MembersQuery = {}): Promise<MembersPayload> {
  const { offset, limit, sort } = validate(cluster, query);
  const rs = await loadRunState(store);
  const base = pageState(rs);
  const run = rs.latest;
  if (!run) return { ...base, run: null, segment: null, total: 0, offset, limit, sort, members: [] };
  const total = finiteOr(await store.scalar(`SELECT count(*) FROM segment_memberships WHERE run_id = $run AND cluster = $cluster`, { run: run.ref.runId, cluster }));
  const stored = run.segments.some((s) => s.cluster === cluster);
  if (total === 0 && !stored) {
    throw new NotFoundError(`segment ${cluster} is not in run ${run.ref.runId} (clusters: ${run.segments.map((s) => s.cluster).join(', ') || 'none'})`);
  }
  const hasFeatures = await tableExists(store, 'customer_features');
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as MemberSortKey;
  // a feature sort without the feature table falls back to customer id order
  const usable = SORT_COLUMN[key].startsWith('m.') || hasFeatures;
  const orderBy = usable ? `${SORT_COLUMN[key]} ${descending ? 'DESC' : 'ASC'}` : `${SORT_COLUMN.customer_id} ASC`;
  const feature = (name: string) => (hasFeatures ? `f.${quoteIdent(name)}` : 'NULL');
  const read = await store.readColumns(
    `SELECT m.customer_id, m.rfm_score, m.rfm_segment, ${feature('recency_days')} AS recency_days, ${feature('frequency')} AS frequency,
            ${feature('monetary')} AS monetary
       FROM segment_memberships m ${hasFeatures ? 'LEFT JOIN customer_features f USING (customer_id)' : ''}
      WHERE m.run_id = $run AND m.cluster = $cluster
      ORDER BY ${orderBy} NULLS LAST, m.customer_id ASC
      LIMIT $limit OFFSET $offset`,
    { run: run.ref.runId, cluster, limit, offset },
  );
  const col = (name: string) => read.columns[name] ?? [];
  const members: MemberRow[] = [];
  for (let i = 0; i < read.rowCount; i++) {
    members.push({
      customerId: String(col('customer_id')[i]),
      rfmScore: (col('rfm_score')[i] as string | null) ?? null,
      rfmSegment: (col('rfm_segment')[i] as string | null) ?? null,
      recencyDays: finiteOrNull(col('recency_days')[i]),
      frequency: finiteOrNull(col('frequency')[i]),
      monetary: finiteOrNull(col('monetary')[i]),
    });
  }
  return { ...base, run: run.ref, segment: keyOnly(segmentKey(run, cluster)), total, offset, limit, sort, members };
}

function validate(cluster: number, query: MembersQuery): { offset: number; limit: number; sort: MemberSort } {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_MEMBER_LIMIT;
  const sort = query.sort ?? DEFAULT_SORT;
  const issues: { path: string; message: string }[] = [];
  if (!Number.isInteger(cluster) || cluster < 0) issues.push({ path: 'cluster', message: `segment members requires a cluster number ≥ 0 (got ${cluster})` });
  if (!Number.isInteger(offset) || offset < 0) issues.push({ path: 'offset', message: `segment members requires offset to be a whole number ≥ 0 (got ${offset})` });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MEMBER_LIMIT) {
    issues.push({ path: 'limit', message: `segment members requires limit between 1 and ${MAX_MEMBER_LIMIT} (got ${limit})` });
  }
  const key = typeof sort === 'string' && sort.startsWith('-') ? sort.slice(1) : sort;
  if (!(MEMBER_SORT_KEYS as readonly string[]).includes(key)) {
    issues.push({ path: 'sort', message: `segment members requires sort to be one of ${MEMBER_SORT_KEYS.join(', ')}, optionally prefixed with - (got ${JSON.stringify(sort)})` });
  }
  if (issues.length > 0) throw new InputError(issues.map((i) => i.message).join('; '), issues);
  return { offset, limit, sort };
}
