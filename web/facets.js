// The facet sidebar: per field, checkboxes with exact counts (disjunctive: a field is counted with every
// filter but its own), the selected values first, "show more" with a type-ahead filter for long lists.
import { el, formatCount, languageName } from './render.js';
import { foldKey as fold } from './state.js';
import { FIELDS } from './fields.js';

/** The fields in the sidebar, in the field table's order, with their headings: the facets that filter
 *  (year and month are counted for the timeline instead). */
export const FACETS = FIELDS.filter((f) => f.facet && f.filter).map((f) => [f.name, f.label]);
/** Values shown before "show more"; the request asks for one more to know whether there are more. */
export const SHORT_LIST = 10;
/** Values fetched for an expanded field. */
export const LONG_LIST = 500;

function labelOf(field, entry) {
  if (field === 'lang') return languageName(entry.value);
  return entry.label || entry.value;
}

/** The sidebar for a /search response. options: state, total (of the response), expanded (Set of fields),
 *  typed (Map: what was typed in each type-ahead box, kept across renders), onToggle(field, value, checked),
 *  onExpand(field). */
export function renderFacets(container, facets, options) {
  const { state, expanded, typed } = options;
  container.replaceChildren(el('h2', { class: 'visually-hidden' }, 'Filters'));
  for (const [field, heading] of FACETS) {
    const entries = (facets && facets[field]) || [];
    const selected = state.filters[field] || [];
    if (!entries.length && !selected.length) continue;
    const byValue = new Map(entries.map((e) => [e.value, e]));
    // Selected values first (with their count when the list has them), then the others by count.
    // A lone selected value beyond the list counts exactly the results (every filter holds, its own too).
    const missing = (v) => ({ value: v, count: selected.length === 1 ? options.total : null });
    const list = [
      ...selected.map((v) => byValue.get(v) || findFolded(entries, v) || missing(v)),
      ...entries.filter((e) => !selected.includes(e.value) && !findFolded(selected.map((v) => ({ value: v })), e.value)),
    ];
    const isExpanded = expanded.has(field);
    const fieldset = el('fieldset', { class: 'facet', 'data-field': field }, el('legend', {}, heading));
    const ul = el('ul', { class: 'facet-values' });
    let filterBox = null;
    const shown = isExpanded ? list : list.slice(0, Math.max(SHORT_LIST, selected.length));
    for (const entry of shown) {
      const label = labelOf(field, entry);
      const id = `f-${field}-${cssSafe(entry.value)}`;
      const checked = selected.some((v) => fold(v) === fold(entry.value));
      const box = el('input', {
        type: 'checkbox', id, value: entry.value, checked,
        'data-focus-key': `facet:${field}:${entry.value}`,
        onchange: (event) => options.onToggle(field, entry.value, event.currentTarget.checked),
      });
      ul.append(el('li', { 'data-label': fold(label + ' ' + entry.value) },
        box,
        el('label', { for: id },
          el('span', { class: 'facet-name' }, label),
          el('span', { class: 'facet-count' }, entry.count === null ? '' : formatCount(entry.count)))));
    }
    if (isExpanded && list.length > SHORT_LIST) {
      filterBox = el('input', {
        type: 'search', class: 'facet-filter', 'aria-label': `Find a ${heading.toLowerCase()}`,
        placeholder: `Find a ${heading.toLowerCase()}…`, value: typed.get(field) || '', 'data-focus-key': `facet-filter:${field}`,
        oninput: (event) => {
          typed.set(field, event.currentTarget.value);
          applyFilter(ul, event.currentTarget.value);
        },
      });
      fieldset.append(filterBox);
      applyFilter(ul, typed.get(field) || '');
    }
    fieldset.append(ul);
    if (!isExpanded && list.length > shown.length) {
      fieldset.append(el('button', {
        type: 'button', class: 'link-button more', 'data-focus-key': `facet-more:${field}`,
        'aria-label': `Show more ${heading.toLowerCase()} values`, onclick: () => options.onExpand(field),
      }, 'Show more'));
    }
    container.append(fieldset);
  }
  if (!container.querySelector('fieldset')) container.append(el('p', { class: 'muted' }, 'No filters for these results.'));
}

// A selected value may be spelled differently from the facet's (the index folds case, accents and punctuation).
function findFolded(entries, value) {
  const key = fold(value);
  return entries.find((e) => fold(e.value) === key);
}

function applyFilter(ul, text) {
  const key = fold(text.trim());
  for (const li of ul.children) {
    const keep = !key || li.dataset.label.includes(key) || li.querySelector('input').checked;
    li.hidden = !keep;
  }
}

function cssSafe(value) {
  return Array.from(value).map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : '_' + c.codePointAt(0).toString(16))).join('');
}
