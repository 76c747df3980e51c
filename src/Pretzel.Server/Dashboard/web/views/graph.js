// Journey graph: the touchpoint network as a Markov chain — edge width by transition probability, black
// holes (where prospects are lost) marked, and on demand the brightest routes to a conversion highlighted.
import { rows, formatInteger, formatPercent, formatDecimal } from '../api.js';
import { card, chart, empty, escape, table } from '../charts.js';

export const filters = [
  { name: 'touch', label: 'Touchpoint is', type: 'select', default: 'channel', options: [['channel', 'Channel'], ['event', 'Event'], ['campaign', 'Campaign']] },
  { name: 'min', label: 'Hide edges below', type: 'select', default: '0.05', options: [['0', 'Show all edges'], ['0.02', '2% probability'], ['0.05', '5% probability'], ['0.1', '10% probability'], ['0.2', '20% probability']], title: 'Transitions less likely than this are left out of the drawing (not of the numbers)' },
  { name: 'bright', label: 'Bright paths', type: 'select', default: '', options: [['', 'Not highlighted'], ['3', 'Highlight top 3'], ['5', 'Highlight top 5'], ['10', 'Highlight top 10']], title: 'The most probable routes from (start) to (conversion)' },
  { name: 'holes', label: 'Black holes', type: 'select', default: '3', options: [['0', 'Not marked'], ['3', 'Mark top 3'], ['5', 'Mark top 5'], ['10', 'Mark top 10']] },
];

const START = '(start)';
const CONVERSION = '(conversion)';
const LOST = '(null)';

export async function render(page, { to, touch, min, bright, holes }) {
  const brightTop = Number(bright) || 0;
  const holeTop = Number(holes) || 0;
  const [nodes, transitions, blackHoles, brightPaths] = await Promise.all([
    rows('graph', { view: 'nodes', touch, to }),
    rows('graph', { view: 'transitions', touch, to }),
    holeTop ? rows('graph', { view: 'black_holes', touch, to, top: holeTop }) : Promise.resolve([]),
    brightTop ? rows('graph', { view: 'bright_paths', touch, to, top: brightTop }) : Promise.resolve([]),
  ]);
  const threshold = Number(min) || 0;
  page.innerHTML = `<h2>Journey graph</h2><p class="lead">Every touchpoint (by ${escape(touch)}) and how likely people move from one to the next, as a Markov chain from <em>(start)</em> to <em>(conversion)</em> or <em>(lost)</em>.`
    + ` Edge width: transition probability. <strong>Black holes</strong> (dark, ringed) lose prospects far above average${brightTop ? '; the <strong>bright paths</strong> are drawn in blue' : ''}.</p>`;
  const graphCard = card(page, 'Touchpoint graph', `Node size: visits. ${threshold ? `Edges under ${formatPercent(threshold)} probability are hidden. ` : ''}Hover a node or an edge for its numbers; click a node to focus its neighbours.`);
  if (nodes.length <= 1 || transitions.length === 0) {
    empty(graphCard, 'No journeys with touchpoints up to this date, so there is no graph to draw. Pick a later end date, or check that events carry channels.');
    return;
  }

  const byNode = new Map(nodes.map((n) => [n.node, n]));
  const holeSet = new Map(blackHoles.map((h) => [h.node, h]));
  const brightEdges = new Map();
  for (const path of brightPaths) {
    const steps = [START, ...(path.route ? path.route.split(' > ') : []), CONVERSION];
    for (let i = 0; i + 1 < steps.length; i++) {
      const key = `${steps[i]}|${steps[i + 1]}`;
      if (!brightEdges.has(key)) brightEdges.set(key, path.rank);
    }
  }
  const shown = transitions.filter((t) => t.probability >= threshold || brightEdges.has(`${t.from}|${t.to}`));
  const names = [...new Set([START, ...nodes.map((n) => n.node), ...shown.flatMap((t) => [t.from, t.to])])];
  const maxVisits = Math.max(1, ...nodes.map((n) => n.visits || 0));
  const display = (name) => (name === LOST ? '(lost)' : name);
  const graphNodes = names.map((name) => {
    const n = byNode.get(name);
    const hole = holeSet.get(name);
    const size = name === CONVERSION || name === LOST ? 26 : 12 + 34 * Math.sqrt((n?.visits ?? 0) / maxVisits);
    const color = name === CONVERSION ? '#2e8b57' : name === LOST ? '#9e9e9e' : name === START ? '#b5651d' : hole ? '#111' : '#6b8fc7';
    return {
      name,
      symbolSize: Math.round(size),
      itemStyle: hole ? { color, borderColor: '#c0392b', borderWidth: 4 } : { color },
      label: { show: true, formatter: hole ? `● ${display(name)}` : display(name), fontWeight: hole ? 'bold' : 'normal' },
      value: n?.visits ?? 0,
    };
  });
  const graphLinks = shown.map((t) => {
    const lit = brightEdges.has(`${t.from}|${t.to}`);
    return {
      source: t.from,
      target: t.to,
      value: t.probability,
      transitions: t.transitions,
      lineStyle: { width: 0.5 + 9 * t.probability, color: lit ? '#1a66d6' : '#b9ab9c', opacity: lit ? 0.95 : 0.5, curveness: 0.2 },
      ...(lit ? { z: 10 } : {}),
    };
  });
  chart(graphCard, 'graph', `Touchpoint graph: ${names.length} nodes and ${graphLinks.length} transitions${holeSet.size ? `; black holes ${[...holeSet.keys()].join(', ')}` : ''}`, {
    legend: { show: false },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        if (p.dataType === 'edge') {
          return `${escape(display(p.data.source))} → ${escape(display(p.data.target))}<br>${formatPercent(p.data.value)} of moves out of ${escape(display(p.data.source))}<br>${formatInteger(p.data.transitions)} transitions`;
        }
        const n = byNode.get(p.name);
        const hole = holeSet.get(p.name);
        return `<strong>${escape(display(p.name))}</strong>${n ? `<br>${formatInteger(n.visits)} visits in ${formatInteger(n.journeys)} journeys<br>Exit rate ${formatPercent(n.exit_rate)}<br>Conversion probability from here ${formatPercent(n.conversion_probability)}` : ''}`
          + `${hole ? `<br><strong>Black hole #${hole.rank}</strong>: ${formatInteger(hole.lost)} lost` : ''}`;
      },
    },
    series: [{
      type: 'graph',
      name: 'Touchpoints',
      layout: 'circular',
      circular: { rotateLabel: false },
      top: 40, bottom: 40, left: 60, right: 60,
      roam: true,
      emphasis: { focus: 'adjacency', lineStyle: { opacity: 1 } },
      edgeSymbol: ['none', 'arrow'],
      edgeSymbolSize: 6,
      data: graphNodes,
      links: graphLinks,
      label: { position: 'right', fontSize: 11 },
    }],
  });

  const grid = document.createElement('div');
  grid.className = 'grid';
  page.append(grid);
  const holeCard = card(grid, 'Black holes', 'Touchpoints after which journeys end far more often than on average, with what matching the average would gain.');
  if (!holeTop) empty(holeCard, 'Black holes are not marked: pick "Mark top 3" or more above.');
  else if (blackHoles.length === 0) empty(holeCard, 'No touchpoint loses more prospects than average in this range.');
  else {
    table(holeCard, 'Black holes', [
      ['#', (r) => String(r.rank)],
      ['Touchpoint', (r) => r.node],
      ['Lost', (r) => formatInteger(r.lost)],
      ['Exit rate', (r) => formatPercent(r.exit_rate)],
      ['Average', (r) => formatPercent(r.average_exit_rate)],
      ['Conversion gain', (r) => `+${formatPercent(r.uplift)}`],
    ], blackHoles);
  }
  const brightCard = card(grid, 'Bright paths', 'The most probable routes from (start) to (conversion) in the chain, and how the journeys that took exactly that route did.');
  if (!brightTop) empty(brightCard, 'Bright paths are not highlighted: pick "Highlight top 3" or more above.');
  else if (brightPaths.length === 0) empty(brightCard, 'Nobody converted in this range, so there is no route to a conversion.');
  else {
    table(brightCard, 'Bright paths', [
      ['#', (r) => String(r.rank)],
      ['Route', (r) => r.route || '(converted without a touch)'],
      ['Chain probability', (r) => formatPercent(r.chain_probability)],
      ['Journeys', (r) => formatInteger(r.observed_journeys)],
      ['Conversion rate', (r) => formatPercent(r.conversion_rate)],
      ['Lift', (r) => (r.lift === null || r.lift === undefined ? '–' : `×${formatDecimal(r.lift)}`)],
    ], brightPaths);
  }
}
