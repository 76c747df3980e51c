// Funnel: per step, who went on, who dropped and who is still inside the window.
import { rows, formatInteger, formatPercent, formatDecimal, formatDuration } from '../api.js';
import { card, chart, empty, escape, lazyCard, table, valueAxis } from '../charts.js';

export const filters = [
  { name: 'steps', label: 'Steps (comma-separated)', default: 'pricing,signup,purchase', size: 28, title: 'Event names, stage names or conditions such as channel=email&event=signup' },
  { name: 'window', label: 'Window', default: '30d', size: 5, title: 'Longest time from the first step to the last: 7d, 12h, 2w' },
  { name: 'open', label: 'Entry', type: 'select', default: '', options: [['', 'Only at step 1'], ['true', 'At any step (open)']] },
  { name: 'by', label: 'Breakdown', type: 'select', default: '', options: [['', 'None'], ['first_touch', 'First-touch channel'], ['last_touch', 'Last-touch channel'], ['segment:rfm', 'RFM segment'], ['segment:abc_xyz', 'ABC/XYZ segment']] },
  { name: 'group', label: 'Show group', type: 'select', default: '', options: [['', 'No breakdown']] },
];

export async function render(page, { to, steps, window, open, by, group }, context) {
  const all = await rows('funnel', { steps, window, open, by, to });
  const groupField = by ? (by.startsWith('segment:') ? 'segment' : by) : null;
  const groups = groupField ? [...new Set(all.map((r) => r[groupField]))] : [];
  context.setGroups(groups);
  const shown = groupField ? (groups.includes(group) ? group : groups[0]) : null;
  const list = groupField ? all.filter((r) => r[groupField] === shown) : all;
  page.innerHTML = `<h2>Funnel</h2><p class="lead">${escape(steps)} within ${escape(window)}${shown ? ` — ${escape(groupField.replace('_', ' '))} <strong>${escape(shown)}</strong>` : ''}.</p>`;
  const chartCard = card(page, 'People per step', 'Went on: reached the next step. Dropped: the window closed first. Still in window: may still go on. Entered here: started at this step (open funnels).');
  if (list.length === 0 || list.every((r) => !r.entered)) {
    empty(chartCard, 'Nobody reached the first step in this range. Check the step names (they are event names, e.g. signup) or pick a later end date.');
    prospects(page, to);
    return;
  }

  const names = list.map((r) => `${r.step}. ${r.name}`);
  const next = list.map((r, i) => (i + 1 < list.length ? list[i + 1].entered - (list[i + 1].entered_here ?? 0) : r.entered));
  chart(chartCard, 'funnel', `Funnel: people per step for ${steps}`, {
    xAxis: { type: 'category', data: names, name: 'step', axisLabel: { interval: 0 } },
    yAxis: valueAxis('people'),
    series: [
      { name: 'Went on (or converted)', type: 'bar', stack: 'people', data: next },
      { name: 'Dropped', type: 'bar', stack: 'people', data: list.map((r) => r.dropped ?? 0) },
      { name: 'Still in window', type: 'bar', stack: 'people', data: list.map((r) => r.still_in_window ?? 0) },
      { name: 'Entered here', type: 'bar', data: list.map((r) => r.entered_here ?? 0) },
    ],
  });
  table(chartCard, 'Funnel steps', [
    ['Step', (r) => `${r.step}. ${r.name}`],
    ['Entered', (r) => formatInteger(r.entered)],
    ['From previous', (r) => formatPercent(r.conversion_from_previous)],
    ['From start', (r) => formatPercent(r.conversion_from_start)],
    ['Dropped', (r) => formatInteger(r.dropped)],
    ['Still in window', (r) => formatInteger(r.still_in_window)],
    ['Median time', (r) => formatDuration(r.median_seconds_to_convert)],
  ], list);
  prospects(page, to);
}

/**
 * The open prospects most likely to buy within 30 days, with the touch that would raise their chance most (GET
 * /api/v1/predict). Scoring may train a model first, so the table fills in after the funnel is drawn.
 */
function prospects(page, to) {
  lazyCard(page, 'prospects', 'Prospects to call first', 'Open prospects (touches, no purchase yet) by their chance to buy within 30 days, from a model trained on past journeys. The next best touch is the one the model associates with the largest rise: a correlational estimate, not the result of an experiment.', async (box) => {
    const list = await rows('predict', { view: 'open', top: 20, to });
    if (list.length === 0) {
      empty(box, 'No open prospects in this range: everyone with a recent touch has bought already, or nobody was touched in the last 90 days.');
      return;
    }
    table(box, 'Open prospects by chance to buy', [
      ['Person', (r) => r.person],
      ['Chance to buy', (r) => formatPercent(r.probability)],
      ['Stage', (r) => (r.current_stage ?? '–').replaceAll('_', ' ')],
      ['Last touch', (r) => r.last_touch ?? '–'],
      ['Days since', (r) => formatDecimal(r.days_since_last_touch)],
      ['Next best touch', (r) => r.next_best_touch ?? '–'],
      ['Raises chance by', (r) => (r.uplift === null || r.uplift === undefined ? '–' : `+${formatPercent(r.uplift)}`)],
    ], list);
  });
}
