/**
 * Server bench, live K-means part: the time from posting a dormant customer's comeback (a burst of sessions and
 * large purchases through `/v1/batch`) to `GET /v1/profiles/:id` showing their new K-means segment
 * (`segment.liveCluster`), measured on a segmented synthetic shop, idle and under a background ingest load of
 * existing customers' browsing. A probe whose segment does not change within the timeout is counted, not timed.
 */
import { Store } from '../../store/db.js';
import { quantile, runLoad, type LoadResult } from './load.js';

export interface Probe {
  readonly customerId: string;
  readonly cluster: number;
}

export interface LatencyResult {
  /** Accept → profile shows the new segment, ms, sorted. */
  readonly latencies: Float64Array;
  /** Probes whose segment did not change within the timeout. */
  readonly unchanged: number;
}

/** Members of the run's dormant segment (the most lapsed first), and every customer id for background load. */
export async function pickProbes(db: string, count: number): Promise<{ probes: Probe[]; customers: string[] }> {
  const store = await Store.open(db);
  try {
    const model = JSON.parse(String(await store.scalar(`SELECT model::VARCHAR FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC LIMIT 1`))) as { names: { cluster: number; family: string }[] };
    const dormant = model.names.filter((n) => n.family === 'dormant' || n.family === 'churn_risk').map((n) => n.cluster);
    const probes = await store.rows<{ customer_id: string; cluster: number }>(
      `SELECT m.customer_id, m.cluster FROM segment_memberships m JOIN customer_features f USING (customer_id)
       WHERE m.cluster IN (SELECT unnest(from_json($c::JSON, '["INTEGER"]'))) ORDER BY f.recency_days DESC, m.customer_id LIMIT $n`,
      { c: JSON.stringify(dormant), n: count },
    );
    const customers = (await store.rows<{ customer_id: string }>(`SELECT customer_id FROM segment_memberships ORDER BY customer_id`)).map((r) => r.customer_id);
    return { probes: probes.map((p) => ({ customerId: p.customer_id, cluster: p.cluster })), customers };
  } finally {
    store.close();
  }
}

/** A comeback: three sessions of browsing, each with four purchases of 800. */
function comeback(customer: string, tag: string): string {
  const batch: unknown[] = [];
  for (let s = 0; s < 3; s++) {
    const context = { sessionId: `${tag}-s${s}` };
    for (let i = 0; i < 4; i++) batch.push({ type: 'page', userId: customer, messageId: `${tag}-p${s}-${i}`, name: 'Product', properties: { dwell_seconds: 90 }, context });
    batch.push({ type: 'track', event: 'Product Added', userId: customer, messageId: `${tag}-a${s}`, properties: { product_id: 'P00001', price: 400 }, context });
    for (let o = 0; o < 4; o++) batch.push({ type: 'track', event: 'Order Completed', userId: customer, messageId: `${tag}-o${s}-${o}`, properties: { order_id: `${tag}-${s}-${o}`, revenue: 800 }, context });
  }
  return JSON.stringify({ batch });
}

/** Times each probe: post its comeback, poll its profile until `liveCluster` differs from the run's cluster. */
export async function acceptToKmeansProfile(url: string, probes: readonly Probe[], auth: { write: string; admin: string }, timeoutMs = 5_000): Promise<LatencyResult> {
  const times: number[] = [];
  let unchanged = 0;
  const run = `km${process.pid}-${Date.now().toString(36)}`;
  for (const [i, probe] of probes.entries()) {
    const t0 = performance.now();
    const accepted = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: auth.write }, body: comeback(probe.customerId, `${run}-${i}`) });
    await accepted.arrayBuffer();
    for (;;) {
      const profile = await fetch(`${url}/v1/profiles/${encodeURIComponent(probe.customerId)}`, { headers: { Authorization: `Bearer ${auth.admin}` } });
      const body = (await profile.json()) as { segment?: { liveCluster?: { cluster: number } | null } | null };
      const live = body.segment?.liveCluster;
      if (live && live.cluster !== probe.cluster) {
        times.push(performance.now() - t0);
        break;
      }
      if (performance.now() - t0 > timeoutMs) {
        unchanged++;
        break;
      }
    }
  }
  return { latencies: Float64Array.from(times).sort(), unchanged };
}

/** Background ingest while probing: batches of 100 page and product views of existing customers. */
export function browsingLoad(url: string, customers: readonly string[], auth: string, durationMs: number, concurrency: number, stop?: () => boolean, eventsPerSecond?: number): Promise<LoadResult> {
  const tag = `bg${process.pid}-${Date.now().toString(36)}`;
  let sequence = 0;
  const body = (n: number): Buffer => {
    const items: string[] = [];
    for (let i = 0; i < 100; i++) {
      const customer = customers[(n * 100 + i) % customers.length]!;
      const id = `${tag}-${sequence++}`;
      items.push(i % 2 === 0
        ? `{"type":"page","userId":${JSON.stringify(customer)},"messageId":"${id}","name":"Product","properties":{"dwell_seconds":45},"context":{"sessionId":"${tag}-${n}"}}`
        : `{"type":"track","event":"Product Viewed","userId":${JSON.stringify(customer)},"messageId":"${id}","properties":{"product_id":"P00010","price":19.99},"context":{"sessionId":"${tag}-${n}"}}`);
    }
    return Buffer.from(`{"batch":[${items.join(',')}]}`);
  };
  return runLoad({
    url, path: '/v1/batch', concurrency, durationMs, headers: { 'Content-Type': 'application/json', Authorization: auth }, body,
    ...(stop ? { stop } : {}), ...(eventsPerSecond ? { ratePerSecond: eventsPerSecond / 100 } : {}),
  });
}

export function describe(result: LatencyResult): string {
  const { latencies, unchanged } = result;
  return `p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${quantile(latencies, 1).toFixed(1)} ms over ${latencies.length} comebacks${unchanged ? `, ${unchanged} without a change in 5 s` : ''}`;
}
