/**
 * Cohorts: customers grouped by the month of their first purchase; for each month since, the share still buying
 * (retention) and the revenue they brought, as triangles.
 */
import { api } from '../api.js';
import { chartCard } from '../charts.js';
import { cohortRetentionChart, cohortRevenueChart } from '../options/cohorts.js';
import { el, fmt, pageHeader, section, stateNotice } from '../ui.js';

export const title = 'Cohorts';

export async function render() {
  const data = await api('cohorts');
  const nodes = [...pageHeader('Cohorts', `Customers by the month of their first purchase${data.asOf ? `, purchases before ${fmt.date(data.asOf)}` : ''}.`)];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (data.cohorts.length === 0) return nodes;
  nodes.push(
    section('Retention', chartCard(cohortRetentionChart(data))),
    section('Revenue', chartCard(cohortRevenueChart(data))),
    el('p', { class: 'hint' }, 'Recent cohorts have fewer months observed, hence the triangle.'),
  );
  return nodes;
}
