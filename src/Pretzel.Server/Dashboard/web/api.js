// The query API (/api/v1/*), read with the session cookie; helpers to format numbers for people.

/** An API answer that was refused (400: a bad filter value) with the server's message. */
export class ApiError extends Error {}

let scope = {};

/**
 * The filters every view shares (the API's since, channel and in_segment), added to every request that does not
 * opt out with { scoped: false }.
 */
export function setScope(next) {
  scope = next;
}

/** GET /api/v1/{path} with the non-empty values of params (and of the shared filters); the rows (array of objects). */
export async function rows(path, params = {}, { scoped = true } = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(scoped ? { ...scope, ...params } : params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, value);
  }
  const response = await fetch(`/api/v1/${path}?${query}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    // The session ended (sign-out elsewhere, server restart, 12 h passed): back to the sign-in page.
    window.location.assign('/');
    throw new ApiError('Your session has ended: sign in again.');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.errors?.[0]?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(`${path}: ${message}`);
  }
  return body;
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** 12345.6 → "12,346" (thousands separators of the reader's locale). */
export const formatInteger = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : integer.format(n));
/** 3.14159 → "3.1". */
export const formatDecimal = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : decimal.format(n));
/** 0.253 → "25.3%". */
export const formatPercent = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : percent.format(n));
/** Revenue in the store's currency units, no decimals. */
export const formatMoney = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : money.format(n));
/** Seconds → "3.2 d" / "4.5 h" / "12 min". */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds >= 86400) return `${decimal.format(seconds / 86400)} d`;
  if (seconds >= 3600) return `${decimal.format(seconds / 3600)} h`;
  return `${decimal.format(seconds / 60)} min`;
}

/** Sums field of rows (missing values count 0). */
export const sum = (list, field) => list.reduce((total, row) => total + (Number(row[field]) || 0), 0);
