/** The metrics answer as the charts use it: rows per group, durations in seconds. */

export const METRIC_NAMES = ['acknowledge', 'contain', 'notifyHq', 'close'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export const GROUPS = ['category', 'severity', 'month'] as const;
export type GroupBy = (typeof GROUPS)[number];

export interface Stat {
  median: number | null;
  p90: number | null;
}
export interface MetricRow {
  key: string;
  count: number;
  stats: Record<MetricName, Stat>;
}

/** Other names the server may give each metric (the field names are the metric's, in any of these forms). */
const ALIASES: Record<MetricName, string[]> = {
  acknowledge: ['acknowledge', 'timeToAcknowledge', 'toAcknowledge', 'ack'],
  contain: ['contain', 'timeToContain', 'toContain'],
  notifyHq: ['notifyHq', 'timeToNotifyHq', 'toNotifyHq', 'hqNotify', 'notify_hq'],
  close: ['close', 'timeToClose', 'toClose'],
};

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Seconds from a stat given in seconds (`median`, `medianSeconds`), minutes or hours. */
function statOf(v: unknown): Stat {
  if (!v || typeof v !== 'object') return { median: null, p90: null };
  const o = v as Record<string, unknown>;
  const pick = (base: 'median' | 'p90'): number | null => {
    const s = num(o[base]) ?? num(o[`${base}Seconds`]);
    if (s !== null) return s;
    const m = num(o[`${base}Minutes`]);
    if (m !== null) return m * 60;
    const h = num(o[`${base}Hours`]);
    return h !== null ? h * 3600 : null;
  };
  return { median: pick('median'), p90: pick('p90') };
}

function rowOf(raw: unknown, group: GroupBy): MetricRow | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const key = o.key ?? o[group] ?? o.value ?? o.label;
  if (key === undefined || key === null) return undefined;
  const metrics = (o.metrics && typeof o.metrics === 'object' ? o.metrics : o) as Record<string, unknown>;
  const stats = {} as Record<MetricName, Stat>;
  for (const m of METRIC_NAMES) {
    const found = ALIASES[m].map((a) => metrics[a]).find((x) => x !== undefined);
    stats[m] = statOf(found);
  }
  return { key: String(key), count: num(o.incidents) ?? num(o.count) ?? num(o.total) ?? 0, stats };
}

/** The metrics answer as rows per group, whatever exact shape the server uses for the groups. */
export function normaliseMetrics(data: unknown): Record<GroupBy, MetricRow[]> {
  const out: Record<GroupBy, MetricRow[]> = { category: [], severity: [], month: [] };
  if (!data || typeof data !== 'object') return out;
  const d = data as Record<string, unknown>;
  const names: Record<GroupBy, string[]> = {
    category: ['byCategory', 'categories', 'category'],
    severity: ['bySeverity', 'severities', 'severity'],
    month: ['byMonth', 'months', 'month'],
  };
  for (const g of GROUPS) {
    const list = names[g]
      .map((n) => d[n] ?? (d.groups as Record<string, unknown> | undefined)?.[n])
      .find(Array.isArray);
    if (Array.isArray(list)) out[g] = list.map((r) => rowOf(r, g)).filter((r): r is MetricRow => r !== undefined);
  }
  return out;
}

export function overallOf(data: unknown): MetricRow | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const raw = d.overall ?? d.total ?? d.all ?? d.summary;
  if (!raw || typeof raw !== 'object') return undefined;
  return rowOf({ key: 'all', ...(raw as object) }, 'category');
}

/** 90 s → "1.5 min"; 5400 s → "1.5 h"; 2 days → "2.0 d". */
export function formatDuration(
  seconds: number | null,
  t: (
    k: 'incidents.metrics.unit.min' | 'incidents.metrics.unit.h' | 'incidents.metrics.unit.d',
    o: { n: string },
  ) => string,
): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return t('incidents.metrics.unit.min', { n: seconds < 60 ? '<1' : (seconds / 60).toFixed(0) });
  if (seconds < 2 * 86_400) return t('incidents.metrics.unit.h', { n: (seconds / 3600).toFixed(1) });
  return t('incidents.metrics.unit.d', { n: (seconds / 86_400).toFixed(1) });
}
