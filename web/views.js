// The pages besides search results: home ("last 24 hours"), the "by author / entity / country / tag /
// context" indexes, and a quote's permalink page.
import * as api from './api.js';
import { el, quoteCard, formatCount } from './render.js';
import { INDEX_PAGES } from './state.js';

const HOURS = 24;
const INDEX_TITLES = { tag: 'Quotes by tag', author: 'Quotes by author', country: 'Quotes by country', entity: 'Quotes by entity', context: 'Quotes by context' };
const INDEX_PATHS = Object.fromEntries(Object.entries(INDEX_PAGES).map(([path, field]) => [field, path]));

/** The heading every view starts with (focusable, to move focus to on navigation). */
export function heading(text, level = 'h1') {
  return el(level, { tabindex: -1, class: 'page-heading' }, text);
}

function failure(error) {
  return el('p', { class: 'error', role: 'alert' }, error.message);
}

/** Home: the quotes and the new contexts of the last 24 hours, as the archive's front page shows them. */
export async function renderHome(main, { signal, cardOptions }) {
  const latest = el('ol', { class: 'hits', 'aria-busy': 'true' });
  const contexts = el('ul', { class: 'contexts', 'aria-busy': 'true' });
  const latestCount = el('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading…');
  main.replaceChildren(
    el('div', { class: 'home' },
      el('section', { class: 'home-latest', 'aria-labelledby': 'latest-heading' },
        el('h1', { id: 'latest-heading', class: 'page-heading', tabindex: -1 }, 'Quotes in the last 24 hours'),
        latestCount, latest,
        el('p', {}, el('a', { href: '/?since=24h', class: 'view-all' }, 'View all quotes added in the last 24 hours'))),
      el('aside', { class: 'home-side' },
        el('section', { 'aria-labelledby': 'contexts-heading' },
          el('h2', { id: 'contexts-heading' }, 'New contexts in the last 24 hours'), contexts),
        el('nav', { 'aria-labelledby': 'browse-heading' },
          el('h2', { id: 'browse-heading' }, 'Browse'),
          el('ul', { class: 'browse' },
            ...['author', 'entity', 'country', 'tag', 'context'].map((f) =>
              el('li', {}, el('a', { href: '/' + INDEX_PATHS[f] }, INDEX_TITLES[f]))))))));
  const [quotes, news] = await Promise.allSettled([
    api.latest(new URLSearchParams({ hours: HOURS, per_page: 10 }), signal),
    api.latestContexts(HOURS, signal),
  ]);
  if (signal.aborted) return;
  latest.removeAttribute('aria-busy');
  contexts.removeAttribute('aria-busy');
  if (quotes.status === 'fulfilled') {
    const { hits, total } = quotes.value;
    latestCount.textContent = total ? `${formatCount(total)} quotes were added in the last 24 hours; the latest:` : 'No quotes were added in the last 24 hours.';
    latest.append(...hits.map((hit) => el('li', {}, quoteCard(hit, { ...cardOptions, published: true }))));
  } else {
    latestCount.replaceWith(failure(quotes.reason));
  }
  if (news.status === 'fulfilled') {
    const list = news.value.contexts || [];
    if (!list.length) contexts.append(el('li', { class: 'muted' }, 'No new contexts in the last 24 hours.'));
    for (const c of list) {
      contexts.append(el('li', {},
        el('a', { href: '/context/' + encodeURIComponent(c.id) }, c.title || c.id),
        el('span', { class: 'muted' }, ` · ${formatCount(c.quotes)} ${c.quotes === 1 ? 'quote' : 'quotes'}`)));
    }
  } else {
    contexts.append(el('li', {}, failure(news.reason)));
  }
}

/** An index page: the values of a field over the whole archive with their counts, most quoted first,
 *  and a box that narrows them by the start of a word (the API's prefix). */
export function renderIndex(main, state, { signal, onPrefix }) {
  const field = state.index;
  const list = el('ul', { class: 'index-list' });
  const status = el('p', { class: 'muted', 'aria-live': 'polite' });
  const box = el('input', {
    id: 'index-filter', type: 'search', value: state.prefix, autocomplete: 'off', 'data-focus-key': 'index-filter',
    placeholder: 'Type the start of a word…',
  });
  let timer = null;
  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => onPrefix(box.value.trim()), 200);
  });
  document.title = `${INDEX_TITLES[field]} — Dixit`;
  main.replaceChildren(el('section', { class: 'index-page' },
    heading(INDEX_TITLES[field]),
    el('label', { for: 'index-filter' }, 'Find'), ' ', box, status, list));
  load();

  async function load() {
    try {
      const response = await api.facetValues(field, state.prefix, 1000, signal);
      if (signal.aborted) return;
      const shown = response.values.length;
      status.textContent = `${formatCount(response.matched)} ${response.matched === 1 ? 'value' : 'values'}` +
        (shown < response.matched ? `, the ${formatCount(shown)} most quoted shown` : '');
      list.replaceChildren(...response.values.map((v) => el('li', {},
        el('a', { href: `/${field}/${encodeURIComponent(v.value)}` }, field === 'tag' ? '#' + v.value : v.label || v.value),
        ' ', el('span', { class: 'index-count' }, formatCount(v.count)))));
    } catch (error) {
      if (error.name !== 'AbortError') status.replaceWith(failure(error));
    }
  }
}

/** A quote's own page (its permalink): the whole quote, its links, its citation, its JSON. */
export async function renderQuote(main, id, { signal, cardOptions }) {
  const section = el('section', { class: 'quote-page', 'aria-busy': 'true' }, heading('Quote'));
  main.replaceChildren(section);
  try {
    const hit = await api.quote(id, signal);
    section.removeAttribute('aria-busy');
    section.firstChild.textContent = `Quote by ${(hit.author && hit.author.name) || 'unknown'}`;
    document.title = `${section.firstChild.textContent} — Dixit`;
    section.append(quoteCard(hit, { ...cardOptions, full: true, published: true }),
      el('p', { class: 'muted small' }, 'Added to the archive ', el('time', { datetime: hit.published_at }, hit.published_at || '?'),
        ' · ', el('a', { href: '/quotes/' + encodeURIComponent(hit.id) }, 'as JSON')));
  } catch (error) {
    if (error.name === 'AbortError') return;
    section.removeAttribute('aria-busy');
    section.append(error.status === 404 ? el('p', {}, 'There is no quote with this id. ', el('a', { href: '/' }, 'Back to the home page'), '.') : failure(error));
  }
}
