// ECharts (loaded by index.html as the global `echarts`, built from npm into the server) and the page
// pieces every view shares: cards, empty states, tables.
import { ApiError, formatInteger } from './api.js';

const palette = ['#b5651d', '#1a66d6', '#2e8b57', '#8e44ad', '#d4a017', '#c0392b', '#16a085', '#7f8c8d', '#e67e22', '#34495e'];
const live = new Set();

window.addEventListener('resize', () => { for (const chart of live) chart.resize(); });

/**
 * Disposes the charts of the previous view. A chart is cleared at once and disposed a moment later: on a slow
 * machine ECharts spreads a paint over several animation frames, and disposing it between two of them makes the
 * next frame fail ("Cannot read properties of null"); a cleared chart's next frame has nothing left to draw.
 */
export function disposeCharts() {
  for (const chart of live) {
    chart.clear();
    setTimeout(() => chart.dispose(), 1000);
  }
  live.clear();
}

/** Escapes text for HTML. */
export const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

/** A card with a title and a note, appended to parent; returns its body element. */
export function card(parent, title, note) {
  const section = document.createElement('section');
  section.className = 'card';
  section.innerHTML = `<h3>${escape(title)}</h3>${note ? `<p class="note">${escape(note)}</p>` : ''}`;
  parent.append(section);
  return section;
}

/**
 * A card for a slow report that fills in after the view is drawn, so the view does not wait for it: `load(section)`
 * fetches and draws into the card. data-card is `name`; data-lazy is loading, then ready or error (with the reason).
 */
export function lazyCard(parent, name, title, note, load) {
  const section = card(parent, title, note);
  section.dataset.card = name;
  section.dataset.lazy = 'loading';
  section.setAttribute('aria-busy', 'true');
  const status = empty(section, 'Loading…');
  load(section).then(() => {
    status.remove();
    section.dataset.lazy = 'ready';
  }, (error) => {
    status.remove();
    empty(section, error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
    section.dataset.lazy = 'error';
  }).finally(() => section.removeAttribute('aria-busy'));
  return section;
}

/** A plain explanation where a chart would be, when there is nothing to draw. */
export function empty(parent, message) {
  const box = document.createElement('p');
  box.className = 'empty';
  box.setAttribute('role', 'status');
  box.textContent = message;
  parent.append(box);
  return box;
}

/**
 * A chart named `name` (data-chart, for tests) in parent, described by `label` for screen readers; `option`
 * is an ECharts option whose defaults (palette, tooltip, thousands separators) are filled in here.
 */
export function chart(parent, name, label, option) {
  const element = document.createElement('div');
  element.className = 'chart';
  element.dataset.chart = name;
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', label);
  parent.append(element);
  if (!window.echarts) {
    element.classList.add('chart-missing');
    element.textContent = window.pretzelChartsMissing || 'Charts could not be loaded.';
    return null;
  }
  const instance = window.echarts.init(element, null, { renderer: 'canvas' });
  instance.setOption({
    color: palette,
    animation: false,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    grid: { left: 16, right: 24, top: 48, bottom: 16, containLabel: true },
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatInteger(v) : v) },
    ...option,
  });
  live.add(instance);
  return instance;
}

/** A table of rows: columns are [title, row => text, {numeric}] triples. */
export function table(parent, caption, columns, list) {
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  const head = columns.map(([title]) => `<th scope="col">${escape(title)}</th>`).join('');
  const body = list.map((row) => `<tr>${columns.map(([, cell]) => `<td>${escape(cell(row))}</td>`).join('')}</tr>`).join('');
  wrap.innerHTML = `<table><caption class="skip">${escape(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  parent.append(wrap);
  return wrap;
}

/** An axis showing thousands separators, with a name (the unit). */
export const valueAxis = (name, extra = {}) => ({ type: 'value', name, nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v) => formatInteger(v) }, ...extra });
