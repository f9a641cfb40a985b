/** Formatting helpers built on Intl only: no network, no locale data to download. */

const NON_ISO_REGIONS = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

const displayNamesCache = new Map<string, Intl.DisplayNames>();
function regionNames(language: string): Intl.DisplayNames {
  let names = displayNamesCache.get(language);
  if (!names) {
    names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    displayNamesCache.set(language, names);
  }
  return names;
}

export function countryName(code: string, language: string): string {
  try {
    return regionNames(language).of(code) ?? code;
  } catch {
    return code;
  }
}

export interface Option {
  value: string;
  label: string;
}

const countryOptionsCache = new Map<string, Option[]>();
/** Every ISO 3166-1 alpha-2 country the browser can name, labelled in the given language. */
export function countryOptions(language: string): Option[] {
  const cached = countryOptionsCache.get(language);
  if (cached) return cached;
  const names = regionNames(language);
  const out: Option[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NON_ISO_REGIONS.has(code)) continue;
      const name = names.of(code);
      if (name && name !== code) out.push({ value: code, label: `${name} (${code})` });
    }
  }
  out.sort((x, y) => x.label.localeCompare(y.label, language));
  countryOptionsCache.set(language, out);
  return out;
}

let timeZoneCache: string[] | undefined;
/** IANA time zones known to the browser (Area/City form, plus UTC). */
export function timeZones(): string[] {
  if (!timeZoneCache) {
    let zones: string[] = [];
    try {
      zones = Intl.supportedValuesOf('timeZone').filter((z) => z.includes('/'));
    } catch {
      zones = [];
    }
    timeZoneCache = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  }
  return timeZoneCache;
}

/** The browser's own time zone, if it is a named IANA zone. */
export function browserTimeZone(): string | undefined {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && (tz.includes('/') || tz === 'UTC') ? tz : undefined;
  } catch {
    return undefined;
  }
}

/** e.g. "14:05 GMT+4" for a zone; the caller shows the IANA name next to it. */
export function formatTimeInZone(date: Date, timeZone: string, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

/** A stored UTC timestamp shown in a zone (the user's by default), with the zone's abbreviation. */
export function formatDateTime(iso: string, language: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(language, {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return iso;
  }
}

export function formatDate(iso: string, language: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(language, { timeZone, dateStyle: 'medium' }).format(date);
  } catch {
    return iso;
  }
}
