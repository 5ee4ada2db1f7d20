// Citations of a quote in APA, MLA and Chicago style, and copying them (clipboard, or select-and-copy).
import { longDate } from './dates.js';
import { el } from './render.js';

/** The address a citation points to: the quote's source URL, else its permalink on this server. */
export function citationUrl(hit) {
  const url = hit.source && hit.source.url;
  return /^https?:\/\//i.test(url || '') ? url : `${location.origin}/quote/${encodeURIComponent(hit.id)}`;
}

// "Marco Rubio" → {family: "Rubio", given: "Marco"}; names that are not "Given [Middle] Family" (an
// organisation, a description such as "Spokesman for ...", a one-word name) stay whole.
function splitName(name) {
  const words = (name || '').trim().split(/\s+/);
  const capitalised = words.every((w) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w));
  if (words.length < 2 || words.length > 3 || !capitalised) return null;
  return { family: words[words.length - 1], given: words.slice(0, -1) };
}

const initials = (given) => given.map((g) => g[0] + '.').join(' ');
const sentence = (text) => (/[.!?…]$/.test(text) ? text : text + '.');
const clean = (text) => (text || '').replace(/\s+/g, ' ').trim();

/** {apa, mla, chicago}: one line each, plain text. */
export function citations(hit) {
  const author = (hit.author && hit.author.name) || 'Unknown';
  const role = hit.author && hit.author.role;
  const name = splitName(author);
  const text = clean(hit.text);
  const source = clean((hit.source && hit.source.name) || location.host);
  const url = citationUrl(hit);
  const apaDate = longDate(hit.said_on, 'apa') || 'n.d.';
  const apa = `${name ? `${name.family}, ${initials(name.given)}` : author} (${apaDate}). ${sentence(`“${text}”`)} [Quote${role ? `; ${role}` : ''}]. ${source}. ${url}`;
  const mlaDate = longDate(hit.said_on, 'mla');
  const mla = `${name ? `${name.family}, ${name.given.join(' ')}` : author}. “${sentence(text)}” ${source}${mlaDate ? ', ' + mlaDate : ''}, ${url.replace(/^https?:\/\//, '')}.`;
  const chicagoDate = longDate(hit.said_on, 'chicago');
  const chicago = `${author}${role ? `, ${role}` : ''}, “${text},” ${source}${chicagoDate ? ', ' + chicagoDate : ''}, ${url}.`;
  return { apa, mla, chicago };
}

/** Puts text on the clipboard; falls back to selecting it in the given field and execCommand('copy'). */
export async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.focus();
    field.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** Opens the citation dialog for a quote: the three styles, each with a copy button. */
export function openCitationDialog(hit) {
  const dialog = document.getElementById('cite-dialog');
  const body = dialog.querySelector('.cite-body');
  const status = dialog.querySelector('.cite-status');
  status.textContent = '';
  body.replaceChildren();
  const styles = citations(hit);
  for (const [key, label] of [['apa', 'APA'], ['mla', 'MLA'], ['chicago', 'Chicago']]) {
    const id = `cite-${key}`;
    const field = el('textarea', { id, readonly: true, rows: 4, class: 'cite-text' });
    field.value = styles[key];
    body.append(el('div', { class: 'cite-style' },
      el('label', { for: id }, label),
      field,
      el('button', {
        type: 'button', class: 'copy', 'data-style': key,
        onclick: async () => {
          const ok = await copyText(styles[key], field);
          status.textContent = ok ? `${label} citation copied.` : `Select the ${label} text and copy it (Ctrl+C).`;
        },
      }, `Copy ${label}`)));
  }
  if (!dialog.open) dialog.showModal();
  body.querySelector('button').focus();
}
