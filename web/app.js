// The page's controller: reads the state from the URL, shows the view it names, and turns every action
// (typing, ticking, sorting, picking a period, following a link) into a new URL (pushState) and view.
import * as api from './api.js';
import { parseLocation, toURL, derive, withFilter, searchParams, effectiveSort, pageOf, FILTER_FIELDS, FIELD_LABELS, isRememberedText, phraseOf, likeState } from './state.js';
import { el, quoteCard, formatCount, languageName } from './render.js';
import { renderFacets, FACETS, SHORT_LIST, LONG_LIST } from './facets.js';
import { renderTimeline, timelineUnit } from './timeline.js';
import { openCitationDialog } from './citation.js';
import { exportResults, EXPORT_LIMIT } from './export.js';
import { heading, renderHome, renderIndex, renderQuote } from './views.js';
import { formatSaidOn } from './dates.js';

const PER_PAGE = 20;
const PHRASE_HITS = 50;   // exact-phrase hits shown above "Quotes like this" (then a link to all of them)
const NOTE_CHARS = 200;   // of a like= text in the "Quotes like: …" note
const TYPING_DELAY_MS = 250;
const PAGE_PATH = /^\/(?:$|(?:tags|authors|countries|entities|contexts)$|(?:tag|author|country|entity|context|quote)\/.)/;
const SORTS = [['relevance', 'Best match'], ['newest', 'Newest'], ['oldest', 'Oldest'], ['published', 'Recently added']];

const main = document.getElementById('main');
const form = document.getElementById('search-form');
const input = document.getElementById('q');
const queryError = document.getElementById('q-error');

let state = parseLocation(location);
let controller = new AbortController();
let typingPushed = false;   // the current typing session already has its own history entry
let typingTimer = null;
const expanded = new Set(); // facet fields showing their long list
const typed = new Map();    // what was typed in each facet's type-ahead box
const labels = new Map();   // "country:UA" → "Ukraine", for headings and active-filter chips

/** Shows a state as a new history entry (or in place of the current one). */
function navigate(next, { replace = false, focusKey = null } = {}) {
  const url = toURL(next);
  if (url !== location.pathname + location.search) history[replace ? 'replaceState' : 'pushState'](null, '', url);
  show(parseLocation(location), { focusKey });
}

const cardOptions = () => ({
  filterHref: (field, value) => toURL(withFilter(state, field, value)),
  onCite: openCitationDialog,
  likeHref: (hit) => toURL(likeState(hit.text)),
});

/** Renders the view of a state; focusKey names the control to give focus back to ("heading": the h1). */
function show(next, { focusKey = null } = {}) {
  state = next;
  controller.abort();
  controller = new AbortController();
  const { signal } = controller;
  const boxText = state.q || state.like;
  if (typingTimer === null && input.value.trim() !== boxText) input.value = boxText; // not while a search is pending
  hideQueryError();
  document.title = 'Dixit — quote search';
  if (state.view !== 'search') setFeedLink(null);
  const done = () => restoreFocus(focusKey);
  if (state.view === 'home') renderHome(main, { signal, cardOptions: cardOptions() }).then(done);
  else if (state.view === 'index') {
    renderIndex(main, state, { signal, onPrefix: (prefix) => navigate({ ...state, prefix }, { replace: true, focusKey: 'index-filter' }) });
    done();
  } else if (state.view === 'quote') renderQuote(main, state.id, { signal, cardOptions: cardOptions() }).then(done);
  else renderSearch(signal).then(done);
}

/** The page's <link rel="alternate" type="application/atom+xml"> (feed readers find it): href, or none. */
function setFeedLink(href) {
  let link = document.head.querySelector('link[rel="alternate"][type="application/atom+xml"]');
  if (!href) return link && link.remove();
  if (!link) document.head.append(link = el('link', { rel: 'alternate', type: 'application/atom+xml', title: 'Dixit feed' }));
  link.href = href;
}

function restoreFocus(key) {
  if (!key) return;
  const target = key === 'heading' ? main.querySelector('.page-heading') : main.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
  if (target) target.focus({ preventScroll: key !== 'heading' });
}

// ---- search results -------------------------------------------------------------------------------

let view = null; // the search view's elements while it is shown

function searchSkeleton() {
  const v = {};
  v.facets = el('aside', { id: 'facets', class: 'facets', 'aria-label': 'Filters' });
  v.toggle = el('button', {
    type: 'button', class: 'filters-toggle', 'aria-controls': 'facets', 'aria-expanded': 'false',
    onclick: () => {
      const open = v.toggle.getAttribute('aria-expanded') !== 'true';
      v.toggle.setAttribute('aria-expanded', String(open));
      v.facets.classList.toggle('open', open);
    },
  }, 'Filters');
  v.heading = heading('');
  v.intro = el('p', { class: 'intro' });
  v.count = el('p', { class: 'count', id: 'result-count', 'aria-live': 'polite', role: 'status' });
  v.sort = el('fieldset', { class: 'sort' }, el('legend', {}, 'Order'));
  for (const [value, label] of SORTS) {
    v.sort.append(el('label', {}, el('input', {
      type: 'radio', name: 'sort', value, 'data-focus-key': 'sort:' + value,
      onchange: () => navigate({ ...state, sort: value }, { focusKey: 'sort:' + value }),
    }), ' ' + label));
  }
  v.exportStatus = el('span', { class: 'muted small', 'aria-live': 'polite' });
  const exportButton = (format) => el('button', {
    type: 'button', class: 'export', 'data-format': format,
    title: `The first ${formatCount(EXPORT_LIMIT)} quotes in this order`,
    onclick: async () => {
      v.exportStatus.textContent = 'Exporting…';
      try {
        const { saved, total } = await exportResults(paging ? paging.state : state, format);
        v.exportStatus.textContent = `Saved ${formatCount(saved)} of ${formatCount(total)} quotes as ${format.toUpperCase()}.`;
      } catch (error) {
        v.exportStatus.textContent = `Export failed: ${error.message}`;
      }
    },
  }, 'Export ' + format.toUpperCase());
  v.collapse = el('label', { class: 'collapse-toggle', title: 'Show each quote once, however often it was reported' },
    el('input', {
      type: 'checkbox', 'data-focus-key': 'collapse',
      onchange: (event) => navigate({ ...state, collapse: event.currentTarget.checked }, { focusKey: 'collapse' }),
    }), ' One per variant group');
  v.feed = el('a', { class: 'feed-link', type: 'application/atom+xml', title: 'Follow this search in a feed reader' }, 'Atom feed');
  v.exporter = el('div', { class: 'export-bar', role: 'group', 'aria-label': 'Export these results' },
    exportButton('csv'), exportButton('json'), v.feed, v.exportStatus);
  v.active = el('ul', { class: 'active-filters', 'aria-label': 'Active filters' });
  v.timeline = el('section', { class: 'timeline', 'aria-label': 'Timeline' });
  v.suggestion = el('p', { class: 'suggestion', hidden: true });
  v.phraseHeading = el('h2', { class: 'hits-heading', id: 'phrase-heading' }, 'With the exact phrase');
  v.phraseHits = el('ol', { class: 'hits', id: 'phrase-hits' });
  v.phraseNote = el('p', { class: 'muted' });
  v.phrase = el('section', { class: 'phrase-section', 'aria-labelledby': 'phrase-heading', hidden: true },
    v.phraseHeading, v.phraseHits, v.phraseNote);
  v.likeHeading = el('h2', { class: 'hits-heading', id: 'like-heading', hidden: true }, 'Quotes like this');
  v.likeNone = el('p', { class: 'muted', hidden: true }, 'No other quotes like this.');
  v.hits = el('ol', { class: 'hits', id: 'hits' });
  v.more = el('button', { type: 'button', class: 'more-results', hidden: true, onclick: () => loadMore() }, 'More results');
  v.root = el('div', { class: 'layout' },
    el('a', { class: 'skip-link', href: '#results-heading' }, 'Skip the filters'),
    v.toggle, v.facets,
    el('section', { class: 'results', 'aria-labelledby': 'results-heading' },
      v.heading, v.intro,
      el('div', { class: 'toolbar' }, v.count, v.sort, v.collapse, v.exporter),
      v.active, v.suggestion, v.timeline, v.phrase, v.likeHeading, v.hits, v.likeNone, v.more));
  v.heading.id = 'results-heading';
  v.observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) loadMore();
  }, { rootMargin: '400px' });
  v.observer.observe(v.more);
  return v;
}

function labelOf(field, value) {
  if (field === 'lang') return languageName(value);
  return labels.get(`${field}:${value}`) || value;
}

function remember(facets, hits) {
  for (const [field, entries] of Object.entries(facets || {}))
    for (const e of entries) if (e.label) labels.set(`${field}:${e.value}`, e.label);
  for (const h of hits || []) {
    (h.countries || []).forEach((c, i) => h.country_names && labels.set(`country:${c}`, h.country_names[i]));
    if (h.context && h.context.title) labels.set(`context:${h.context.id}`, h.context.title);
  }
}

function headingText() {
  const page = pageOf(state);
  if (page) {
    const label = labelOf(page.field, page.value);
    return {
      tag: [`#${page.value}`, `All the quotes tagged #${page.value}, in the order they were said.`],
      author: [page.value, `All the quotes of ${page.value}, in the order they were said.`],
      country: [label, `All the quotes about ${label}, in the order they were said.`],
      entity: [page.value, `All the quotes that name ${page.value}, in the order they were said.`],
      context: [label, 'All the quotes of this context, in the order they were said.'],
    }[page.field];
  }
  if (state.q) return [`Quotes matching “${state.q}”`, ''];
  if (state.like) {
    const chars = [...state.like];
    const text = chars.length > NOTE_CHARS ? chars.slice(0, NOTE_CHARS).join('').replace(/\s+\S*$/u, '') + '…' : state.like;
    return ['Quotes like this', `Quotes like: “${text}”`];
  }
  if (state.since) return ['Quotes added recently', `Published in the last ${state.since}.`];
  return ['Quotes', ''];
}

function renderActive() {
  const chip = (text, next, what) => el('li', {},
    el('span', {}, text),
    el('button', { type: 'button', 'aria-label': `Remove ${what}`, title: `Remove ${what}`, onclick: () => navigate(next, { focusKey: 'heading' }) }, '×'));
  const items = [];
  for (const f of FILTER_FIELDS) {
    for (const v of state.filters[f] || []) {
      const text = `${FIELD_LABELS[f].toLowerCase()}: ${f === 'tag' ? '#' : ''}${labelOf(f, v)}`;
      items.push(chip(text, withFilter(state, f, v, true), text));
    }
  }
  if (state.from || state.to) {
    const text = `said ${state.from === state.to ? 'in ' + formatSaidOn(state.from) : `${state.from ? 'from ' + formatSaidOn(state.from) : ''} ${state.to ? 'to ' + formatSaidOn(state.to) : ''}`.trim()}`;
    items.push(chip(text, derive(state, (c) => { c.from = ''; c.to = ''; }), 'the date range'));
  }
  if (state.since) items.push(chip(`added in the last ${state.since}`, derive(state, (c) => { c.since = ''; }), 'the recency window'));
  view.active.replaceChildren(...items);
  view.active.hidden = !items.length;
}

let paging = null; // {params, next cursor or page, loading, done}

async function renderSearch(signal) {
  if (!view || !main.contains(view.root)) {
    if (view) view.observer.disconnect();
    view = searchSkeleton();
    main.replaceChildren(view.root);
  }
  const [title, intro] = headingText();
  view.heading.textContent = title;
  view.intro.textContent = intro;
  document.title = `${title} — Dixit`;
  const sort = effectiveSort(state);
  for (const radio of view.sort.querySelectorAll('input')) {
    radio.checked = radio.value === sort;
    radio.disabled = radio.value === 'relevance' && !state.q && !state.like;
  }
  renderActive();
  view.hits.setAttribute('aria-busy', 'true');
  const unit = timelineUnit(state);
  const params = searchParams(state);
  // The feed of this search (tag and author pages are searches too): newest published first.
  const feedParams = searchParams(state);
  feedParams.delete('sort');
  const feedHref = '/search.atom' + (feedParams.toString() ? '?' + feedParams : '');
  view.feed.href = feedHref;
  setFeedLink(feedHref);
  params.set('per_page', PER_PAGE);
  params.set('facets', FACETS.map(([f]) => f).join(','));
  params.set('facet_size', expanded.size ? LONG_LIST : SHORT_LIST + 1);
  params.set('histogram', unit);
  const remembered = isRememberedText(state.q);
  let response;
  let phrase = null; // a remembered sentence's exact-phrase results
  let shown = state; // the state whose results are listed: the typed query's, or its correction's
  try {
    if (remembered) {
      ({ response, phrase } = await searchRemembered(params, signal));
    } else {
      response = await api.search(params, signal);
    }
    // Nothing for what was typed, but a correction: list the correction's results, and say so.
    if (!remembered && state.q && response.total === 0 && response.suggestion) {
      const corrected = derive(state, (c) => { c.q = response.suggestion; });
      const again = searchParams(corrected);
      for (const key of ['per_page', 'facets', 'facet_size', 'histogram']) again.set(key, params.get(key));
      const other = await api.search(again, signal);
      if (other.total > 0) {
        response = { ...other, suggestion: response.suggestion, corrected: true };
        shown = corrected;
      } else {
        response = { ...response, suggestion: undefined };  // a correction that finds nothing either
      }
    }
  } catch (error) {
    if (error.name === 'AbortError') return;
    view.hits.removeAttribute('aria-busy');
    view.hits.replaceChildren();
    view.more.hidden = true;
    view.timeline.replaceChildren();
    view.facets.replaceChildren();
    view.suggestion.hidden = true;
    renderPhrase(null);
    if (error.code === 'bad_query') showQueryError(error);
    view.count.textContent = error.code === 'bad_query' ? 'The query has a mistake (see above).' : error.message;
    return;
  }
  remember(response.facets, [...response.hits, ...(phrase ? phrase.hits : [])]);
  [view.heading.textContent, view.intro.textContent] = headingText();
  if (response.corrected) view.heading.textContent = `Quotes matching “${response.suggestion}”`;
  renderActive();
  view.hits.removeAttribute('aria-busy');
  const total = formatCount(response.total);
  view.count.textContent = response.total === 0 ? 'No quotes match.'
    : `${response.total_is_estimate ? 'About ' : ''}${total} ${response.total === 1 ? 'quote' : 'quotes'}` +
      (typeof response.groups === 'number' ? `, ${formatCount(response.groups)} after grouping variants` : '');
  view.collapse.querySelector('input').checked = state.collapse;
  renderFacets(view.facets, response.facets, {
    state, expanded, typed, total: response.total,
    onToggle: (field, value, checked) => navigate(withFilter(shown, field, value, !checked), { focusKey: `facet:${field}:${value}` }),
    onExpand: (field) => { expanded.add(field); show(state, { focusKey: `facet-filter:${field}` }); },
  });
  renderTimeline(view.timeline, response.histogram, unit, (from, to) => navigate(derive(shown, (c) => { c.from = from; c.to = to; }), { focusKey: 'heading' }));
  renderSuggestion(state.q && !remembered ? response : {});
  const skip = renderPhrase(phrase);
  view.hits.replaceChildren(...response.hits.filter((h) => !skip.has(h.id)).map(hitItem));
  const byCursor = (sort === 'newest' || sort === 'oldest') && !state.collapse; // collapsed: pages, no cursor
  // A remembered sentence pages (and exports) its like= search: the list under "Quotes like this".
  const listed = remembered ? derive(state, (c) => { c.like = c.q; c.q = ''; }) : shown;
  paging = { signal, state: listed, byCursor, cursor: response.next_cursor, page: 1, total: response.groups ?? response.total, shown: response.hits.length, loading: false, skip, remembered };
  updateMore();
}

// A query of more than six words without operators is most likely a sentence remembered more or less
// exactly: the quotes with it as an exact phrase come first, then "Quotes like this" (like=), both with the
// same filters and order. The count, facets, timeline and paging follow the like= search: it holds every
// quote with the phrase (such a quote holds all the text's words), so they describe everything listed.
async function searchRemembered(params, signal) {
  const likeParams = new URLSearchParams(params);
  likeParams.delete('q');
  likeParams.set('like', state.q);
  const phraseParams = searchParams(derive(state, (c) => { c.q = phraseOf(c.q); }));
  phraseParams.set('per_page', PHRASE_HITS);
  const [like, phrase] = await Promise.allSettled([api.search(likeParams, signal), api.search(phraseParams, signal)]);
  if (like.status === 'rejected') throw like.reason;
  // The phrase is only a first guess: if searchd refuses it (too long once quoted), like= alone answers.
  return { response: like.value, phrase: phrase.status === 'fulfilled' ? phrase.value : { hits: [], total: 0 } };
}

// The exact-phrase section of a remembered sentence (hidden otherwise); returns the ids it lists, which the
// like= list below leaves out.
function renderPhrase(phrase) {
  view.phrase.hidden = !phrase;
  view.likeHeading.hidden = !phrase;
  view.likeNone.hidden = true;
  view.phraseHits.replaceChildren();
  view.phraseNote.replaceChildren();
  if (!phrase) return new Set();
  view.phraseHeading.textContent = phrase.total
    ? `With the exact phrase: ${formatCount(phrase.total)} ${phrase.total === 1 ? 'quote' : 'quotes'}` : 'With the exact phrase';
  view.phraseHits.append(...phrase.hits.map(hitItem));
  if (!phrase.total) view.phraseNote.append('No quote has these words as an exact phrase.');
  if (phrase.total > phrase.hits.length) {
    const all = derive(state, (c) => { c.q = phraseOf(c.q); });
    view.phraseNote.append(el('a', { href: toURL(all) }, `All ${formatCount(phrase.total)} quotes with the exact phrase`));
  }
  return new Set(phrase.hits.map((h) => h.id));
}

const hitItem = (hit) => el('li', {}, quoteCard(hit, cardOptions()));

// "Did you mean …?" under the count; or, when the typed query found nothing, a note that these are the
// correction's results (filters and the timeline then refine the correction; Back returns to what was typed).
// Text nodes only: q is never parsed as HTML.
function renderSuggestion(response) {
  const box = view.suggestion;
  box.replaceChildren();
  box.hidden = !response.suggestion;
  if (!response.suggestion) return;
  const corrected = derive(state, (c) => { c.q = response.suggestion; });
  const link = el('a', { href: toURL(corrected), class: 'suggestion-link', 'data-focus-key': 'suggestion',
    onclick: (event) => { event.preventDefault(); navigate(corrected, { focusKey: 'heading' }); } }, response.suggestion);
  if (response.corrected) {
    box.append(`No quotes match “${state.q}”. Showing results for `, link, '.');
  } else {
    box.append('Did you mean ', link, '?');
  }
}

function updateMore() {
  const more = paging.byCursor ? Boolean(paging.cursor) : paging.shown < paging.total && (paging.page + 1) * PER_PAGE <= 10000;
  paging.done = !more;
  view.more.hidden = !more;
  view.likeNone.hidden = !(paging.remembered && paging.done && !view.hits.childElementCount);
}

async function loadMore() {
  if (!paging || paging.loading || paging.done || paging.signal.aborted) return;
  paging.loading = true;
  const params = searchParams(paging.state);
  params.set('per_page', PER_PAGE);
  if (paging.byCursor) params.set('cursor', paging.cursor);
  else params.set('page', paging.page + 1);
  const current = paging;
  try {
    const response = await api.search(params, current.signal);
    current.page += 1;
    current.cursor = response.next_cursor;
    current.shown += response.hits.length;
    if (!response.hits.length) {
      current.cursor = null;
      current.total = current.shown;
    }
    remember(null, response.hits);
    view.hits.append(...response.hits.filter((h) => !current.skip.has(h.id)).map(hitItem));
    updateMore();
  } catch (error) {
    if (error.name !== 'AbortError') view.count.textContent = error.message;
  } finally {
    current.loading = false;
  }
}

// ---- the query box ----------------------------------------------------------------------------------

function showQueryError(error) {
  const where = error.position ? ` (at character ${error.position})` : '';
  queryError.textContent = error.message.includes('at character') ? error.message : error.message + where;
  queryError.hidden = false;
  input.setAttribute('aria-invalid', 'true');
}

function hideQueryError() {
  queryError.hidden = true;
  input.removeAttribute('aria-invalid');
}

function searchFor(text, replace) {
  // The text of a like= search, left as it is in the box, stays that search; edited, it is a query.
  if (state.like && text === state.like) return navigate(state, { replace: true });
  navigate(derive(state, (c) => { c.q = text; c.like = ''; c.sort = c.sort === 'relevance' && !text ? '' : c.sort; }), { replace });
}

input.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    typingTimer = null;
    searchFor(input.value.trim(), typingPushed);
    typingPushed = true;
  }, TYPING_DELAY_MS);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  typingTimer = null;
  searchFor(input.value.trim(), typingPushed && input.value.trim() === state.q);
  typingPushed = false;
});

// ---- links and history ------------------------------------------------------------------------------

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !PAGE_PATH.test(url.pathname)) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return; // in-page link
  event.preventDefault();
  typingPushed = false;
  if (url.pathname + url.search !== location.pathname + location.search) history.pushState(null, '', url.pathname + url.search);
  window.scrollTo(0, 0);
  show(parseLocation(location), { focusKey: 'heading' });
});

window.addEventListener('popstate', () => {
  typingPushed = false;
  show(parseLocation(location), { focusKey: 'heading' });
});

document.querySelector('#cite-dialog .close').addEventListener('click', () => document.getElementById('cite-dialog').close());

show(state);
