// The dashboard's shell: navigation, the filter bar and hash routing. The URL holds the view and every
// filter (#/funnel?to=2025-12-31&steps=…), so a reload, a bookmark or a shared link shows the same report.
import { rows, setScope, ApiError } from './api.js';
import { disposeCharts, escape } from './charts.js';
import * as overview from './views/overview.js';
import * as funnel from './views/funnel.js';
import * as attribution from './views/attribution.js';
import * as retention from './views/retention.js';
import * as paths from './views/paths.js';
import * as graph from './views/graph.js';
import * as segments from './views/segments.js';
import * as journeyMap from './views/journey-map.js';

const views = [
  { id: 'overview', title: 'Overview', view: overview },
  { id: 'funnel', title: 'Funnel', view: funnel },
  { id: 'attribution', title: 'Attribution', view: attribution },
  { id: 'retention', title: 'Retention', view: retention },
  { id: 'paths', title: 'Paths', view: paths },
  { id: 'graph', title: 'Journey graph', view: graph },
  { id: 'segments', title: 'Segments', view: segments },
  { id: 'journey-map', title: 'Journey map', view: journeyMap },
];

/**
 * Filters every view has: the date range, a channel and a customer segment. They travel from view to view and reach
 * the API as to (each report's end date) and since, channel and in_segment (which narrow any report, docs/dashboard.md).
 */
const common = [
  { name: 'from', label: 'From', type: 'date', title: 'Only events from this day on, as if the data began then; empty means from the first event' },
  { name: 'to', label: 'Up to', type: 'date', title: 'Events after this day are ignored; empty means up to now' },
  { name: 'channel', label: 'Channel', type: 'select', default: '', options: [['', 'All channels']], title: 'Only people with a touch on this channel (from the start date on)' },
  { name: 'segment', label: 'Segment', type: 'select', default: '', options: [['', 'All people']], title: 'Only the people of this customer segment (as of the last event)' },
];
const commonNames = common.map((f) => f.name);

const nav = document.getElementById('nav');
const filters = document.getElementById('filters');
const main = document.getElementById('view');
let rendering = 0;

function parseHash() {
  const [path, query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const entry = views.find((v) => v.id === path) ?? views[0];
  return { entry, params: Object.fromEntries(new URLSearchParams(query)) };
}

function hashFor(id, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  const text = query.toString();
  return `#/${id}${text ? `?${text}` : ''}`;
}

function renderNav(current) {
  const { params } = parseHash();
  const keep = Object.fromEntries(commonNames.filter((n) => params[n]).map((n) => [n, params[n]]));
  nav.innerHTML = views.map((v) => `<a href="${hashFor(v.id, keep)}"${v.id === current ? ' aria-current="page"' : ''}${v.view.later ? ' class="later"' : ''}>${escape(v.title)}</a>`).join('');
}

function renderFilters(entry, params) {
  const fields = [...common, ...(entry.view.filters ?? [])];
  filters.innerHTML = fields.map((f) => {
    const value = params[f.name] ?? f.default ?? '';
    const id = `filter-${f.name}`;
    const options = f.type === 'select' && value && !f.options.some(([v]) => v === value) ? [...f.options, [value, value]] : f.options;
    const control = f.type === 'select'
      ? `<select id="${id}" name="${f.name}">${options.map(([v, text]) => `<option value="${escape(v)}"${v === value ? ' selected' : ''}>${escape(text)}</option>`).join('')}</select>`
      : `<input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${escape(value)}"${f.placeholder ? ` placeholder="${escape(f.placeholder)}"` : ''}${f.size ? ` size="${f.size}"` : ''}>`;
    return `<label for="${id}" title="${escape(f.title ?? '')}">${escape(f.label)}${control}</label>`;
  }).join('') + '<button type="submit">Apply</button>';
  filters.onsubmit = (event) => {
    event.preventDefault();
    apply(entry);
  };
  for (const select of filters.querySelectorAll('select, input[type=date]')) select.onchange = () => apply(entry);
}

function apply(entry) {
  const next = Object.fromEntries(new FormData(filters));
  // A group picked from the previous breakdown means nothing under another one.
  const { params } = parseHash();
  if (next.by !== undefined && next.by !== (params.by ?? '')) next.group = '';
  window.location.hash = hashFor(entry.id, next);
}

async function render() {
  const ticket = ++rendering;
  lastGroups = null;
  const { entry, params } = parseHash();
  disposeCharts();
  renderNav(entry.id);
  renderFilters(entry, params);
  document.title = `${entry.title} · Pretzel`;
  main.dataset.view = entry.id;
  main.dataset.state = 'loading';
  main.setAttribute('aria-busy', 'true');
  const scope = describeScope(params);
  const status = document.createElement('p');
  status.className = 'lead';
  status.setAttribute('role', 'status');
  status.textContent = 'Loading…';
  const page = document.createElement('div');
  main.replaceChildren(status, page);
  const values = {};
  for (const f of [...common, ...(entry.view.filters ?? [])]) values[f.name] = params[f.name] ?? f.default ?? '';
  setScope({ since: values.from, channel: values.channel, in_segment: values.segment });
  try {
    await entry.view.render(page, values, {
      setGroups: (groups) => fillGroups(groups, values.group),
    });
    if (ticket !== rendering) return;
    status.remove();
    if (scope) page.querySelector('h2')?.after(scope);
    // A chart drawn before its neighbours joined the grid measured the whole row: size each to its card now.
    for (const element of main.querySelectorAll('.chart')) window.echarts?.getInstanceByDom(element)?.resize();
    main.dataset.state = 'ready';
  } catch (error) {
    if (ticket !== rendering) return;
    disposeCharts();
    const message = error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`;
    main.innerHTML = `<h2>${escape(entry.title)}</h2><p class="error" role="alert">${escape(message)}</p><p class="lead">Change the filters above and apply them again.</p>`;
    main.dataset.state = 'error';
  } finally {
    if (ticket === rendering) {
      main.removeAttribute('aria-busy');
      main.dataset.renders = String(ticket);
    }
  }
}

let lastGroups = null;

/** A line saying which of the shared filters narrow the view (null when none does). */
function describeScope(params) {
  const parts = [];
  if (params.segment) parts.push(`the people of segment ${segmentName(params.segment)}`);
  if (params.channel) parts.push(`people with a touch on ${params.channel}`);
  if (params.from) parts.push(`events from ${params.from} on`);
  if (parts.length === 0) return null;
  const line = document.createElement('p');
  line.className = 'scope';
  line.textContent = `Filtered to ${parts.join(', ')}.`;
  return line;
}

/** Fills the "Show group" select with the groups of the current breakdown. */
function fillGroups(groups, current) {
  lastGroups = groups;
  const select = filters.querySelector('select[name=group]');
  if (!select) return;
  const options = [['', groups.length ? 'All groups (first shown)' : 'No breakdown'], ...groups.map((g) => [g, g])];
  select.innerHTML = options.map(([v, text]) => `<option value="${escape(v)}"${v === current ? ' selected' : ''}>${escape(text)}</option>`).join('');
  select.disabled = groups.length === 0;
}

const segmentLabels = { rfm: 'RFM', abc_xyz: 'ABC/XYZ' };

/** rfm:Champions → "RFM: Champions"; a custom segment keeps its name. */
function segmentName(value) {
  const colon = value.indexOf(':');
  return colon < 0 ? value : `${segmentLabels[value.slice(0, colon)] ?? value.slice(0, colon)}: ${value.slice(colon + 1)}`;
}

/** The project's name, and the choices of the channel and segment filters (its channels by events, its segments). */
async function showProject() {
  try {
    const [project, channels] = await Promise.all([
      rows('project', {}, { scoped: false }),
      rows('sql', { q: 'select channel, count(*) as events from events where channel is not null group by channel order by events desc, channel' }, { scoped: false }),
    ]);
    document.getElementById('project').textContent = `Project: ${project.project}`;
    common[2].options = [['', 'All channels'], ...channels.map((r) => [r.channel, r.channel])];
    common[3].options = [['', 'All people'], ...project.segments.map((s) => [s, segmentName(s)])];
    const { entry, params } = parseHash();
    renderFilters(entry, params);
    if (lastGroups) fillGroups(lastGroups, params.group);
  } catch {
    // The views report the problem themselves.
  }
}

window.addEventListener('hashchange', render);
showProject();
render();
