// "Export these results": the current search's quotes as CSV or JSON, fetched page by page (100 a page)
// up to EXPORT_LIMIT, built in the browser and saved as a download.
import { search } from './api.js';
import { searchParams, effectiveSort } from './state.js';

/** At most this many quotes are exported (the first ones in the current order). */
export const EXPORT_LIMIT = 1000;
const PAGE = 100;

const COLUMNS = ['id', 'text', 'author', 'author_role', 'said_on', 'tags', 'countries', 'entities',
  'context_id', 'context_title', 'language', 'source_name', 'source_url', 'published_at', 'permalink'];

/** The quotes of a search state, in its order, at most limit: {hits, total}. */
export async function fetchAll(state, limit = EXPORT_LIMIT) {
  const hits = [];
  const byDate = ['newest', 'oldest'].includes(effectiveSort(state)) && !state.collapse; // collapsed: pages, no cursor
  let cursor = null;
  let total = 0;
  for (let page = 1; hits.length < limit; page++) {
    const params = searchParams(state);
    params.set('per_page', String(Math.min(PAGE, limit - hits.length)));
    if (byDate && cursor) params.set('cursor', cursor);
    else if (!byDate) params.set('page', String(page));
    const response = await search(params);
    total = response.groups ?? response.total;
    hits.push(...response.hits);
    cursor = response.next_cursor;
    if (!response.hits.length || (byDate ? !cursor : page * PAGE >= total)) break;
  }
  return { hits: hits.slice(0, limit), total };
}

/** A quote as stored (what the API returns, without the search's highlight, snippet, score and similarity). */
export function storedRecord(hit) {
  const { highlight, snippet, score, similarity, ...record } = hit;
  return record;
}

function cell(value) {
  let text = value === undefined || value === null ? '' : String(value);
  // A spreadsheet would run a cell starting with = + - @ as a formula: keep it text.
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row; lists joined with "; ". */
export function toCSV(hits) {
  const rows = [COLUMNS.join(',')];
  for (const h of hits) {
    const author = h.author || {};
    const context = h.context || {};
    const source = h.source || {};
    rows.push([
      h.id, h.text, author.name, author.role, h.said_on, (h.tags || []).join('; '), (h.countries || []).join('; '),
      (h.entities || []).join('; '), context.id, context.title, h.language, source.name, source.url, h.published_at,
      `${location.origin}/quote/${encodeURIComponent(h.id)}`,
    ].map(cell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/** Saves text as a file through a temporary link. */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Exports the state's results as "csv" or "json"; returns how many quotes were saved and the total. */
export async function exportResults(state, format) {
  const { hits, total } = await fetchAll(state);
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === 'csv') download(`dixit-quotes-${stamp}.csv`, 'text/csv;charset=utf-8', '\ufeff' + toCSV(hits));
  else download(`dixit-quotes-${stamp}.json`, 'application/json', JSON.stringify(hits.map(storedRecord), null, 2) + '\n');
  return { saved: hits.length, total };
}
