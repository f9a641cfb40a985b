import type { Kysely } from 'kysely';
import type { IncidentDomain, IncidentStatus } from '../../../shared/incidents/incidents.enums.ts';
import type { IncidentMetricGroup, IncidentMetrics } from '../../../shared/incidents/incidents.schemas.ts';
import { roleCan } from '../../../shared/permissions.ts';
import type { DB } from '../../db/schema.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { assertCan, assertOffice, type Ctx, visibleOfficeIds } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Invalid } from '../../lib/errors.ts';
import * as repo from './incidents.repository.ts';

/**
 * The incident dashboard's numbers: time to acknowledge, contain, notify HQ and close (median and p90,
 * minutes, paused time excluded) overall and by category, severity and month of the report.
 *
 * Bounded queries read only the dozen small columns needed (never narratives), a thousand rows at a
 * time, and the percentiles are computed here from the durations alone: the same code gives the same
 * numbers on SQLite and PostgreSQL, and a year of a busy office is never in memory as rows.
 */
export function json<T>(raw: string | null | undefined, fallback: T): T {
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

type DurationRow = Pick<
  IncidentRow,
  'reported_at' | 'acknowledged_at' | 'contained_at' | 'hq_notified_at' | 'closed_at' | 'paused_seconds' | 'pause_log'
> & { paused_since?: string | null };

export type Pause = [string, string];

/** The pauses (awaiting an external party) of an incident, the current one running until `nowIso`. */
export function pausesOf(r: { pause_log: string; paused_since?: string | null }, nowIso: string): Pause[] {
  const log = json<Pause[]>(r.pause_log, []);
  return r.paused_since ? [...log, [r.paused_since, nowIso]] : log;
}

/** Minutes from `start` to `end` without the time paused in between (null when it has not happened). */
export function activeMinutes(start: string, end: string | null, pauses: readonly Pause[]): number | null {
  if (!end) return null;
  const s = Date.parse(start);
  const e = Date.parse(end);
  let ms = e - s;
  for (const [pf, pt] of pauses) {
    const a = Math.max(s, Date.parse(pf));
    const b = Math.min(e, Date.parse(pt));
    if (b > a) ms -= b - a;
  }
  return Math.round((Math.max(0, ms) / 60_000) * 100) / 100;
}

/** The four derived durations of a row. */
export function durations(r: DurationRow, nowIso: string) {
  const pauses = r.paused_seconds > 0 || r.paused_since ? pausesOf(r, nowIso) : [];
  return {
    acknowledge: activeMinutes(r.reported_at, r.acknowledged_at, pauses),
    contain: activeMinutes(r.reported_at, r.contained_at, pauses),
    notifyHq: activeMinutes(r.reported_at, r.hq_notified_at, pauses),
    close: activeMinutes(r.reported_at, r.closed_at, pauses),
  };
}

const NAMES = ['acknowledge', 'contain', 'notifyHq', 'close'] as const;
type Name = (typeof NAMES)[number];
const MAX_DAYS = 3 * 366;
/** Rows read at a time: what is kept is only the four durations per incident, in the accumulators. */
const BATCH = 1000;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/** Median as the mean of the two middle values for an even count. */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  const v = n % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return v === undefined ? null : Math.round(v * 100) / 100;
}

class Acc {
  incidents = 0;
  readonly values: Record<Name, number[]> = { acknowledge: [], contain: [], notifyHq: [], close: [] };
  add(d: Record<Name, number | null>) {
    this.incidents++;
    for (const n of NAMES) {
      const v = d[n];
      if (v !== null) this.values[n].push(v);
    }
  }
  out(key: string): IncidentMetricGroup {
    const g = { key, incidents: this.incidents } as IncidentMetricGroup;
    for (const n of NAMES) {
      const s = this.values[n].sort((a, b) => a - b);
      g[n] = { count: s.length, medianMinutes: median(s), p90Minutes: percentile(s, 90) };
    }
    return g;
  }
}

function group(map: Map<string, Acc>, key: string): Acc {
  let a = map.get(key);
  if (!a) {
    a = new Acc();
    map.set(key, a);
  }
  return a;
}

export function createIncidentMetrics(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async compute(ctx: Ctx, q: { officeId?: string | undefined; from?: string | undefined; to?: string | undefined }) {
      assertCan(ctx, 'incident.read');
      if (q.officeId) assertOffice(ctx, q.officeId);
      const nowIso = isoNow(clock);
      const to = q.to ? repo.endOf(q.to) : nowIso;
      const from = q.from ? repo.startOf(q.from) : new Date(Date.parse(to) - 365 * 86_400_000).toISOString();
      if (from >= to)
        throw new Invalid('The period is empty: `from` must be before `to`.', [
          { path: 'query.from', message: 'must be before to' },
        ]);
      if (Date.parse(to) - Date.parse(from) > MAX_DAYS * 86_400_000)
        throw new Invalid('The period is too long: at most three years at a time.', [
          { path: 'query.from', message: 'at most three years before to' },
        ]);
      const a = ctx.actor;
      const viewer = {
        userId: a?.userId ?? null,
        officeIds: visibleOfficeIds(ctx),
        canRead: !a || roleCan(a.role, 'incident.read'),
      };
      const overall = new Acc();
      const byCategory = new Map<string, Acc>();
      const bySeverity = new Map<string, Acc>();
      const byMonth = new Map<string, Acc>();
      const byStatus = new Map<string, number>();
      const byDomain = new Map<string, number>();
      let after: { reportedAt: string; id: string } | null = null;
      for (;;) {
        const rows = await repo.metricRows(db, viewer, q.officeId, from, to, after, BATCH);
        for (const r of rows) {
          const d = durations(r, nowIso);
          overall.add(d);
          group(byCategory, r.category).add(d);
          group(bySeverity, r.severity === null ? 'unset' : String(r.severity)).add(d);
          group(byMonth, r.reported_at.slice(0, 7)).add(d);
          byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
          byDomain.set(r.domain, (byDomain.get(r.domain) ?? 0) + 1);
        }
        const last = rows[rows.length - 1];
        if (!last || rows.length < BATCH) break;
        after = { reportedAt: last.reported_at, id: last.id };
      }
      const sorted = (m: Map<string, Acc>) =>
        [...m.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => v.out(k));
      const result: IncidentMetrics = {
        from,
        to,
        officeId: q.officeId ?? null,
        overall: overall.out('all'),
        byCategory: sorted(byCategory),
        bySeverity: sorted(bySeverity),
        byMonth: sorted(byMonth),
        byStatus: [...byStatus.entries()].map(([status, count]) => ({ status: status as IncidentStatus, count })),
        byDomain: [...byDomain.entries()].map(([domain, count]) => ({ domain: domain as IncidentDomain, count })),
      };
      return result;
    },
  };
}
