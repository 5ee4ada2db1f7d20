// The page's state and its URL: every view, query, filter, date range and sort is a URL, so that
// back/forward work and a link can be shared. parseLocation() and toURL() are inverses.

import { FIELDS } from './fields.js'; // made by dixit-searchd from its field table (schema/fields.h)

/** Fields that filter results (URL parameters of the same name as /search's). */
export const FILTER_FIELDS = FIELDS.filter((f) => f.filter).map((f) => f.name);
/** Fields with a page of their own: /tag/{value}, /author/{name}, /country/{code}, ... */
export const PAGE_FIELDS = FIELDS.filter((f) => f.index_page).map((f) => f.name);
/** Index pages ("by author" ...) and the field each lists. */
export const INDEX_PAGES = Object.fromEntries(FIELDS.filter((f) => f.index_page).map((f) => [f.index_page, f.name]));
/** Each field's name on the page ("Language"). */
export const FIELD_LABELS = Object.fromEntries(FIELDS.map((f) => [f.name, f.label]));

/** A state with nothing in it: the home page. */
export function emptyState() {
  return { view: 'home', q: '', like: '', filters: {}, from: '', to: '', sort: '', since: '', page: null, id: '', index: '', prefix: '', collapse: false };
}

function decode(text) {
  try { return decodeURIComponent(text); } catch { return text; }
}

/** True when the state asks for results (a query, a text to find quotes like, a filter, a date range or a
 *  recency window). */
export function hasSearch(s) {
  return Boolean(s.q || s.like || s.from || s.to || s.since || FILTER_FIELDS.some((f) => (s.filters[f] || []).length));
}

/** The state a location shows. */
export function parseLocation(location) {
  const s = emptyState();
  const parts = location.pathname.split('/');
  const head = parts[1] || '';
  const rest = decode(parts.slice(2).join('/'));
  const params = new URLSearchParams(location.search);
  s.q = params.get('q') || '';
  s.like = s.q ? '' : params.get('like') || ''; // one or the other: /search takes q or like, not both
  for (const f of FILTER_FIELDS) {
    const values = [...new Set(params.getAll(f).filter(Boolean))];
    if (values.length) s.filters[f] = values;
  }
  for (const name of ['from', 'to', 'sort', 'since', 'prefix']) s[name] = params.get(name) || '';
  s.collapse = params.get('collapse') === 'variants'; // one quote per variant group
  if (head === 'quote' && rest) {
    s.view = 'quote';
    s.id = rest;
  } else if (INDEX_PAGES[head] && !rest) {
    s.view = 'index';
    s.index = INDEX_PAGES[head];
  } else if (PAGE_FIELDS.includes(head) && rest) {
    s.view = 'search';
    s.page = { field: head, value: rest };
    const values = s.filters[head] || [];
    if (!values.includes(rest)) s.filters[head] = [rest, ...values];
  } else if (hasSearch(s)) {
    s.view = 'search';
  }
  return s;
}

/** The field page a search state is shown as: its page while that value is still selected, or the only
 *  selected value of a query-less search (ticking one tag from the home page is the tag's page). */
export function pageOf(s) {
  if (s.page && (s.filters[s.page.field] || []).includes(s.page.value)) return s.page;
  if (s.q || s.like) return null;
  const all = PAGE_FIELDS.flatMap((f) => (s.filters[f] || []).map((value) => ({ field: f, value })));
  return all.length === 1 ? all[0] : null;
}

/** The URL of a state (path and query; canonical, so equal states give equal URLs). */
export function toURL(s) {
  if (s.view === 'quote') return '/quote/' + encodeURIComponent(s.id);
  const params = new URLSearchParams();
  if (s.view === 'index') {
    const path = Object.keys(INDEX_PAGES).find((k) => INDEX_PAGES[k] === s.index);
    if (s.prefix) params.set('prefix', s.prefix);
    const query = params.toString();
    return '/' + path + (query ? '?' + query : '');
  }
  if (!hasSearch(s)) return '/';
  const page = pageOf(s);
  if (s.q) params.set('q', s.q);
  else if (s.like) params.set('like', s.like);
  for (const f of FILTER_FIELDS) {
    for (const v of s.filters[f] || []) if (!(page && page.field === f && page.value === v)) params.append(f, v);
  }
  for (const name of ['from', 'to', 'since']) if (s[name]) params.set(name, s[name]);
  if (s.sort && s.sort !== defaultSort(s)) params.set('sort', s.sort);
  if (s.collapse) params.set('collapse', 'variants');
  const query = params.toString();
  const path = page ? `/${page.field}/${encodeURIComponent(page.value)}` : '/';
  return path + (query ? '?' + query : '');
}

/** The order used when none is chosen: best match with words, recently added for "the last 24 hours",
 *  otherwise newest said first (chronological pages). */
export function defaultSort(s) {
  if (s.q || s.like) return 'relevance';
  return s.since ? 'published' : 'newest';
}

/** The order in effect. */
export function effectiveSort(s) {
  const sort = s.sort || defaultSort(s);
  return sort === 'relevance' && !s.q && !s.like ? 'newest' : sort;
}

/** A copy of a search state changed by fn (the copy is a search; a field page keeps its hint). */
export function derive(s, fn) {
  const copy = { ...s, view: 'search', filters: Object.fromEntries(Object.entries(s.filters).map(([k, v]) => [k, [...v]])) };
  if (s.view !== 'search') Object.assign(copy, { q: '', like: '', filters: {}, from: '', to: '', sort: '', since: '', page: null, collapse: false });
  fn(copy);
  for (const f of Object.keys(copy.filters)) if (!copy.filters[f].length) delete copy.filters[f];
  if (!hasSearch(copy)) copy.view = 'home';
  return copy;
}

/** The state with a filter value added (or removed when remove is true). */
/** A filter value's key as the index folds it (case, accents, runs of punctuation and space): two values
 *  with one key are one filter ("health-care", "Health care"). */
export const foldKey = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export function withFilter(s, field, value, remove = false) {
  return derive(s, (c) => {
    const values = c.filters[field] || [];
    const key = foldKey(value);
    const has = values.some((v) => foldKey(v) === key);
    c.filters[field] = remove ? values.filter((v) => foldKey(v) !== key) : has ? values : [...values, value];
  });
}

/** The /search parameters of a search state (without paging, facets or histogram). */
export function searchParams(s) {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  else if (s.like) params.set('like', s.like);
  for (const f of FILTER_FIELDS) for (const v of s.filters[f] || []) params.append(f, v);
  if (s.from) params.set('from', s.from);
  if (s.to) params.set('to', s.to);
  if (s.since) params.set('published_since', s.since);
  params.set('sort', effectiveSort(s));
  if (s.collapse) params.set('collapse', 'variants');
  return params;
}

// ---- "find the quote I half remember" -------------------------------------------------------------------

/** A query of more than this many words without an operator is taken for a remembered sentence. */
export const REMEMBERED_WORDS = 6;
// What searchd's query lexer reads as an operator: quote marks (phrases, quoted field values), parentheses,
// '*', a '-' that starts a word, OR/AND/NEAR in capitals, and a field name with a value after its colon
// ("said: we will" is words, "said:2024" a filter).
const OPERATOR = new RegExp([
  '["\u201C-\u201F\u00AB\u00BB\uFF02\u300C\u300D()*]',
  '(?:^|\\s)-[^\\s)]',
  '(?:^|\\s)(?:OR|AND|NEAR(?:/\\S*)?)(?=\\s|$)',
  '(?:^|\\s)(?:tag|author|entity|context|lang|country|said):\\S',
].join('|'), 'u');
// A word: a run of letters, marks and digits; each Chinese or Japanese character counts as one (the
// tokenizer indexes them as ideographs, and such text has no spaces).
const WORD = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|[[\p{L}\p{M}\p{N}]--[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]]+/gv;

/** True when q reads as a half-remembered sentence (more than six words, no operator): the page then shows
 *  the quotes with it as an exact phrase first, then the quotes like it. */
export function isRememberedText(q) {
  return Boolean(q) && !OPERATOR.test(q) && (q.match(WORD) || []).length > REMEMBERED_WORDS;
}

/** The exact-phrase query of a remembered sentence. */
export const phraseOf = (q) => `"${q}"`;

const LIKE_MAX_CHARS = 1000;    // searchd's limit on q and like (max_query_chars)
const LIKE_MAX_ENCODED = 6000;  // of the 8 KiB request target: 1,000 Chinese characters take 9,000 bytes in a URL

/** The text a like= search is given for a quote: white space collapsed (as the search box shows it), cut at
 *  a word to what a URL and searchd take. */
export function likeTextOf(text) {
  const chars = [...String(text || '').replace(/\s+/gu, ' ').trim()];
  let n = Math.min(chars.length, LIKE_MAX_CHARS);
  while (n > 0 && encodeURIComponent(chars.slice(0, n).join('')).length > LIKE_MAX_ENCODED) n = Math.floor(n * 0.9);
  let cut = chars.slice(0, n).join('');
  if (n < chars.length && cut.lastIndexOf(' ') > cut.length / 2) cut = cut.slice(0, cut.lastIndexOf(' '));
  return cut;
}

/** A new search for the quotes like a quote's text (no filters: what else said it, or nearly). */
export function likeState(text) {
  return { ...emptyState(), view: 'search', like: likeTextOf(text) };
}
