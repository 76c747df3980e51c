// Attribution: the models side by side per channel, and the return on ad spend per channel.
import { rows, formatDecimal, formatMoney, formatPercent } from '../api.js';
import { card, chart, empty, escape, table, valueAxis } from '../charts.js';

const models = [
  ['first_touch', 'First touch'], ['last_touch', 'Last touch'], ['last_non_direct', 'Last non-direct'], ['linear', 'Linear'],
  ['time_decay', 'Time decay'], ['position_based', 'Position-based'], ['markov', 'Markov'], ['shapley', 'Shapley'],
];

export const filters = [
  { name: 'lookback', label: 'Lookback', default: '', size: 5, placeholder: '30d', title: 'How far before a conversion touchpoints count (default of the project)' },
  { name: 'model', label: 'ROI model', type: 'select', default: 'markov', options: models },
];

export async function render(page, { to, lookback, model }) {
  const [compare, roi] = await Promise.all([
    rows('attribution', { to, lookback, compare: 'true' }),
    rows('roi', { to, lookback, model }),
  ]);
  page.innerHTML = `<h2>Attribution</h2><p class="lead">Which channels the conversions${to ? ` up to ${escape(to)}` : ''} are credited to, by each model, and what the paid ones returned.</p>`;
  const grid = document.createElement('div');
  grid.className = 'grid';
  page.append(grid);
  const compareCard = card(grid, 'Conversions credited per channel', 'One bar per model. Rule-based models (first, last, linear…) share credit by position; Markov and Shapley by each channel\'s measured effect.');
  if (compare.length === 0) {
    empty(compareCard, 'No conversions in this range: attribution needs conversion events (the project\'s conversion rule) with touchpoints before them.');
  } else {
    const present = models.filter(([id]) => `${id}_conversions` in compare[0]);
    chart(compareCard, 'attribution', 'Conversions credited per channel by each attribution model', {
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatDecimal(v) },
      xAxis: { type: 'category', data: compare.map((r) => r.channel), name: 'channel', axisLabel: { rotate: 30 } },
      yAxis: valueAxis('conversions'),
      series: present.map(([id, label]) => ({ name: label, type: 'bar', data: compare.map((r) => r[`${id}_conversions`]) })),
    });
  }

  const roiCard = card(grid, `Return on ad spend (${models.find(([id]) => id === model)?.[1] ?? model})`, 'Cost from imported ad costs; conversions and revenue as credited by the chosen model. CPA = cost per conversion, ROAS = revenue ÷ cost, ROMI = (revenue − cost) ÷ cost.');
  if (roi.length === 0) {
    empty(roiCard, 'No channels with conversions or costs in this range. Import ad costs with pretzel import-costs to see CPA and ROAS.');
  } else {
    chart(roiCard, 'roi', 'Attributed revenue and cost per channel', {
      xAxis: { type: 'category', data: roi.map((r) => (r.campaign ? `${r.channel} / ${r.campaign}` : r.channel)), axisLabel: { rotate: 30 } },
      yAxis: valueAxis('revenue, cost'),
      series: [{ name: 'Revenue', type: 'bar', data: roi.map((r) => r.revenue) }, { name: 'Cost', type: 'bar', data: roi.map((r) => r.cost ?? 0) }],
    });
    table(roiCard, 'Return on ad spend per channel', [
      ['Channel', (r) => (r.campaign ? `${r.channel} / ${r.campaign}` : r.channel)],
      ['Cost', (r) => formatMoney(r.cost)],
      ['Conversions', (r) => formatDecimal(r.conversions)],
      ['Revenue', (r) => formatMoney(r.revenue)],
      ['CPA', (r) => formatMoney(r.cpa)],
      ['ROAS', (r) => (r.roas === null || r.roas === undefined ? '–' : `${formatDecimal(r.roas)}×`)],
      ['ROMI', (r) => formatPercent(r.romi)],
    ], roi);
  }
}
