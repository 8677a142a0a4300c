/** Segment-to-segment movement between two runs, for a Sankey diagram. */
import type { Store } from '../../store/db.js';
import { finiteOr, finiteOrNull } from './numbers.js';
import { segmentKey, type LoadedRun } from './run-state.js';
import type { SegmentFlow } from './types.js';

/**
 * Customers per (previous segment, latest segment) pair; a customer in only one run flows from or to null.
 * Cost: one full outer join of the two runs' memberships on customer_id, O(members).
 */
export async function segmentFlows(store: Store, previousRunId: string, latest: LoadedRun): Promise<SegmentFlow[]> {
  const read = await store.readColumns(
    `SELECT p.cluster AS from_cluster, any_value(p.segment_name) AS from_name, c.cluster AS to_cluster, any_value(c.segment_name) AS to_name,
            count(*) AS customers
       FROM (SELECT customer_id, cluster, segment_name FROM segment_memberships WHERE run_id = $prev) p
       FULL OUTER JOIN (SELECT customer_id, cluster, segment_name FROM segment_memberships WHERE run_id = $cur) c USING (customer_id)
      GROUP BY p.cluster, c.cluster
      ORDER BY p.cluster NULLS LAST, c.cluster NULLS LAST`,
    { prev: previousRunId, cur: latest.ref.runId },
  );
  const col = (name: string) => read.columns[name] ?? [];
  const flows: SegmentFlow[] = [];
  for (let i = 0; i < read.rowCount; i++) {
    const fromCluster = finiteOrNull(col('from_cluster')[i]);
    const toCluster = finiteOrNull(col('to_cluster')[i]);
    const fromName = (col('from_name')[i] as string | null) ?? (fromCluster === null ? null : `Segment ${fromCluster}`);
    const toName = toCluster === null ? null : segmentKey(latest, toCluster, col('to_name')[i] as string | null).name;
    flows.push({ fromCluster, fromName, toCluster, toName, customers: finiteOr(col('customers')[i]) });
  }
  return flows;
}
