import rrule from 'rrule';
import { Invalid } from '../../lib/errors.ts';

const { RRule } = rrule;
type RRuleT = InstanceType<typeof RRule>;

/** The RRULE parts a series may use (RFC 5545 §3.3.10); DTSTART comes from the task's due date. */
const ALLOWED_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYSETPOS',
  'BYHOUR',
  'BYMINUTE',
  'WKST',
]);
const FREQS = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY']);
const MIN_GAP_MS = 60 * 60 * 1000;
export const MAX_COUNT = 1000;
/** How many occurrences are checked for spacing, and how far ahead a first one is looked for. */
const PROBE = 60;
const HORIZON_YEARS = 5;

function bad(message: string): never {
  throw new Invalid(`The recurrence rule is not valid: ${message}`, [{ path: 'body.recurrence.rrule', message }]);
}

function checkRange(name: string, v: number | number[] | null | undefined, min: number, max: number, signed = true) {
  for (const n of v === null || v === undefined ? [] : [v].flat()) {
    const a = signed ? Math.abs(n) : n;
    if (!Number.isInteger(n) || a < min || a > max)
      bad(`${name} values must be ${signed ? `±${min}…${max}` : `${min}…${max}`}`);
  }
}

/**
 * Checks an RRULE and returns it normalised (upper case, without the `RRULE:` prefix). Clear 400s for
 * what cannot be parsed, rules that never occur after `dtstart`, and rules more frequent than hourly.
 */
export function normaliseRule(input: string, dtstart: Date): string {
  let s = input.trim();
  if (/[\r\n]/.test(s)) bad('give one RRULE line, e.g. FREQ=WEEKLY;BYDAY=MO (no DTSTART: the due date is the start)');
  if (/^RRULE:/i.test(s)) s = s.slice(6);
  s = s.toUpperCase();
  const parts = s.split(';').filter((p) => p !== '');
  if (parts.length === 0) bad('it is empty');
  const seen = new Set<string>();
  for (const p of parts) {
    const m = /^([A-Z]+)=([A-Z0-9,+\-T]+)$/.exec(p);
    if (!m?.[1]) bad(`"${p.slice(0, 40)}" is not NAME=VALUE`);
    const name = m[1];
    if (!ALLOWED_PARTS.has(name)) bad(`${name} is not supported (use ${[...ALLOWED_PARTS].join(', ')})`);
    if (seen.has(name)) bad(`${name} is given twice`);
    seen.add(name);
  }
  const freq = /(?:^|;)FREQ=([A-Z]+)/.exec(s)?.[1];
  if (!freq) bad('FREQ is required, e.g. FREQ=WEEKLY');
  if (!FREQS.has(freq))
    bad(
      freq === 'MINUTELY' || freq === 'SECONDLY'
        ? 'at most one occurrence per hour'
        : `FREQ must be one of ${[...FREQS].join(', ')}`,
    );
  if (seen.has('COUNT') && seen.has('UNTIL')) bad('give COUNT or UNTIL, not both');
  let first: Date[];
  try {
    const options = RRule.parseString(s);
    if (options.interval !== undefined && (!Number.isInteger(options.interval) || options.interval < 1))
      bad('INTERVAL must be a whole number of at least 1');
    if (options.count !== undefined && options.count !== null && (options.count < 1 || options.count > MAX_COUNT))
      bad(`COUNT must be between 1 and ${MAX_COUNT}`);
    if (Array.isArray(options.byweekday) && options.byweekday.some((d) => d === undefined || d === null))
      bad('BYDAY takes MO, TU, WE, TH, FR, SA, SU (optionally with a number, e.g. 1MO or -1FR)');
    checkRange('BYMONTHDAY', options.bymonthday, 1, 31);
    checkRange('BYMONTH', options.bymonth, 1, 12, false);
    checkRange('BYYEARDAY', options.byyearday, 1, 366);
    checkRange('BYWEEKNO', options.byweekno, 1, 53);
    checkRange('BYHOUR', options.byhour, 0, 23, false);
    checkRange('BYMINUTE', options.byminute, 0, 59, false);
    // Probe a bounded copy: an impossible rule (30 February) would otherwise be searched up to year 9999.
    const horizon = new Date(dtstart.getTime() + HORIZON_YEARS * 365.25 * 24 * 3600 * 1000);
    const until = options.until && options.until < horizon ? options.until : horizon;
    const probe = new RRule({ ...options, dtstart, until });
    first = probe.all((_d, i) => i < PROBE);
  } catch (e) {
    if (e instanceof Invalid) throw e;
    bad((e as Error).message || 'it cannot be parsed');
  }
  if (first.length === 0) bad(`it has no occurrence within ${HORIZON_YEARS} years of the due date`);
  for (let i = 1; i < first.length; i++) {
    const a = first[i - 1];
    const b = first[i];
    if (a && b && b.getTime() - a.getTime() < MIN_GAP_MS) bad('at most one occurrence per hour');
  }
  return RRule.optionsToString(RRule.parseString(s)).replace(/^RRULE:/, '');
}

export function ruleOf(rruleText: string, dtstart: string): RRuleT {
  return new RRule({ ...RRule.parseString(rruleText), dtstart: new Date(dtstart) });
}

/** The first occurrence strictly after `after` (inclusive when asked), or null when the rule has ended. */
export function occurrenceAfter(rruleText: string, dtstart: string, after: Date, inclusive = false): Date | null {
  return ruleOf(rruleText, dtstart).after(after, inclusive);
}

/**
 * The rest of a series after `after`, as an iCalendar DTSTART + RRULE, for the calendar feed: the rule
 * restarted at its next occurrence (COUNT reduced to what is left). Null when nothing is left.
 */
export function remainingRule(rruleText: string, dtstart: string, after: Date): { start: Date; rrule: string } | null {
  const options = RRule.parseString(rruleText);
  const rule = new RRule({ ...options, dtstart: new Date(dtstart) });
  const next = rule.after(after, false);
  if (!next) return null;
  if (options.count) {
    const left = rule.all().filter((d) => d.getTime() >= next.getTime()).length;
    if (left === 0) return null;
    options.count = left;
  }
  return { start: next, rrule: RRule.optionsToString(options).replace(/^RRULE:/, '') };
}
