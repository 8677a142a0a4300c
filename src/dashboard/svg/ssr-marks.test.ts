/**
 * ECharts' real server-side renderer on small options: the SVG's ids are scoped to the chart, data marks get escaped
 * <title>s and are counted, mark lines and legend items are not. Expected counts are the options' own data lengths.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EChartsOption } from 'echarts/types/dist/echarts';
import { renderSvgChart } from './echarts-ssr.js';
import { dataMarkCount, dataMarks } from './ssr-marks.js';

const size = { width: 400, height: 300 };

const bars: EChartsOption = {
  animation: false,
  legend: {},
  xAxis: { type: 'category', data: ['a', 'b', 'c'] },
  yAxis: { type: 'value' },
  series: [
    { type: 'bar', name: 'first', data: [1, 2, 3], markLine: { silent: true, data: [{ xAxis: 'b' }] } },
    { type: 'line', name: 'second', data: [3, 1] },
  ],
};

describe('renderSvgChart', () => {
  test('counts one mark per data item, per series, leaving out (silent) mark lines and the legend', async () => {
    const svg = await renderSvgChart(bars, { id: 'bars', label: 'Bars', describe: (s, i) => `series ${s} item ${i}`, ...size });
    assert.deepEqual([...dataMarks(svg)].map(([series, drawn]) => [series, [...drawn].sort()]), [[0, [0, 1, 2]], [1, [0, 1]]]);
    assert.equal(dataMarkCount(svg), 5);
    // The mark line is series 0's "data index 0" too: only the bars and points get a title, plus the chart's own.
    assert.equal(svg.match(/<title>/g)?.length, 1 + 5);
    assert.match(svg, /ecmeta_silent="true"[^>]*><\/path>/, 'the mark line is drawn, without a title');
  });

  test('names its ids and classes after the chart, so two charts can share a page', async () => {
    // A line with an area is clipped to its grid: ECharts writes a <clipPath id> and refers to it by url(#...).
    const line = (colour: string): EChartsOption => ({ ...bars, series: [{ type: 'line', data: [1, 2, 3], areaStyle: {}, itemStyle: { color: colour } }] });
    const a = await renderSvgChart(line('#123456'), { id: 'chart-a', label: 'A', ...size });
    const b = await renderSvgChart(line('#654321'), { id: 'chart-b', label: 'B', ...size });
    for (const [svg, id] of [[a, 'chart-a'], [b, 'chart-b']] as const) {
      assert.doesNotMatch(svg, /zr\d+-/, 'no ECharts instance ids are left');
      const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(ids.length > 0 && ids.every((x) => x.startsWith(`${id}-`)), `${id}: ${ids.join(', ')}`);
      for (const ref of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(ref[1]!), `${id}: url(#${ref[1]}) points into the same chart`);
      const classes = [...svg.matchAll(/\bclass="([^"]+)"/g)].map((m) => m[1]!).filter((c) => c !== 'echart');
      assert.ok(classes.every((c) => c.startsWith(`${id}-`)), `${id}: ${classes.join(', ')}`);
      assert.match(svg, new RegExp(`^<svg class="echart" data-chart="${id}" role="img" aria-label="[AB]" width="400" height="300" xmlns="http://www.w3.org/2000/svg"`));
      assert.match(svg, /viewBox="0 0 400 300"/);
      assert.doesNotMatch(svg, /cursor:pointer/);
    }
  });

  test('gives each data mark its description as an escaped <title>, and the chart its name', async () => {
    const pie: EChartsOption = { animation: false, series: [{ type: 'pie', data: [{ name: 'Tom & <Jerry>', value: 2 }, { name: 'B', value: 3 }] }] };
    const names = ['Tom & <Jerry>', 'B'];
    const svg = await renderSvgChart(pie, { id: 'pie', label: 'Cats "and" mice', describe: (s, i) => (i === 1 ? null : `${names[i]}\nseries ${s}`), ...size });
    assert.match(svg, /<title>Cats &quot;and&quot; mice<\/title>/);
    const titles = [...svg.matchAll(/ecmeta_ssr_type="chart"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.deepEqual(titles, ['Tom &amp; &lt;Jerry&gt;\nseries 0'], 'the mark described as null has no title');
    assert.doesNotMatch(svg, /<Jerry>/);
  });
});
