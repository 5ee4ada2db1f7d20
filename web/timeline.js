// The timeline of the current results: a bar per year (or month, inside a range of three years or less)
// from the /search histogram. Clicking a bar shows that period; dragging across bars shows the range.
// Keyboard: the bars are one tab stop; arrows move, Enter picks, Shift+arrows extend a range.
import { el, formatCount } from './render.js';
import { periodLabel, monthsBetween } from './dates.js';

/** The histogram unit for a state: months when the date range spans three years or less. */
export function timelineUnit(state) {
  return monthsBetween(state.from, state.to) <= 36 ? 'month' : 'year';
}

// Adds the empty periods between the first and the last so that time reads evenly (if not too many).
function fillGaps(histogram, unit) {
  if (histogram.length < 2) return histogram;
  const counts = new Map(histogram.map((h) => [h.value, h.count]));
  const index = (v) => (unit === 'year' ? Number(v) : Number(v.slice(0, 4)) * 12 + Number(v.slice(5, 7)) - 1);
  const label = (i) => (unit === 'year' ? String(i).padStart(4, '0') : `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`);
  const first = index(histogram[0].value);
  const last = index(histogram[histogram.length - 1].value);
  if (last - first > 240) return histogram;
  const filled = [];
  for (let i = first; i <= last; i++) filled.push({ value: label(i), count: counts.get(label(i)) || 0 });
  return filled;
}

/** Draws the histogram into container; onRange(from, to) when a period or range is picked. */
export function renderTimeline(container, histogram, unit, onRange) {
  container.replaceChildren();
  const bars = fillGaps(histogram || [], unit);
  if (!bars.length) return;
  const max = Math.max(...bars.map((b) => b.count), 1);
  const heading = el('h2', { class: 'timeline-heading', id: 'timeline-heading' }, unit === 'year' ? 'When it was said, by year' : 'When it was said, by month');
  const row = el('div', { class: 'bars', role: 'group', 'aria-labelledby': 'timeline-heading', 'aria-describedby': 'timeline-help' });
  const buttons = bars.map((bar, i) => {
    const button = el('button', {
      type: 'button', class: 'bar' + (bar.count ? '' : ' empty'), 'data-value': bar.value, 'data-index': i,
      tabindex: i === bars.length - 1 ? 0 : -1, 'aria-label': `${periodLabel(bar.value)}: ${formatCount(bar.count)} quotes`,
      title: `${periodLabel(bar.value)}: ${formatCount(bar.count)}`,
    }, el('span', { class: 'fill' }));
    button.firstChild.style.height = `${Math.max(bar.count ? 4 : 0, (100 * bar.count) / max)}%`;
    return button;
  });
  row.append(...buttons);
  const axis = el('div', { class: 'axis', 'aria-hidden': 'true' },
    el('span', {}, periodLabel(bars[0].value)), el('span', {}, bars.length > 1 ? periodLabel(bars[bars.length - 1].value) : ''));
  const help = el('p', { id: 'timeline-help', class: 'muted small' }, 'Click a bar to show that period, or drag across bars for a range.');
  container.append(heading, row, axis, help);

  // Pointer: press on a bar, move over others, release; a press and release on one bar is a click.
  let anchor = null;
  let current = null;
  const mark = (a = anchor, b = current) =>
    buttons.forEach((button, i) => button.classList.toggle('picking', a !== null && i >= Math.min(a, b) && i <= Math.max(a, b)));
  const barAt = (event) => {
    const target = document.elementFromPoint(event.clientX, event.clientY);
    const bar = target && target.closest('.bar');
    return bar && row.contains(bar) ? Number(bar.dataset.index) : null;
  };
  const commit = (a, b) => onRange(bars[Math.min(a, b)].value, bars[Math.max(a, b)].value);
  row.addEventListener('pointerdown', (event) => {
    const i = barAt(event);
    if (i === null || event.button !== 0) return;
    anchor = current = i;
    mark();
    event.preventDefault();
  });
  row.addEventListener('pointermove', (event) => {
    if (anchor === null) return;
    const i = barAt(event);
    if (i !== null && i !== current) { current = i; mark(); }
  });
  const finish = () => {
    if (anchor === null) return;
    const [a, b] = [anchor, current];
    anchor = current = null;
    mark();
    commit(a, b);
  };
  row.addEventListener('pointerup', finish);
  row.addEventListener('pointerleave', () => { if (anchor !== null) finish(); });

  // Keyboard: roving focus over the bars.
  let keyAnchor = null;
  row.addEventListener('keydown', (event) => {
    const i = Number(document.activeElement.dataset.index);
    if (Number.isNaN(i)) return;
    let next = i;
    if (event.key === 'ArrowLeft') next = Math.max(0, i - 1);
    else if (event.key === 'ArrowRight') next = Math.min(bars.length - 1, i + 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = bars.length - 1;
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      commit(keyAnchor ?? i, i);
      return;
    } else return;
    event.preventDefault();
    if (event.shiftKey) { if (keyAnchor === null) keyAnchor = i; } else keyAnchor = null;
    buttons[i].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
    mark(keyAnchor, next);
  });
}
