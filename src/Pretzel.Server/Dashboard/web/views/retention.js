// Retention: cohorts × periods as a heatmap, the loyalty pyramid, who moved between its levels, and the
// distribution of customers' expected lifetime value.
import { rows, ApiError, formatInteger, formatMoney, formatPercent } from '../api.js';
import { card, chart, empty, escape, lazyCard, valueAxis } from '../charts.js';

export const filters = [
  { name: 'cohort', label: 'Cohorts by', type: 'select', default: 'month', options: [['month', 'Month'], ['week', 'Week']] },
  { name: 'by', label: 'Breakdown', type: 'select', default: '', options: [['', 'None'], ['first_touch_channel', 'First-touch channel'], ['segment:rfm', 'RFM segment'], ['segment:abc_xyz', 'ABC/XYZ segment']] },
  { name: 'group', label: 'Show group', type: 'select', default: '', options: [['', 'No breakdown']] },
];

const levels = [['prospect', 'Prospect'], ['first_time_customer', 'First-time customer'], ['repeat_customer', 'Repeat customer'], ['loyal', 'Loyal'], ['advocate', 'Advocate']];
const exits = [['refused', 'Refused'], ['churned', 'Churned']];
const levelLabel = new Map([['(new)', 'New'], ...levels, ...exits]);

/** Value bands of the lifetime-value histogram (currency units): [low, high). */
const bands = [0, 10, 50, 100, 500, 1000, 5000, 10000, 50000, 100000, Infinity];

/** The day `days` before an ISO date (yyyy-mm-dd). */
function daysBefore(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** A report that may be refused for this data (e.g. too few buyers to fit): its rows, or the refusal's message. */
async function rowsOrReason(path, params, options) {
  try {
    return { list: await rows(path, params, options) };
  } catch (error) {
    if (error instanceof ApiError) return { list: [], reason: error.message };
    throw error;
  }
}

export async function render(page, { from, to, cohort, by, group }, context) {
  // Movements start at the From date, or 90 days before the end (the last event when there is no end date).
  const end = to || (await rows('sql', { q: 'select max(timestamp) as last from events' }, { scoped: false }))[0]?.last?.slice(0, 10);
  const start = from || (end ? daysBefore(end, 90) : '');
  const [all, loyalty, moves] = await Promise.all([
    rows('retention', { to, cohort, by }),
    rows('loyalty', { to }),
    // Levels at the start need the history before it: this one report ignores the From filter's cut.
    start ? rowsOrReason('loyalty', { from: start, to: end, since: '' }) : Promise.resolve({ list: [], reason: 'No events yet.' }),
  ]);
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

  const moveCard = card(grid, 'Loyalty movement', `Who moved from which level on ${start || '–'} to which level on ${end || 'the last event'}. Rows: where people were; columns: where they are now. "New" are people first seen in between.`);
  if (moves.list.length === 0) {
    empty(moveCard, moves.reason ?? 'Nobody known in this range.');
  } else {
    const order = ['(new)', ...levels.map(([id]) => id), ...exits.map(([id]) => id)];
    const fromLevels = order.filter((id) => moves.list.some((r) => r.from_level === id));
    const toLevels = order.filter((id) => id !== '(new)' && moves.list.some((r) => r.to_level === id));
    const max = Math.max(...moves.list.map((r) => r.people));
    chart(moveCard, 'movement', `Loyalty movement between ${start} and ${end}`, {
      grid: { left: 16, right: 24, top: 24, bottom: 56, containLabel: true },
      legend: { show: false },
      tooltip: {
        trigger: 'item',
        formatter: (p) => `${escape(levelLabel.get(fromLevels[p.value[1]]))} → ${escape(levelLabel.get(toLevels[p.value[0]]))}: ${formatInteger(p.value[2])} people`,
      },
      xAxis: { type: 'category', data: toLevels.map((id) => levelLabel.get(id)), name: `level on ${end}`, nameLocation: 'middle', nameGap: 40, axisLabel: { interval: 0, rotate: 20 }, splitArea: { show: true } },
      yAxis: { type: 'category', data: fromLevels.map((id) => levelLabel.get(id)), name: `level on ${start}`, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, show: false, inRange: { color: ['#f3f6fb', '#7fa7e0', '#1a4f9c'] } },
      series: [{
        name: 'People', type: 'heatmap',
        data: moves.list.map((r) => [toLevels.indexOf(r.to_level), fromLevels.indexOf(r.from_level), r.people]),
        label: { show: true, fontSize: 10, formatter: (p) => formatInteger(p.value[2]) },
      }],
    });
  }

  // The lifetime-value fit takes a moment: the chart fills in after the rest of the view is drawn.
  lazyCard(grid, 'clv', 'Customer lifetime value', `Customers by expected value over the next year (BG/NBD × Gamma-Gamma, fitted on purchases${to ? ` up to ${to}` : ''}). Hover for the value each band holds.`, async (clvCard) => {
    const clv = await rowsOrReason('clv', { calibration_end: to });
    if (clv.list.length === 0) {
      empty(clvCard, clv.reason ?? 'No customers with purchases in this range.');
      return;
    }
    const counts = bands.slice(0, -1).map((low, i) => {
      const inBand = clv.list.filter((r) => r.expected_value >= low && r.expected_value < bands[i + 1]);
      return { low, high: bands[i + 1], people: inBand.length, value: inBand.reduce((t, r) => t + r.expected_value, 0) };
    });
    const first = counts.findIndex((b) => b.people > 0);
    const last = counts.length - 1 - [...counts].reverse().findIndex((b) => b.people > 0);
    const shown = counts.slice(first, last + 1);
    const name = (b) => (b.high === Infinity ? `${formatMoney(b.low)}+` : `${formatMoney(b.low)}–${formatMoney(b.high)}`);
    const total = clv.list.reduce((t, r) => t + r.expected_value, 0);
    chart(clvCard, 'clv', `Lifetime value distribution of ${formatInteger(clv.list.length)} customers`, {
      legend: { show: false },
      tooltip: {
        trigger: 'axis',
        formatter: (items) => {
          const b = shown[items[0].dataIndex];
          return `Expected value ${name(b)}<br>${formatInteger(b.people)} customers<br>${formatMoney(b.value)} in all (${formatPercent(total ? b.value / total : 0)} of ${formatMoney(total)})`;
        },
      },
      xAxis: { type: 'category', data: shown.map(name), name: 'expected value (currency units)', nameLocation: 'middle', nameGap: 40, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: valueAxis('customers'),
      series: [{ name: 'Customers', type: 'bar', data: shown.map((b) => b.people), label: { show: true, position: 'top', formatter: (p) => formatInteger(p.value) } }],
    });
  });
}
