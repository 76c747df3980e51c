// Paths: a Sankey of the steps people take after (or before) a chosen event, depth by depth, with the
// rarer steps merged into (other) and journeys that end marked (exit) — or (start) when looking back.
import { rows, formatInteger, formatPercent } from '../api.js';
import { card, chart, empty, escape, table } from '../charts.js';

export const filters = [
  { name: 'direction', label: 'Direction', type: 'select', default: 'after', options: [['after', 'Steps after the event'], ['before', 'Steps before the event']] },
  { name: 'event', label: 'Event', default: 'signup', size: 14, title: 'The event the flow starts from (after) or leads to (before), e.g. signup or purchase' },
  { name: 'depth', label: 'Depth', type: 'select', default: '3', options: ['1', '2', '3', '4', '5', '6'].map((d) => [d, `${d} step${d === '1' ? '' : 's'}`]) },
  { name: 'nodes', label: 'Steps per depth', type: 'select', default: '8', options: [['4', '4'], ['6', '6'], ['8', '8'], ['12', '12']], title: 'Steps kept at each depth; the rest are merged into (other)' },
  { name: 'touch', label: 'Step is', type: 'select', default: 'channel', options: [['channel', 'Channel'], ['event', 'Event'], ['campaign', 'Campaign']] },
];

const ends = new Set(['(exit)', '(start)']);

export async function render(page, { to, direction, event, depth, nodes, touch }) {
  const before = direction === 'before';
  const anchor = (event || 'signup').trim();
  const links = await rows('paths', { [before ? 'before' : 'after']: anchor, depth, nodes, touch, to });
  page.innerHTML = `<h2>Paths</h2><p class="lead">Where people go ${before ? 'before' : 'after'} their first <strong>${escape(anchor)}</strong>, step by step (${escape(depth)} deep, by ${escape(touch)}).`
    + ` Rarer steps are merged into <em>(other)</em>; <em>${before ? '(start)' : '(exit)'}</em> means the journey ${before ? 'began there' : 'ended there'}.</p>`;
  const flowCard = card(page, `Flow ${before ? 'before' : 'after'} ${anchor}`, 'Band width: people taking that step. Hover a band or a step for its numbers; steps are numbered by distance from the event.');
  if (links.length === 0) {
    empty(flowCard, `Nobody has the event "${anchor}" up to this date, so there is no flow to draw. Check the event name (an event, e.g. signup or purchase) or pick a later end date.`);
    return;
  }

  // The same step at two depths is two nodes (a Sankey has no cycles): the id carries the depth.
  const id = (name, d) => `${name} @${d}`;
  const label = new Map();
  const sankeyLinks = [];
  for (const r of links) {
    // Once a journey has ended it stays ended: the (exit) → (exit) bands add nothing to read.
    if (r.from === r.to && ends.has(r.from)) continue;
    const [source, target] = before ? [id(r.from, -r.depth), id(r.to, -(r.depth - 1))] : [id(r.from, r.depth - 1), id(r.to, r.depth)];
    label.set(source, r.from);
    label.set(target, r.to);
    sankeyLinks.push({ source, target, value: r.people, share: r.share_of_all });
  }
  const colorOf = (name) => (name === '(exit)' || name === '(start)' ? '#9e9e9e' : name === '(other)' ? '#c9b8a6' : name === anchor ? '#b5651d' : undefined);
  const sankeyNodes = [...label.keys()].map((key) => {
    const color = colorOf(label.get(key));
    return color ? { name: key, itemStyle: { color } } : { name: key };
  });
  chart(flowCard, 'paths', `Sankey of the steps ${before ? 'before' : 'after'} ${anchor}: ${sankeyLinks.length} flows`, {
    legend: { show: false },
    tooltip: {
      trigger: 'item',
      formatter: (p) => (p.dataType === 'edge'
        ? `${escape(label.get(p.data.source))} → ${escape(label.get(p.data.target))}<br>${formatInteger(p.data.value)} people (${formatPercent(p.data.share)} of all)`
        : `${escape(label.get(p.name))}<br>${formatInteger(p.value)} people`),
    },
    series: [{
      type: 'sankey',
      name: 'People',
      left: 8, right: 120, top: 16, bottom: 16,
      nodeGap: 10,
      nodeAlign: 'left',
      emphasis: { focus: 'adjacency' },
      draggable: false,
      data: sankeyNodes,
      links: sankeyLinks,
      label: { formatter: (p) => `${label.get(p.name)} (${formatInteger(p.value)})`, fontSize: 11 },
      lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
    }],
  });

  const top = [...links].filter((r) => !(r.from === r.to && ends.has(r.from))).sort((a, b) => b.people - a.people).slice(0, 15);
  table(flowCard, 'The largest flows', [
    ['Depth', (r) => (before ? `−${r.depth}` : `+${r.depth}`)],
    ['From', (r) => r.from],
    ['To', (r) => r.to],
    ['People', (r) => formatInteger(r.people)],
    ['Share of all', (r) => formatPercent(r.share_of_all)],
  ], top);
}
