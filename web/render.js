// Building the DOM from untrusted data: text always goes in as text (textContent, createTextNode); the
// only markup taken from the server is <mark> in highlights, which is parsed here, never given to innerHTML.
import { formatSaidOn, relativeTime } from './dates.js';
import { attributionText, provenanceControl } from './provenance.js';

/** An element with attributes (class, href, aria-*, data-*...; on* functions as listeners) and children
 *  (strings become text nodes; null and false are skipped). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with HTML character references resolved (&amp; &lt; &#39; &#x27; ...), as plain text. */
export function unescapeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Appends a server highlight ("escaped text <mark>match</mark> ...") as text nodes and <mark> elements. */
export function appendHighlighted(parent, highlighted) {
  let inMark = false;
  for (const part of highlighted.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part) parent.append(inMark ? el('mark', {}, unescapeEntities(part)) : document.createTextNode(unescapeEntities(part)));
  }
  return parent;
}

const languageNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;

/** "German" for "de", "Portuguese (Brazil)" for "pt-BR"; the tag itself if unknown. */
export function languageName(tag) {
  try {
    return (languageNames && languageNames.of(tag)) || tag;
  } catch {
    return tag;
  }
}

/** The quote's country names (the API's country_names, else the codes). */
function countryNames(hit) {
  return (hit.countries || []).map((code, i) => ({ code, name: (hit.country_names || [])[i] || code }));
}

/** A quote as an article: text (highlighted), author and role, date at its precision, links that filter
 *  by tag, country, entity and context, the source, a permalink, a citation button, "Find quotes like this",
 *  and how much of the text a like= search gave it holds ("87% match").
 *  options: filterHref(field, value) → URL; onCite(hit); likeHref(hit) → URL; full (show the whole text, not
 *  the snippet); published (show when it was added, for "the last 24 hours"). */
export function quoteCard(hit, options) {
  const { filterHref, onCite, likeHref } = options;
  const text = el('blockquote', { class: 'quote-text', lang: hit.language || null });
  const useSnippet = !options.full && hit.snippet;
  appendHighlighted(text, useSnippet ? hit.snippet : hit.highlight || escapeForHighlight(hit.text));
  const author = hit.author || {};
  const said = formatSaidOn(hit.said_on);
  const who = el('p', { class: 'who' },
    el('a', { class: 'author', href: filterHref('author', author.name) }, author.name),
    author.role && author.role !== author.name ? el('span', { class: 'role' }, ', ' + author.role) : null,
    said ? [' · ', el('span', { class: 'said', title: 'Said on' }, el('time', { datetime: hit.said_on }, said))] : null,
    options.published && hit.published_at ? [' · ', el('span', { class: 'added' }, 'added ' + relativeTime(hit.published_at))] : null,
    typeof hit.similarity === 'number' ? [' · ', el('span', {
      class: 'similarity', title: 'The share of the text’s words this quote holds, in order',
    }, formatShare(hit.similarity) + ' match')] : null);

  const chips = el('ul', { class: 'chips', 'aria-label': 'Filter by' });
  const chip = (field, value, label, kind) =>
    chips.append(el('li', { class: 'chip chip-' + kind }, el('a', { href: filterHref(field, value), title: `${kind}: ${label}` }, label)));
  for (const tag of hit.tags || []) chip('tag', tag, '#' + tag, 'tag');
  for (const { code, name } of countryNames(hit)) chip('country', code, name, 'country');
  for (const entity of hit.entities || []) chip('entity', entity, entity, 'entity');
  if (hit.context && hit.context.id) chip('context', hit.context.id, hit.context.title || hit.context.id, 'context');

  const source = hit.source || {};
  const actions = el('p', { class: 'actions' },
    el('a', { href: '/quote/' + encodeURIComponent(hit.id), class: 'permalink' }, 'Permalink'),
    source.url && safeUrl(source.url) ? el('a', { href: safeUrl(source.url), rel: 'noopener noreferrer nofollow', class: 'source' }, 'Source: ' + (source.name || hostOf(source.url)))
      : source.name ? el('span', { class: 'source' }, 'Source: ' + source.name) : null,
    el('button', { type: 'button', class: 'cite', onclick: () => onCite(hit) }, 'Cite'),
    likeHref && hit.text ? el('a', { href: likeHref(hit), class: 'like-link' }, 'Find quotes like this') : null);
  const provenance = provenanceControl(hit, { open: !!options.full });
  actions.append(provenance.button);
  const attribution = attributionText(hit.attribution);

  const article = el('article', { class: 'quote', 'data-id': hit.id }, text);
  if (useSnippet) {
    article.append(el('button', {
      type: 'button', class: 'link-button whole',
      onclick: (event) => {
        text.replaceChildren();
        appendHighlighted(text, hit.highlight || escapeForHighlight(hit.text));
        event.currentTarget.remove();
        text.focus();
      },
    }, 'Show the whole quote'));
    text.tabIndex = -1;
  }
  article.append(who, attribution ? el('p', { class: 'attribution small' }, attribution) : '',
    chips.childElementCount ? chips : '', actions, provenance.panel);
  return article;
}

// A stored text shown through the highlight path (no marks): escape the characters the parser reads.
function escapeForHighlight(text) {
  return (text || '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** The URL if it is http(s), else null (no javascript: links from the data). */
export function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function hostOf(url) {
  try { return new URL(url).host; } catch { return url; }
}

/** "87%" for 0.87 (a share from 0 to 1). */
export const formatShare = (share) => `${Math.round(Math.min(1, Math.max(0, share)) * 100)}%`;

/** "1,234". */
export const formatCount = (n) => new Intl.NumberFormat('en').format(n);
