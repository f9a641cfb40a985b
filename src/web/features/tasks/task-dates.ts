/** Wall-clock dates in an office's time zone ↔ UTC instants, with Intl only. */

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallOf(ms: number, timeZone: string): Wall & { second: number } {
  const out: Record<string, number> = {};
  for (const p of partsFormat(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallOf(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

function safeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    partsFormat(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** `2026-03-01` + `17:00` in `Asia/Tbilisi` → ISO UTC; undefined when the inputs are not a date/time. */
export function zonedToIso(date: string, time: string, timeZone: string | undefined): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time || '00:00');
  if (!d || !t) return undefined;
  const zone = safeZone(timeZone);
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wall)) return undefined;
  // Two rounds settle the offset around DST changes.
  let ms = wall - offsetAt(wall, zone);
  ms = wall - offsetAt(ms, zone);
  return new Date(ms).toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as the wall date (`YYYY-MM-DD`) and time (`HH:mm`) of a zone, for date/time inputs. */
export function isoToZoned(
  iso: string | null | undefined,
  timeZone: string | undefined,
): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return { date: '', time: '' };
  const w = wallOf(ms, safeZone(timeZone));
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** Today's date in a zone plus some days, as `YYYY-MM-DD`. */
export function zonedDatePlus(days: number, timeZone: string | undefined, now = Date.now()): string {
  return isoToZoned(new Date(now + days * 86_400_000).toISOString(), timeZone).date;
}
