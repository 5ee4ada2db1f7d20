// "Who said it first": a quote's variants (GET /quotes/{id}/variants) and its provenance (GET
// /provenance?id=), shown in a panel under the quote, fetched when the reader opens it.
import * as api from './api.js';
import { el, appendHighlighted, formatShare, formatCount } from './render.js';
import { formatSaidOn } from './dates.js';

/** "Bernie Sanders, Joe Biden and Mitch McConnell". */
const joined = (names) => names.length <= 1 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];

/** The sentence of an attribution: "Attributed with 62% confidence; also: Joe Biden (30%)". */
export function attributionText(attribution) {
  if (!attribution) return '';
  const others = (attribution.others || []).slice(0, 3).map((o) => `${o.name} (${formatShare(o.confidence)})`);
  if (typeof attribution.confidence === 'number')
    return `Attributed with ${formatShare(attribution.confidence)} confidence` + (others.length ? `; also: ${others.join(', ')}` : '');
  return others.length ? `Speaker unknown; candidates: ${others.join(', ')}` : '';
}

/** "First said by X on DATE; also attributed to Y and Z." from a /provenance answer. */
export function provenanceSentence(p) {
  if (!p.first || !p.speakers.length) return 'No attestation found.';
  const first = p.speakers[0];
  const when = first.first_said ? ' on ' + (formatSaidOn(first.first_said) || first.first_said) : '';
  const also = p.speakers.slice(1).map((s) => s.name);
  return `First said by ${first.name}${when}` + (also.length ? `; also attributed to ${joined(also)}.` : '.');
}

function variantItem(v) {
  const text = el('blockquote', { class: 'quote-text variant-text', lang: v.language || null });
  appendHighlighted(text, v.highlight || '');
  const said = formatSaidOn(v.said_on);
  return el('li', { class: 'variant' }, text,
    el('p', { class: 'who small' },
      el('a', { href: '/quote/' + encodeURIComponent(v.id) }, (v.author && v.author.name) || '?'),
      said ? ' · ' + said : '',
      ` · ${formatShare(v.similarity)} the same`,
      v.removed && v.removed.length ? [' · ', el('span', { class: 'removed' }, 'lacks: ', el('del', {}, v.removed.join(' ')))] : null));
}

/** The panel's content for one quote id. */
async function fill(panel, id) {
  panel.replaceChildren(el('p', { class: 'muted' }, 'Looking for the first attestation…'));
  panel.setAttribute('aria-busy', 'true');
  try {
    const [p, v] = await Promise.all([
      api.getJSON('/provenance', new URLSearchParams({ id })),
      api.getJSON('/quotes/' + encodeURIComponent(id) + '/variants'),
    ]);
    const children = [el('p', { class: 'provenance-sentence' }, provenanceSentence(p))];
    if (p.disputed) children.push(el('p', { class: 'disputed' }, `Attributed to ${p.attributions} speakers.`));
    if (v.variants.length) {
      children.push(el('h3', { class: 'small' }, `${formatCount(v.variants.length)} variant${v.variants.length === 1 ? '' : 's'} (added words marked)`),
        el('ol', { class: 'variants' }, v.variants.map(variantItem)));
    } else {
      children.push(el('p', { class: 'muted small' }, 'No other reports of these words.'));
    }
    panel.replaceChildren(...children);
  } catch (error) {
    panel.replaceChildren(el('p', { class: 'error' }, 'Could not load: ' + error.message));
  }
  panel.removeAttribute('aria-busy');
}

/** A button that opens the panel under a quote ("N variants · who said it first"), and the panel. With
 *  open the panel is filled at once (the quote's own page). */
export function provenanceControl(hit, { open = false } = {}) {
  const panel = el('div', { class: 'provenance', id: 'provenance-' + encodeURIComponent(hit.id), hidden: !open, 'aria-live': 'polite' });
  const count = typeof hit.variants === 'number' && hit.variants > 0 ? `${formatCount(hit.variants)} variant${hit.variants === 1 ? '' : 's'} · ` : '';
  let loaded = false;
  const button = el('button', {
    type: 'button', class: 'link-button provenance-toggle', 'aria-expanded': String(open), 'aria-controls': panel.id,
    onclick: () => {
      const show = panel.hidden;
      panel.hidden = !show;
      button.setAttribute('aria-expanded', String(show));
      if (show && !loaded) { loaded = true; fill(panel, hit.id); }
    },
  }, count + 'Who said it first?');
  if (open) { loaded = true; fill(panel, hit.id); }
  return { button, panel };
}
