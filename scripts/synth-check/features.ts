/**
 * Self-check, step 1: computes the twelve clustering features per customer from a generated shop's Parquet
 * output with DuckDB SQL, and writes them as CSV for `check.py`.
 *   npx tsx scripts/synth-check/features.ts DIR [OUT.csv]
 * Identity: an anonymousId is resolved to the userId it appears with (identify, any event with both) or to
 * the alias that names it as previousId. For a customer without orders, recency is the days since first seen
 * and the average order value and discount share are 0. Rates with a zero denominator are 0.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: features.ts DIR [OUT.csv]');
const outCsv = process.argv[3] ?? join(dir, 'features.csv');
const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' });
const db = await instance.connect();
const began = Date.now();
await db.run(`
CREATE TABLE ev AS SELECT type, event, userId, anonymousId, previousId, "timestamp" AS ts, properties,
  json_extract_string(context, '$.sessionId') AS sid FROM read_parquet(${q(join(dir, 'events', '*.parquet'))});
CREATE TABLE idmap AS SELECT anon, min(uid) AS uid FROM (
  SELECT anonymousId AS anon, userId AS uid FROM ev WHERE anonymousId IS NOT NULL AND userId IS NOT NULL
  UNION SELECT previousId, userId FROM ev WHERE type = 'alias') GROUP BY anon;
CREATE TABLE e AS SELECT coalesce(ev.userId, m.uid) AS cid, ev.* EXCLUDE (userId, anonymousId, previousId)
  FROM ev LEFT JOIN idmap m ON m.anon = ev.anonymousId;
CREATE TABLE as_of AS SELECT date_trunc('day', max(ts)) + INTERVAL 1 DAY AS t FROM ev;
CREATE TABLE truth AS SELECT * FROM read_csv(${q(join(dir, 'truth.csv'))}, header = true);
`);
const days = (x: string): string => `date_diff('second', ${x}, (SELECT t FROM as_of)) / 86400.0`;
await db.run(`
COPY (
WITH o AS (
  SELECT cid, ts, CAST(properties->>'revenue' AS DOUBLE) AS rev, CAST(properties->>'discount' AS DOUBLE) AS disc
  FROM e WHERE event = 'Order Completed'),
ord AS (
  SELECT cid, max(ts) AS last_ts, count(*) AS n, sum(rev) AS monetary, avg(CASE WHEN disc > 0 THEN 1 ELSE 0 END) AS dshare,
    count(*) FILTER (WHERE ts >= (SELECT t FROM as_of) - INTERVAL 90 DAY) AS last90,
    count(*) FILTER (WHERE ts < (SELECT t FROM as_of) - INTERVAL 90 DAY AND ts >= (SELECT t FROM as_of) - INTERVAL 180 DAY) AS prev90
  FROM o GROUP BY cid),
beh AS (
  SELECT cid, min(ts) FILTER (WHERE type <> 'track' OR event NOT LIKE 'Email %') AS first_ts,
    count(*) FILTER (WHERE type = 'page') AS pages,
    avg(CAST(properties->>'dwell_seconds' AS DOUBLE)) FILTER (WHERE type = 'page') AS dwell,
    count(*) FILTER (WHERE event = 'Product Viewed') AS views, count(*) FILTER (WHERE event = 'Product Added') AS adds,
    count(*) FILTER (WHERE event = 'Email Delivered') AS delivered, count(*) FILTER (WHERE event = 'Email Opened') AS opened
  FROM e GROUP BY cid),
sess AS (
  SELECT cid, count(*) FILTER (WHERE added) AS with_add, count(*) FILTER (WHERE added AND NOT ordered) AS abandoned
  FROM (SELECT cid, sid, bool_or(event = 'Product Added') AS added, bool_or(event = 'Order Completed') AS ordered
        FROM e WHERE sid IS NOT NULL GROUP BY cid, sid) GROUP BY cid)
SELECT t.customer_id,
  ${days('coalesce(ord.last_ts, beh.first_ts)')} AS recency_days,
  ln(1 + coalesce(ord.n, 0)) AS log_frequency,
  ln(1 + coalesce(ord.monetary, 0)) AS log_monetary,
  ln(1 + coalesce(ord.monetary / ord.n, 0)) AS log_avg_order_value,
  ${days('beh.first_ts')} AS tenure_days,
  coalesce((ord.last90 - ord.prev90) / greatest(1, ord.last90 + ord.prev90), 0) AS frequency_trend,
  ln(1 + beh.pages) AS log_page_views,
  ln(1 + coalesce(beh.dwell, 0)) AS log_avg_dwell_seconds,
  CASE WHEN beh.views > 0 THEN beh.adds / beh.views ELSE 0 END AS add_to_cart_rate,
  CASE WHEN sess.with_add > 0 THEN sess.abandoned / sess.with_add ELSE 0 END AS cart_abandonment_rate,
  CASE WHEN beh.delivered > 0 THEN beh.opened / beh.delivered ELSE 0 END AS email_open_rate,
  coalesce(ord.dshare, 0) AS discount_share,
  t.persona
FROM truth t LEFT JOIN beh ON beh.cid = t.customer_id LEFT JOIN ord ON ord.cid = t.customer_id
  LEFT JOIN sess ON sess.cid = t.customer_id
ORDER BY t.customer_id) TO ${q(outCsv)} (HEADER);
`);
const check = await db.runAndReadAll(`SELECT count(*) FILTER (WHERE cid IS NULL) AS unresolved, count(*) AS events FROM e`);
console.log(`features → ${outCsv} (${Date.now() - began} ms)`, check.getRowObjectsJS()[0]);
db.closeSync();
instance.closeSync();
