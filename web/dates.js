// Dates as journalists read them: said_on at its precision, published_at relative to now.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

/** The parts of a partial date "2025", "2025-02", "2025-02-14": {year, month (1-12)?, day?}. */
export function dateParts(text) {
  const m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text || '');
  if (!m) return null;
  return { year: m[1], month: m[2] ? Number(m[2]) : 0, day: m[3] ? Number(m[3]) : 0 };
}

/** "2025", "Feb 2025" or "14 Feb 2025"; "" for no date. */
export function formatSaidOn(text) {
  const d = dateParts(text);
  if (!d) return text || '';
  if (!d.month) return d.year;
  if (!d.day) return `${MONTHS[d.month - 1]} ${d.year}`;
  return `${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
}

/** "2025", "2025, February" or "2025, February 14" (APA), or the long forms for MLA and Chicago. */
export function longDate(text, style) {
  const d = dateParts(text);
  if (!d) return '';
  const month = d.month ? MONTHS_LONG[d.month - 1] : '';
  if (style === 'apa') return [d.year, [month, d.day || ''].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  if (style === 'mla') return [d.day || '', d.month ? MONTHS[d.month - 1] + (d.month === 5 ? '' : '.') : '', d.year].filter(Boolean).join(' ');
  return d.day ? `${month} ${d.day}, ${d.year}` : [month, d.year].filter(Boolean).join(' ');
}

/** A histogram bucket's label: "2024" or "Nov 2024". */
export function periodLabel(value) {
  return formatSaidOn(value);
}

/** "5 minutes ago", "21 hours ago", "3 days ago". */
export function relativeTime(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, 'second');
}

/** The number of months from the start of one partial date to the end of another ("2024", "2024-11"),
 *  to choose the timeline's unit; Infinity when either is missing. */
export function monthsBetween(from, to) {
  const a = dateParts(from);
  const b = dateParts(to);
  if (!a || !b) return Infinity;
  return (Number(b.year) - Number(a.year)) * 12 + ((b.month || 12) - (a.month || 1)) + 1;
}
