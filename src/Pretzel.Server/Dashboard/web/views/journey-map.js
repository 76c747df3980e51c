// Journey map: the stages of a built-in model × the touchpoints people meet in each, with the stage's
// numbers (reached, still there, conversion to the next stage, median time) and the gaps (no touchpoint).
import { rows, formatInteger, formatPercent, formatDecimal } from '../api.js';
import { card, chart, empty, escape, table, valueAxis } from '../charts.js';

export const filters = [
  { name: 'model', label: 'Stage model', type: 'select', default: 'journey', options: [['journey', 'Customer journey'], ['aida', 'AIDA'], ['aidas', 'AIDAS'], ['aarrr', 'AARRR'], ['four_step', 'Four steps']] },
  { name: 'touch', label: 'Touchpoint is', type: 'select', default: 'channel', options: [['channel', 'Channel'], ['event', 'Event']] },
  { name: 'top', label: 'Touchpoints per stage', type: 'select', default: '5', options: [['3', '3'], ['5', '5'], ['8', '8'], ['12', '12']] },
];

const stageName = (s) => s.replaceAll('_', ' ');

/** "email 120 · organic_search 80" → [['email', 120], ['organic_search', 80]]. */
export function parseTouchpoints(text) {
  if (!text) return [];
  return text.split(' · ').map((part) => {
    const match = /^(.*) (\d+)$/.exec(part.trim());
    return match ? [match[1], Number(match[2])] : [part.trim(), 0];
  }).filter(([name]) => name);
}

export async function render(page, { to, model, touch, top }) {
  const stages = await rows('journey-map', { model, touch, top, to });
  page.innerHTML = `<h2>Journey map</h2><p class="lead">The stages of the <strong>${escape(model)}</strong> model, in order, with how many people reached each, where they met you (by ${escape(touch)}) and how many went on.`
    + ' A <strong>gap</strong> is a stage people pass without any touchpoint: nothing of yours reaches them there.</p>';
  const gaps = stages.filter((s) => s.gap);
  if (gaps.length) {
    const note = document.createElement('p');
    note.className = 'gap-note';
    note.setAttribute('role', 'note');
    note.textContent = `Gaps: ${gaps.map((s) => stageName(s.stage)).join(', ')} — no touchpoint in ${gaps.length === 1 ? 'this stage' : 'these stages'}.`;
    page.append(note);
  }
  const mapCard = card(page, 'Stages × touchpoints', `People who met each touchpoint in each stage (the stage's top ${top}). Empty rows marked "gap" have no touchpoint at all.`);
  if (stages.length === 0 || stages.every((s) => !s.reached)) {
    empty(mapCard, 'Nobody reached any stage of this model up to this date. Pick a later end date or another model (its stages are defined by event names).');
    return;
  }

  const parsed = stages.map((s) => parseTouchpoints(s.touchpoints));
  // Touchpoints in order of their total people across stages.
  const totals = new Map();
  for (const list of parsed) for (const [name, people] of list) totals.set(name, (totals.get(name) ?? 0) + people);
  const touchpoints = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const labels = stages.map((s) => `${s.index}. ${stageName(s.stage)}${s.gap ? ' (gap)' : ''}`);
  const data = [];
  parsed.forEach((list, y) => { for (const [name, people] of list) data.push([touchpoints.indexOf(name), y, people]); });
  const max = Math.max(1, ...data.map((d) => d[2]));
  if (data.length === 0) {
    empty(mapCard, 'People reached the stages, but none of them met a touchpoint: every stage is a gap.');
  } else {
    chart(mapCard, 'journey-map', `Journey map: ${stages.length} stages by ${touchpoints.length} touchpoints${gaps.length ? `, ${gaps.length} gaps` : ''}`, {
      legend: { show: false },
      grid: { left: 16, right: 24, top: 24, bottom: 64, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const s = stages[p.value[1]];
          return `<strong>${escape(stageName(s.stage))}</strong> × ${escape(touchpoints[p.value[0]])}<br>${formatInteger(p.value[2])} people met it in this stage<br>${formatInteger(s.reached)} reached the stage`;
        },
      },
      xAxis: { type: 'category', data: touchpoints, name: touch, nameLocation: 'middle', nameGap: 40, axisLabel: { interval: 0, rotate: touchpoints.length > 6 ? 30 : 0 }, splitArea: { show: true } },
      yAxis: {
        type: 'category', data: labels, inverse: true, splitArea: { show: true },
        axisLabel: { formatter: (v) => (v.endsWith('(gap)') ? `{gap|${v}}` : v), rich: { gap: { color: '#a40000', fontWeight: 'bold' } } },
      },
      visualMap: { min: 0, max, text: [formatInteger(max), '0'], calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, formatter: (v) => formatInteger(v), inRange: { color: ['#fff7ec', '#fdbb84', '#b5651d'] } },
      series: [{ name: 'People', type: 'heatmap', data, label: { show: true, fontSize: 10, formatter: (p) => formatInteger(p.value[2]) }, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
    });
  }

  const grid = document.createElement('div');
  grid.className = 'grid';
  page.append(grid);
  const stageCard = card(grid, 'People per stage', 'Reached: ever got to the stage. Still there: it is their latest stage. Hover for the conversion to the next stage.');
  chart(stageCard, 'stages', `People per stage of the ${model} model`, {
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        const s = stages[items[0].dataIndex];
        return `<strong>${escape(stageName(s.stage))}</strong><br>Reached ${formatInteger(s.reached)}<br>Still there ${formatInteger(s.current)}<br>On to the next stage ${formatPercent(s.conversion_to_next)}<br>Median time in stage ${formatDecimal(s.median_days_in_stage)} d${s.gap ? '<br><strong>Gap: no touchpoint</strong>' : ''}`;
      },
    },
    xAxis: { type: 'category', data: stages.map((s) => stageName(s.stage)), axisLabel: { interval: 0, rotate: stages.length > 5 ? 25 : 0 } },
    yAxis: valueAxis('people'),
    series: [
      { name: 'Reached', type: 'bar', data: stages.map((s) => ({ value: s.reached, itemStyle: s.gap ? { color: '#c0392b' } : undefined })) },
      { name: 'Still there', type: 'bar', data: stages.map((s) => s.current) },
    ],
  });
  const tableCard = card(grid, 'The map in numbers', 'One row per stage; touchpoints with the people who met them there.');
  table(tableCard, 'Journey map stages', [
    ['Stage', (r) => `${r.index}. ${stageName(r.stage)}`],
    ['Reached', (r) => formatInteger(r.reached)],
    ['Still there', (r) => formatInteger(r.current)],
    ['On to next', (r) => formatPercent(r.conversion_to_next)],
    ['Median days', (r) => formatDecimal(r.median_days_in_stage)],
    ['Touchpoints', (r) => (r.gap ? 'gap — none' : parseTouchpoints(r.touchpoints).map(([n, p]) => `${n} ${formatInteger(p)}`).join(' · '))],
  ], stages);
}
