// Segments: the RFM grid (recency × frequency-monetary, eleven named segments) and the ABC/XYZ matrix
// (value × regularity); every cell, and every row of the tables, links to that segment's funnel (see funnelLink).
import { rows, formatInteger, formatMoney, formatPercent, formatDecimal } from '../api.js';
import { card, chart, empty, escape } from '../charts.js';

export const filters = [
  { name: 'measure', label: 'Colour and size by', type: 'select', default: 'people', options: [['people', 'Customers'], ['revenue', 'Revenue']] },
  { name: 'steps', label: 'Funnel steps for the links', default: 'pricing,signup,purchase', size: 24, title: 'The steps of the funnel each segment links to' },
];

// The RFM grid of the segment kernel: rows R = 1…5, columns FM = 1…5 (src/Pretzel.Analytics/Segments/RfmSegments.cs).
const rfmGrid = [
  ['Lost', 'Lost', 'At Risk', "Can't Lose Them", "Can't Lose Them"],
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', 'At Risk'],
  ['About to Sleep', 'Need Attention', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
  ['Promising', 'Potential Loyalists', 'Loyal Customers', 'Champions', 'Champions'],
  ['New Customers', 'Potential Loyalists', 'Loyal Customers', 'Champions', 'Champions'],
];

/** The dashboard address of the funnel of one segment: the Funnel view filtered to it, same steps, dates and channel. */
export function funnelLink(kind, segment, { from, to, channel, steps }) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ from, to, channel, steps })) if (value) query.set(name, value);
  query.set('segment', `${kind}:${segment}`);
  return `#/funnel?${query}`;
}

export async function render(page, values) {
  const { to, measure } = values;
  const [rfm, abc] = await Promise.all([rows('segments', { kind: 'rfm', to }), rows('segments', { kind: 'abc_xyz', to })]);
  const byRevenue = measure === 'revenue';
  const metric = (r) => (byRevenue ? r.revenue : r.people) ?? 0;
  const show = (v) => (byRevenue ? formatMoney(v) : formatInteger(v));
  const unit = byRevenue ? 'revenue' : 'customers';
  page.innerHTML = `<h2>Segments</h2><p class="lead">Customers (people with a purchase${to ? ` up to ${escape(to)}` : ''}) by <strong>RFM</strong> — how recently, how often and how much they bought — and by <strong>ABC/XYZ</strong> — their share of revenue (A high … C low) and how regular their purchases are (X steady … Z erratic).`
    + ' Click a cell, or use the links in the tables, to open that segment\'s funnel (same steps and end date).</p>'
    ;
  const grid = document.createElement('div');
  grid.className = 'grid';
  page.append(grid);

  const rfmCard = card(grid, 'RFM grid', `Rows: recency score (5 = bought lately); columns: frequency-monetary score (5 = often and much). Colour: ${unit} of the segment.`);
  const rfmBy = new Map(rfm.map((r) => [r.segment, r]));
  if (rfm.length === 0 || rfm.every((r) => !r.people)) {
    empty(rfmCard, 'Nobody has bought anything up to this date, so there are no RFM segments. RFM scores customers by their purchases (purchase events).');
  } else {
    const seen = new Set();
    const data = [];
    rfmGrid.forEach((cells, r) => cells.forEach((segment, fm) => {
      const row = rfmBy.get(segment);
      const first = !seen.has(segment);
      seen.add(segment);
      data.push({ value: [fm, r, metric(row ?? {})], segment, first });
    }));
    const max = Math.max(1, ...rfm.map(metric));
    const instance = chart(rfmCard, 'rfm', `RFM grid: ${rfm.length} segments, ${unit} per segment`, {
      legend: { show: false },
      grid: { left: 16, right: 16, top: 24, bottom: 56, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const row = rfmBy.get(p.data.segment);
          return `<strong>${escape(p.data.segment)}</strong> (R ${p.value[1] + 1}, FM ${p.value[0] + 1})<br>${formatInteger(row?.people)} customers (${formatPercent(row?.share)})<br>Revenue ${formatMoney(row?.revenue)} (${formatPercent(row?.revenue_share)})`
            + `<br>Last purchase ${formatDecimal(row?.avg_recency_days)} days ago on average<br>Click to open this segment's funnel`;
        },
      },
      xAxis: { type: 'category', data: ['1', '2', '3', '4', '5'], name: 'frequency-monetary score', nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
      yAxis: { type: 'category', data: ['1', '2', '3', '4', '5'], name: 'recency score', nameTextStyle: { align: 'left' }, splitArea: { show: true } },
      visualMap: { min: 0, max, text: [show(max), '0'], calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, formatter: (v) => show(v), inRange: { color: ['#fff7ec', '#fdbb84', '#b5651d'] } },
      series: [{
        name: 'RFM segment', type: 'heatmap', data,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        label: { show: true, fontSize: 10, lineHeight: 14, formatter: (p) => (p.data.first ? `${p.data.segment}\n${show(p.value[2])}` : '') },
        emphasis: { itemStyle: { borderColor: '#1a66d6', borderWidth: 2 } },
      }],
    });
    instance?.on('click', (p) => { if (p.data?.segment) window.location.hash = funnelLink('rfm', p.data.segment, values); });
    segmentTable(rfmCard, 'RFM segments', 'rfm', rfm, values, [
      ['Avg. days since purchase', (r) => formatDecimal(r.avg_recency_days)],
      ['Avg. purchases', (r) => formatDecimal(r.avg_frequency)],
    ]);
  }

  const abcCard = card(grid, 'ABC/XYZ matrix', `Rows: A (the customers bringing most revenue) to C; columns: X (steady buyers) to Z (erratic). Colour: ${unit} of the cell.`);
  const abcBy = new Map(abc.map((r) => [r.segment, r]));
  if (abc.length === 0 || abc.every((r) => !r.people)) {
    empty(abcCard, 'Nobody has bought anything up to this date, so there is no ABC/XYZ matrix. It ranks customers by their purchase revenue.');
  } else {
    const data = [];
    ['A', 'B', 'C'].forEach((a, y) => ['X', 'Y', 'Z'].forEach((x, i) => data.push({ value: [i, y, metric(abcBy.get(`${a}${x}`) ?? {})], segment: `${a}${x}` })));
    const max = Math.max(1, ...abc.map(metric));
    const instance = chart(abcCard, 'abc-xyz', `ABC/XYZ matrix: ${unit} per cell`, {
      legend: { show: false },
      grid: { left: 16, right: 16, top: 24, bottom: 56, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const row = abcBy.get(p.data.segment);
          return `<strong>${escape(p.data.segment)}</strong><br>${formatInteger(row?.people)} customers (${formatPercent(row?.share)})<br>Revenue ${formatMoney(row?.revenue)} (${formatPercent(row?.revenue_share)})<br>Click to open this segment's funnel`;
        },
      },
      xAxis: { type: 'category', data: ['X (steady)', 'Y (varying)', 'Z (erratic)'], name: 'regularity', nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
      yAxis: { type: 'category', data: ['A (most revenue)', 'B', 'C (least)'], inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, text: [show(max), '0'], calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, formatter: (v) => show(v), inRange: { color: ['#f1f6fd', '#8fb4ea', '#1a66d6'] } },
      series: [{
        name: 'ABC/XYZ cell', type: 'heatmap', data,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        label: { show: true, lineHeight: 18, formatter: (p) => `${p.data.segment}\n${show(p.value[2])}` },
        emphasis: { itemStyle: { borderColor: '#b5651d', borderWidth: 2 } },
      }],
    });
    instance?.on('click', (p) => { if (p.data?.segment) window.location.hash = funnelLink('abc_xyz', p.data.segment, values); });
    segmentTable(abcCard, 'ABC/XYZ cells', 'abc_xyz', abc, values, [['Avg. purchases', (r) => formatDecimal(r.avg_frequency)]]);
  }
}

// A table of segments whose first column links to the segment's funnel (the keyboard's way in).
function segmentTable(parent, caption, kind, list, values, extra) {
  const columns = [
    ['Customers', (r) => formatInteger(r.people)],
    ['Share', (r) => formatPercent(r.share)],
    ['Revenue', (r) => formatMoney(r.revenue)],
    ['Revenue share', (r) => formatPercent(r.revenue_share)],
    ...extra,
  ];
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  const head = ['Segment (opens the funnel)', ...columns.map(([title]) => title)].map((t) => `<th scope="col">${escape(t)}</th>`).join('');
  const body = list.map((r) => `<tr><td><a href="${escape(funnelLink(kind, r.segment, values))}" title="Open the funnel of ${escape(r.segment)}" data-segment="${escape(r.segment)}">${escape(r.segment)}</a></td>`
    + `${columns.map(([, cell]) => `<td>${escape(cell(r))}</td>`).join('')}</tr>`).join('');
  wrap.innerHTML = `<table><caption class="skip">${escape(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  parent.append(wrap);
}
