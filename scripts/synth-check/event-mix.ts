/** Diagnostic: events per customer by persona and event type.  npx tsx scripts/synth-check/event-mix.ts DIR */
import { DuckDBInstance } from '@duckdb/node-api';
const d = process.argv[2];
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
const r = await c.runAndReadAll(`WITH e AS (SELECT coalesce(userId, '?') u, coalesce(event, type) ev FROM read_parquet('${d}/events/*.parquet'))
 SELECT t.persona, ev, round(count(*) / any_value(n), 1) per_cust FROM e JOIN (SELECT *, count(*) OVER (PARTITION BY persona) n FROM read_csv('${d}/truth.csv')) t ON t.customer_id = e.u GROUP BY ALL ORDER BY 1, 3 DESC`);
const rows = r.getRowObjectsJS() as {persona:string, ev:string, per_cust:number}[];
const by: Record<string,string[]> = {};
for (const x of rows) (by[x.persona] ??= []).push(`${x.ev}=${x.per_cust}`);
for (const [p, v] of Object.entries(by)) console.log(p, v.join(' '));
