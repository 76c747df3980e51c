// A view of the issue that this version does not draw yet: says so plainly and points at the API.
import { escape } from '../charts.js';

export function later(title, what, endpoint) {
  return {
    later: true,
    filters: [],
    async render(page) {
      page.innerHTML = `<h2>${escape(title)}</h2><p class="empty" role="status" data-later="${escape(endpoint)}">Not in this version yet: ${escape(what)} will be drawn here. `
        + `The numbers are already available from the query API (<code>GET /api/v1/${escape(endpoint)}</code>) and the CLI (<code>pretzel ${escape(endpoint)}</code>).</p>`;
    },
  };
}
