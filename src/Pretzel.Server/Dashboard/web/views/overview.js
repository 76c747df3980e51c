// Overview: headline numbers, AARRR per period and the shape of the journeys (the pretzel index).
import { rows, sum, formatInteger, formatMoney, formatPercent } from '../api.js';
import { card, chart, empty, escape, lazyCard, valueAxis } from '../charts.js';

export const filters = [
  { name: 'period', label: 'Period', type: 'select', default: 'month', options: [['month', 'Month'], ['week', 'Week'], ['day', 'Day']] },
];

const shapes = [
  ['linear', 'Straight through'], ['skips', 'Skip a stage'], ['goes_back', 'Go back'], ['loops', 'Loop'],
  ['returns_after_gap', 'Return after a gap'], ['enters_mid_funnel', 'Enter mid-funnel'], ['refused', 'Refuse'],
];

export async function render(page, { to, period }) {
  const [aarrr, conversions] = await Promise.all([
    rows('aarrr', { to, period }),
    rows('attribution', { to, models: 'last_touch' }),
  ]);
  page.innerHTML = `<h2>Overview</h2><p class="lead">Everyone the store has seen${to ? ` up to ${escape(to)}` : ''}: how many people came, converted and paid, and how crooked their journeys are.</p>`;
  const kpis = document.createElement('div');
  kpis.className = 'kpis';
  const tiles = [
    ['people', 'People acquired', formatInteger(sum(aarrr, 'acquired')), 'People whose first acquisition event falls in the period (AARRR rules of the project file)'],
    ['conversions', 'Conversions', formatInteger(sum(conversions, 'conversions')), 'Conversion events (the project\'s conversion rule) within the attribution lookback'],
    ['revenue', 'Conversion revenue', formatMoney(sum(conversions, 'value')), 'Value of those conversions, in the store\'s currency'],
    ['pretzel-index', 'Pretzel index', '…', 'Share of journeys that are not a straight walk through the stages (0% = every journey linear)'],
  ];
  kpis.innerHTML = tiles.map(([id, label, value, title]) => `<div class="kpi" title="${escape(title)}"><div class="label">${escape(label)}</div><div class="value" data-kpi="${id}">${escape(value)}</div></div>`).join('');
  page.append(kpis);

  const grid = document.createElement('div');
  grid.className = 'grid';
  page.append(grid);
  const aarrrCard = card(grid, `AARRR per ${period}`, 'Bars: people acquired, activated, retained and paying in each period (left axis). Line: revenue (right axis).');
  if (aarrr.length === 0) {
    empty(aarrrCard, 'No events in this range yet: load data (pretzel demo, pretzel import, or the collector) or pick a later end date.');
  } else {
    const periods = aarrr.map((r) => r.period);
    const bar = (name, field) => ({ name, type: 'bar', data: aarrr.map((r) => r[field]) });
    chart(aarrrCard, 'aarrr', `AARRR per ${period}: acquired, activated, retained, paying and revenue`, {
      xAxis: { type: 'category', data: periods, name: period },
      yAxis: [valueAxis('people'), valueAxis('revenue', { splitLine: { show: false } })],
      series: [bar('Acquired', 'acquired'), bar('Activated', 'activated'), bar('Retained', 'retained'), bar('Paying', 'paying'),
        { name: 'Revenue', type: 'line', yAxisIndex: 1, data: aarrr.map((r) => r.revenue) }],
    });
  }

  // Journey shapes take the longest (every journey through the stage model): drawn when they come.
  lazyCard(grid, 'shapes', 'Journey shapes', 'Share of journeys showing each behaviour (a journey can show several). The pretzel index is the share that is not straight.', async (shapeCard) => {
    const journeys = await rows('journeys', { to });
    const shape = journeys.find((r) => r.group === 'all') ?? journeys[0];
    page.querySelector('[data-kpi="pretzel-index"]').textContent = shape ? formatPercent(shape.pretzel_index) : '–';
    if (!shape || !shape.journeys) {
      empty(shapeCard, 'No journeys in this range yet: the journey model needs people with at least one stage event.');
      return;
    }
    chart(shapeCard, 'shapes', 'Share of journeys per shape', {
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatPercent(v) },
      legend: { show: false },
      xAxis: { type: 'value', name: '% of journeys', max: 1, axisLabel: { formatter: (v) => formatPercent(v) } },
      yAxis: { type: 'category', data: shapes.map(([, label]) => label), inverse: true },
      series: [{ name: `Journeys (${formatInteger(shape.journeys)})`, type: 'bar', data: shapes.map(([field]) => shape[field]) }],
    });
  });
}
