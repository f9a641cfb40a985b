const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const formatters = new Map<string, Intl.RelativeTimeFormat>();

/** "3 minutes ago", "yesterday", "il y a 2 heures": how long ago a timestamp was, in the UI language. */
export function timeAgo(iso: string, language: string, now: number = Date.now()): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  let rtf = formatters.get(language);
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    formatters.set(language, rtf);
  }
  const seconds = Math.round((at - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(0, 'second');
}
