// The dashboard's shell: navigation, the filter bar and hash routing. The URL holds the view and every
// filter (#/funnel?to=2025-12-31&steps=…), so a reload, a bookmark or a shared link shows the same report.
import { rows, ApiError } from './api.js';
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

/** Filters every view has: the end date of the analysis. */
const common = [{ name: 'to', label: 'Up to (end date)', type: 'date', title: 'Events after this day are ignored; empty means up to now' }];

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
  const keep = params.to ? { to: params.to } : {};
  nav.innerHTML = views.map((v) => `<a href="${hashFor(v.id, keep)}"${v.id === current ? ' aria-current="page"' : ''}${v.view.later ? ' class="later"' : ''}>${escape(v.title)}</a>`).join('');
}

function renderFilters(entry, params) {
  const fields = [...common, ...(entry.view.filters ?? [])];
  filters.innerHTML = fields.map((f) => {
    const value = params[f.name] ?? f.default ?? '';
    const id = `filter-${f.name}`;
    const control = f.type === 'select'
      ? `<select id="${id}" name="${f.name}">${f.options.map(([v, text]) => `<option value="${escape(v)}"${v === value ? ' selected' : ''}>${escape(text)}</option>`).join('')}</select>`
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
  const { entry, params } = parseHash();
  disposeCharts();
  renderNav(entry.id);
  renderFilters(entry, params);
  document.title = `${entry.title} · Pretzel`;
  main.dataset.view = entry.id;
  main.dataset.state = 'loading';
  main.setAttribute('aria-busy', 'true');
  const status = document.createElement('p');
  status.className = 'lead';
  status.setAttribute('role', 'status');
  status.textContent = 'Loading…';
  const page = document.createElement('div');
  main.replaceChildren(status, page);
  const values = {};
  for (const f of [...common, ...(entry.view.filters ?? [])]) values[f.name] = params[f.name] ?? f.default ?? '';
  try {
    await entry.view.render(page, values, {
      setGroups: (groups) => fillGroups(groups, values.group),
    });
    if (ticket !== rendering) return;
    status.remove();
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

/** Fills the "Show group" select with the groups of the current breakdown. */
function fillGroups(groups, current) {
  const select = filters.querySelector('select[name=group]');
  if (!select) return;
  const options = [['', groups.length ? 'All groups (first shown)' : 'No breakdown'], ...groups.map((g) => [g, g])];
  select.innerHTML = options.map(([v, text]) => `<option value="${escape(v)}"${v === current ? ' selected' : ''}>${escape(text)}</option>`).join('');
  select.disabled = groups.length === 0;
}

async function showProject() {
  try {
    const project = await rows('project');
    document.getElementById('project').textContent = `Project: ${project.project}`;
  } catch {
    // The views report the problem themselves.
  }
}

window.addEventListener('hashchange', render);
showProject();
render();
