// Retention: cohorts × periods as a heatmap, and the loyalty pyramid.
import { rows, formatInteger, formatMoney, formatPercent } from '../api.js';
import { card, chart, empty, escape, valueAxis } from '../charts.js';

export const filters = [
  { name: 'cohort', label: 'Cohorts by', type: 'select', default: 'month', options: [['month', 'Month'], ['week', 'Week']] },
  { name: 'by', label: 'Breakdown', type: 'select', default: '', options: [['', 'None'], ['first_touch_channel', 'First-touch channel'], ['segment:rfm', 'RFM segment'], ['segment:abc_xyz', 'ABC/XYZ segment']] },
  { name: 'group', label: 'Show group', type: 'select', default: '', options: [['', 'No breakdown']] },
];

const levels = [['prospect', 'Prospect'], ['first_time_customer', 'First-time customer'], ['repeat_customer', 'Repeat customer'], ['loyal', 'Loyal'], ['advocate', 'Advocate']];

export async function render(page, { to, cohort, by, group }, context) {
  const [all, loyalty] = await Promise.all([rows('retention', { to, cohort, by }), rows('loyalty', { to })]);
  const groupField = by ? (by.startsWith('segment:') ? 'segment' : by) : null;
  const groups = groupField ? [...new Set(all.map((r) => r[groupField]))] : [];
  context.setGroups(groups);
  const shown = groupField ? (groups.includes(group) ? group : groups[0]) : null;
  const list = groupField ? all.filter((r) => r[groupField] === shown) : all;
  page.innerHTML = `<h2>Retention</h2><p class="lead">Do people come back? Each row is a cohort of people who started in the same ${escape(cohort)}${shown ? ` (${escape(shown)})` : ''}; each column, how many ${escape(cohort)}s later.</p>`;
  const grid = document.createElement('div');
  grid.className = 'grid';
  page.append(grid);

  const heatCard = card(grid, 'Retention by cohort', `Share of each cohort active again n ${cohort}s after its start (period 0 = 100%). Hover for people and revenue.`);
  if (list.length === 0) {
    empty(heatCard, 'No cohorts in this range: retention needs people with a start event before the end date.');
  } else {
    const cohorts = [...new Set(list.map((r) => r.cohort))];
    const periods = [...new Set(list.map((r) => r.period))].sort((a, b) => a - b);
    const byKey = new Map(list.map((r) => [`${r.cohort}|${r.period}`, r]));
    chart(heatCard, 'retention', `Retention heatmap: ${cohorts.length} cohorts by ${cohort}`, {
      grid: { left: 16, right: 24, top: 24, bottom: 56, containLabel: true },
      legend: { show: false },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const row = byKey.get(`${cohorts[p.value[1]]}|${periods[p.value[0]]}`);
          return row ? `Cohort ${escape(row.cohort)} (${formatInteger(row.cohort_size)} people)<br>${cohort} ${row.period}: ${formatInteger(row.active)} active, ${formatPercent(row.retention)}<br>Revenue ${formatMoney(row.revenue)}` : '';
        },
      },
      xAxis: { type: 'category', data: periods, name: `${cohort}s later`, nameLocation: 'middle', nameGap: 28, splitArea: { show: true } },
      yAxis: { type: 'category', data: cohorts, name: 'cohort', inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, formatter: (v) => formatPercent(v), inRange: { color: ['#fff7ec', '#fdbb84', '#b5651d'] } },
      series: [{
        name: 'Retention', type: 'heatmap',
        data: list.map((r) => [periods.indexOf(r.period), cohorts.indexOf(r.cohort), r.retention]),
        label: { show: cohorts.length <= 14 && periods.length <= 14, formatter: (p) => formatPercent(p.value[2]).replace('.0%', '%'), fontSize: 10 },
      }],
    });
  }

  const pyramidCard = card(grid, 'Loyalty pyramid', `Where everyone stands${to ? ` on ${to}` : ' today'}: from prospects (no purchase yet) up to advocates (loyal customers who refer others). Hover for revenue.`);
  const known = levels.filter(([id]) => loyalty.some((r) => r.level === id));
  if (loyalty.length === 0 || loyalty.every((r) => !r.people)) {
    empty(pyramidCard, 'Nobody in the store yet at this date.');
  } else {
    const byLevel = new Map(loyalty.map((r) => [r.level, r]));
    chart(pyramidCard, 'loyalty', 'Loyalty pyramid: people per level', {
      legend: { show: false },
      tooltip: {
        trigger: 'axis',
        formatter: (items) => {
          const row = byLevel.get(known[items[0].dataIndex][0]);
          return `${escape(known[items[0].dataIndex][1])}: ${formatInteger(row.people)} people (${formatPercent(row.share)})<br>Revenue ${formatMoney(row.revenue)}`;
        },
      },
      xAxis: { ...valueAxis('people'), type: 'log', min: 1 },
      yAxis: { type: 'category', data: known.map(([, label]) => label) },
      series: [{ name: 'People', type: 'bar', data: known.map(([id]) => Math.max(byLevel.get(id).people, 0) || null), label: { show: true, position: 'right', formatter: (p) => formatInteger(p.value) } }],
    });
  }
}
