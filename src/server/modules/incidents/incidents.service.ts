import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { IncidentStatus } from '../../../shared/incidents/incidents.enums.ts';
import { TERMINAL_INCIDENT_STATUSES } from '../../../shared/incidents/incidents.enums.ts';
import {
  type AffectedAsset,
  type Impacts,
  INCIDENT_TRANSITIONS,
  type Incident,
  IncidentAccessBody,
  type IncidentAccessList,
  IncidentCreateBody,
  type IncidentListFilter,
  type IncidentPerson,
  IncidentPersonCreateBody,
  IncidentPersonUpdateBody,
  IncidentReviewBody,
  type IncidentSummary,
  IncidentTransitionBody,
  IncidentUpdateBody,
  isTerminalStatus,
  type Observable,
  QuickReportBody,
} from '../../../shared/incidents/incidents.schemas.ts';
import { CROSS_OFFICE_ROLES, type Permission, type Role, roleCan } from '../../../shared/permissions.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { IncidentPersonsTable, IncidentRow } from '../../db/tables/incidents.ts';
import { assertCan, assertOffice, type Ctx, canSeeOffice, visibleOfficeIds } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { AppError, Forbidden, Invalid, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/pagination.ts';
import type { LinkedRecord, NotificationRequest, Notifier, SearchDoc, SearchIndexer } from '../../lib/ports.ts';
import { clip } from '../../lib/unicode.ts';
import { type AuditService, diff } from '../audit/audit.service.ts';
import { createIncidentAccess } from './incidents.access.ts';
import { createIncidentCategories } from './incidents.categories.ts';
import { createIncidentMetrics, durations, json, type Pause } from './incidents.metrics.ts';
import type { IncidentAccess, IncidentListener } from './incidents.ports.ts';
import * as repo from './incidents.repository.ts';

/** A request that is well-formed but not possible now (a refused workflow move): 422. */
export class IncidentUnprocessable extends AppError {
  readonly status = 422;
  readonly type: string = 'unprocessable';
  readonly title: string = 'Not possible now';
}

const OPEN_STATUSES = (
  [
    'reported',
    'triaged',
    'investigating',
    'contained',
    'awaiting_external',
    'resolved',
  ] as const satisfies readonly IncidentStatus[]
).slice();

/** What a notification about a sensitive incident says instead of its title. */
export const SENSITIVE_TITLE = 'Sensitive incident / Incident sensible';

function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'The incident'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new Invalid(
    `${what} is not valid.`,
    r.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message, code: i.code })),
  );
}

function utc(iso: string | null | undefined, path: string): string | null {
  if (iso === null || iso === undefined) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 2999)
    throw new Invalid('A date is out of range.', [{ path, message: 'must be between 1970 and 2999' }]);
  return d.toISOString();
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * A notification's parameters for an incident. A sensitive incident's title is never among them: the
 * `sensitive` flag makes the templates say "Sensitive incident" / "Incident sensible" in the reader's
 * language.
 */
export function incidentParams(r: IncidentRow, ctx: Ctx): Record<string, string | number | null> {
  return {
    reference: r.reference,
    title: r.sensitive === 1 ? null : r.title,
    ...(r.sensitive === 1 ? { sensitive: 1 } : {}),
    severity: r.severity,
    actor: ctx.actor?.displayName ?? 'Outpost',
  };
}

type ListQuery = IncidentListFilter & { sort: string; cursor?: string | undefined; limit: number };

export type IncidentService = ReturnType<typeof createIncidentService>;

export function createIncidentService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  notifier: Notifier;
  searchIndexer: SearchIndexer;
  /** The office's security officers (they are told of new reports). */
  responsibleFor: (ex: Executor, officeId: string) => Promise<string[]>;
  access?: IncidentAccess;
}) {
  const { db, clock, audit, notifier, searchIndexer } = deps;
  const access = deps.access ?? createIncidentAccess();
  const categories = createIncidentCategories({ db, clock, audit });
  const listeners: IncidentListener[] = [];
  const now = () => isoNow(clock);

  function canWrite(ctx: Ctx, row: IncidentRow): boolean {
    const a = ctx.actor;
    if (!a) return true;
    if (row.owner_user_id === a.userId) return roleCan(a.role, 'incident.report');
    return canSeeOffice(ctx, row.office_id) && roleCan(a.role, 'incident.write');
  }

  function allowedTransitions(ctx: Ctx, r: IncidentRow): IncidentStatus[] {
    if (!canWrite(ctx, r) || (ctx.actor && !roleCan(ctx.actor.role, 'incident.write'))) return [];
    const all = INCIDENT_TRANSITIONS[r.status as IncidentStatus] ?? [];
    if (r.status === 'awaiting_external')
      return all.filter((s) => s === r.status_before_pause || s === 'rejected' || s === 'duplicate');
    return [...all];
  }

  function toIncident(r: IncidentRow, names: Map<string, string>, ctx: Ctx): Incident {
    const d = durations(r, now());
    return {
      id: r.id,
      officeId: r.office_id,
      reference: r.reference,
      refYear: r.ref_year,
      refSeq: r.ref_seq,
      title: r.title,
      narrative: r.narrative,
      domain: r.domain as Incident['domain'],
      category: r.category,
      determination: r.determination as Incident['determination'],
      severity: (r.severity ?? null) as Incident['severity'],
      status: r.status as IncidentStatus,
      statusBeforePause: (r.status_before_pause ?? null) as IncidentStatus | null,
      pausedSeconds: r.paused_seconds,
      pausedSince: r.paused_since,
      occurredAt: r.occurred_at,
      detectedAt: r.detected_at,
      reportedAt: r.reported_at,
      acknowledgedAt: r.acknowledged_at,
      containedAt: r.contained_at,
      hqNotifiedAt: r.hq_notified_at,
      hqAcknowledgedAt: r.hq_acknowledged_at,
      resolvedAt: r.resolved_at,
      closedAt: r.closed_at,
      country: r.country,
      city: r.city,
      siteId: r.site_id,
      locationType: r.location_type,
      locationText: r.location_text,
      latitude: r.latitude,
      longitude: r.longitude,
      reportChannel: r.report_channel as Incident['reportChannel'],
      reporterUserId: r.reporter_user_id,
      reporterName: r.reporter_name ?? (r.reporter_user_id ? (names.get(r.reporter_user_id) ?? null) : null),
      ownerUserId: r.owner_user_id,
      ownerName: r.owner_user_id ? (names.get(r.owner_user_id) ?? null) : null,
      reviewerUserId: r.reviewer_user_id,
      reviewerName: r.reviewer_user_id ? (names.get(r.reviewer_user_id) ?? null) : null,
      reviewedAt: r.reviewed_at,
      reviewNote: r.review_note,
      affectedAssets: json<AffectedAsset[]>(r.affected_assets, []),
      observables: json<Observable[]>(r.observables, []),
      impacts: json<Impacts>(r.impacts, {}),
      actorType: (r.actor_type ?? null) as Incident['actorType'],
      anyoneHurt: r.anyone_hurt === null ? null : r.anyone_hurt === 1,
      helpNeeded: r.help_needed,
      tlp: r.tlp as Incident['tlp'],
      classification: r.classification,
      sensitive: r.sensitive === 1,
      closingSummary: r.closing_summary,
      lessonsLearned: r.lessons_learned,
      duplicateOf: r.duplicate_of,
      clientKey: r.client_key,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
      timeToAcknowledgeMinutes: d.acknowledge,
      timeToContainMinutes: d.contain,
      timeToNotifyHqMinutes: d.notifyHq,
      timeToCloseMinutes: d.close,
      allowedTransitions: allowedTransitions(ctx, r),
    };
  }

  /** A list row: the columns of the summary only (no names to look up, no JSON to parse, no durations). */
  function toSummary(r: repo.IncidentSummaryRow): IncidentSummary {
    return {
      id: r.id,
      officeId: r.office_id,
      reference: r.reference,
      title: r.title,
      domain: r.domain as IncidentSummary['domain'],
      category: r.category,
      severity: (r.severity ?? null) as IncidentSummary['severity'],
      status: r.status as IncidentStatus,
      sensitive: r.sensitive === 1,
      occurredAt: r.occurred_at,
      reportedAt: r.reported_at,
      siteId: r.site_id,
      latitude: r.latitude,
      longitude: r.longitude,
      ownerUserId: r.owner_user_id,
      updatedAt: r.updated_at,
      version: r.version,
    };
  }

  async function view(ex: Executor, ctx: Ctx, r: IncidentRow): Promise<Incident> {
    const names = await repo.userNames(ex, [r.owner_user_id, r.reporter_user_id, r.reviewer_user_id]);
    return toIncident(r, names, ctx);
  }

  /** What the audit trail keeps: for a sensitive incident, which fields changed but not what they say. */
  function auditable(r: IncidentRow): Record<string, unknown> {
    const { narrative, title, location_text, help_needed, pause_log, ...rest } = r;
    const redact = r.sensitive === 1;
    return {
      ...rest,
      title: redact ? '[sensitive]' : title,
      narrative: redact ? (narrative ? '[sensitive]' : null) : narrative,
      location_text: redact ? (location_text ? '[sensitive]' : null) : location_text,
      help_needed: redact ? (help_needed ? '[sensitive]' : null) : help_needed,
    };
  }

  async function docOf(ex: Executor, r: IncidentRow): Promise<SearchDoc> {
    const restrictedTo =
      r.sensitive === 1
        ? [r.owner_user_id, r.reporter_user_id, r.reviewer_user_id, ...(await access.namedUsers(ex, r.id))].filter(
            (u): u is string => !!u,
          )
        : null;
    return {
      entityType: 'incident',
      entityId: r.id,
      officeId: r.office_id,
      title: `${r.reference} ${r.title}`,
      body: r.narrative ?? '',
      permission: 'incident.read',
      restrictedTo,
      updatedAt: r.updated_at,
    };
  }

  async function notify(ex: Executor, ctx: Ctx, req: Omit<NotificationRequest, 'recipients'>, to: (string | null)[]) {
    const self = ctx.actor?.userId;
    const recipients = [...new Set(to.filter((u): u is string => !!u && u !== self))];
    if (recipients.length > 0) await notifier.notify(ex, ctx, { ...req, recipients });
  }

  const about = (r: IncidentRow, ctx: Ctx) => ({
    officeId: r.office_id,
    entityType: 'incident',
    entityId: r.id,
    params: incidentParams(r, ctx),
  });

  async function changed(ex: Executor, ctx: Ctx, before: IncidentRow | null, after: IncidentRow) {
    await searchIndexer.upsert(ex, await docOf(ex, after));
    for (const l of listeners) await l(ex, ctx, { before, after });
  }

  /** An active user of the office (or a cross-office role) holding `permission`; a 400 on `path` otherwise. */
  async function checkUser(ex: Executor, officeId: string, userId: string, permission: Permission, path: string) {
    const u = await repo.userFacts(ex, userId);
    const ok =
      u &&
      !u.disabled &&
      roleCan(u.role as Role, permission) &&
      (CROSS_OFFICE_ROLES.includes(u.role as Role) || u.officeIds.includes(officeId));
    if (!ok)
      throw new Invalid(`That user cannot take this role on an incident of this office (needs ${permission}).`, [
        { path, message: `is not an active user of this office with ${permission}` },
      ]);
  }

  async function checkSite(ex: Executor, officeId: string, siteId: string | null | undefined) {
    if (!siteId) return;
    if ((await repo.siteOffice(ex, siteId)) !== officeId)
      throw new Invalid('The site is not one of this office.', [
        { path: 'body.siteId', message: 'no such site in this office' },
      ]);
  }

  function checkGeo(lat: number | null, lon: number | null) {
    if ((lat === null) !== (lon === null))
      throw new Invalid('A geo point needs both latitude and longitude.', [
        { path: lat === null ? 'body.latitude' : 'body.longitude', message: 'give both latitude and longitude' },
      ]);
  }

  async function loadForWrite(ex: Executor, ctx: Ctx, id: string, version: number): Promise<IncidentRow> {
    const row = await access.require(ex, ctx, id, 'write');
    if (row.version !== version)
      throw new VersionConflict(
        `This incident was changed by someone else (now version ${row.version}); reload it and apply your change again.`,
        row.version,
      );
    return row;
  }

  async function save(ex: Executor, before: IncidentRow, after: IncidentRow): Promise<IncidentRow> {
    after.version = before.version + 1;
    after.updated_at = now();
    if (!(await repo.updateIfVersion(ex, after, before.version))) {
      const current = await repo.findById(ex, before.id);
      throw new VersionConflict(
        'This incident was changed by someone else; reload it and apply your change again.',
        current?.version,
      );
    }
    return after;
  }

  /** Inserts a new incident with the next reference of its office and year; retries when a concurrent create took it. */
  async function insertNew(
    ctx: Ctx,
    build: (trx: Executor) => Promise<Omit<IncidentRow, 'reference' | 'ref_year' | 'ref_seq'>>,
    after?: (trx: Executor, row: IncidentRow) => Promise<void>,
  ): Promise<IncidentRow> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute(async (trx) => {
          const base = await build(trx);
          const code = await repo.officeCode(trx, base.office_id);
          if (!code) throw new NotFound('No such office.');
          const year = new Date(base.reported_at).getUTCFullYear();
          const seq = await repo.nextSeq(trx, base.office_id, year);
          const row: IncidentRow = {
            ...base,
            reference: `${code}-${year}-${String(seq).padStart(3, '0')}`,
            ref_year: year,
            ref_seq: seq,
          };
          await repo.insert(trx, row);
          // Whoever logs a sensitive incident for someone else keeps sight of it: they are named on it.
          const me = ctx.actor?.userId;
          if (row.sensitive === 1 && me && me !== row.reporter_user_id && me !== row.owner_user_id)
            await repo.replaceAccess(trx, row.id, [me], [], me, row.created_at);
          await audit.record(trx, ctx, {
            action: 'incident.create',
            entityType: 'incident',
            entityId: row.id,
            officeId: row.office_id,
            changes: auditable(row),
          });
          await changed(trx, ctx, null, row);
          await notify(
            trx,
            ctx,
            { ...about(row, ctx), kind: 'incident.reported' },
            await deps.responsibleFor(trx, row.office_id),
          );
          if (row.owner_user_id)
            await notify(trx, ctx, { ...about(row, ctx), kind: 'incident.assigned' }, [row.owner_user_id]);
          if (after) await after(trx, row);
          return row;
        });
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= 8) throw e;
        // Another create took the reference (or the same quick report arrived twice): try again.
      }
    }
  }

  function blankRow(ctx: Ctx, officeId: string, at: string): Omit<IncidentRow, 'reference' | 'ref_year' | 'ref_seq'> {
    return {
      id: newId(),
      office_id: officeId,
      title: '',
      narrative: null,
      domain: 'mixed',
      category: 'other:other',
      determination: 'suspected',
      severity: null,
      status: 'reported',
      status_before_pause: null,
      paused_seconds: 0,
      paused_since: null,
      pause_log: '[]',
      occurred_at: null,
      detected_at: null,
      reported_at: at,
      acknowledged_at: null,
      contained_at: null,
      hq_notified_at: null,
      hq_acknowledged_at: null,
      resolved_at: null,
      closed_at: null,
      country: null,
      city: null,
      site_id: null,
      location_type: null,
      location_text: null,
      latitude: null,
      longitude: null,
      report_channel: 'app',
      reporter_user_id: ctx.actor?.userId ?? null,
      reporter_name: null,
      owner_user_id: null,
      reviewer_user_id: null,
      reviewed_at: null,
      review_note: null,
      affected_assets: '[]',
      observables: '[]',
      impacts: '{}',
      actor_type: null,
      anyone_hurt: null,
      help_needed: null,
      tlp: 'amber',
      classification: null,
      sensitive: 0,
      closing_summary: null,
      lessons_learned: null,
      duplicate_of: null,
      client_key: null,
      created_by: ctx.actor?.userId ?? null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
  }

  function viewer(ctx: Ctx): repo.Viewer {
    const a = ctx.actor;
    return {
      userId: a?.userId ?? null,
      officeIds: visibleOfficeIds(ctx),
      canRead: !a || roleCan(a.role, 'incident.read'),
    };
  }

  const service = {
    access,
    categories,
    metrics: createIncidentMetrics({ db, clock }),

    /** Registers a listener called in the changing transaction after every create/update/transition/review. */
    onChange(listener: IncidentListener): void {
      listeners.push(listener);
    },

    /** Full create (officer), also a phone or walk-in report logged for someone else. */
    async create(ctx: Ctx, officeId: string, input: unknown): Promise<Incident> {
      assertCan(ctx, 'incident.write');
      assertOffice(ctx, officeId);
      const data = parse(IncidentCreateBody, input);
      await categories.ensureSeeded();
      const at = now();
      const row = await insertNew(ctx, async (trx) => {
        const cat = await categories.resolve(trx, officeId, data.category);
        await checkSite(trx, officeId, data.siteId);
        if (data.ownerUserId) await checkUser(trx, officeId, data.ownerUserId, 'incident.write', 'body.ownerUserId');
        if (data.reporterUserId)
          await checkUser(trx, officeId, data.reporterUserId, 'incident.report', 'body.reporterUserId');
        const lat = data.latitude ?? null;
        const lon = data.longitude ?? null;
        checkGeo(lat, lon);
        const channel = data.reportChannel ?? 'app';
        const loggedForSomeoneElse = data.reporterUserId !== undefined || !!data.reporterName;
        if (data.sensitive === false && cat.sensitive === 1)
          throw new IncidentUnprocessable(`Incidents of the category ${cat.code} are always sensitive.`, [
            { path: 'body.sensitive', message: 'this category is always sensitive' },
          ]);
        return {
          ...blankRow(ctx, officeId, at),
          title: data.title,
          narrative: data.narrative ?? null,
          domain: data.domain ?? cat.domain,
          category: cat.code,
          determination: data.determination ?? 'suspected',
          severity: data.severity ?? null,
          occurred_at: utc(data.occurredAt, 'body.occurredAt'),
          detected_at: utc(data.detectedAt, 'body.detectedAt'),
          country: data.country ?? null,
          city: data.city || null,
          site_id: data.siteId ?? null,
          location_type: data.locationType ?? null,
          location_text: data.locationText || null,
          latitude: lat,
          longitude: lon,
          report_channel: channel,
          reporter_user_id: loggedForSomeoneElse ? (data.reporterUserId ?? null) : (ctx.actor?.userId ?? null),
          reporter_name: data.reporterName || null,
          owner_user_id: data.ownerUserId ?? null,
          affected_assets: JSON.stringify(data.affectedAssets ?? []),
          observables: JSON.stringify(data.observables ?? []),
          impacts: JSON.stringify(data.impacts ?? {}),
          actor_type: data.actorType ?? null,
          anyone_hurt: data.anyoneHurt === undefined || data.anyoneHurt === null ? null : data.anyoneHurt ? 1 : 0,
          help_needed: data.helpNeeded || null,
          tlp: data.tlp ?? 'amber',
          classification: data.classification || null,
          sensitive: data.sensitive || cat.sensitive === 1 ? 1 : 0,
        };
      });
      return view(db, ctx, row);
    },

    /**
     * Staff's quick report. The same `clientKey` from the same reporter answers with the incident it
     * made the first time (`created: false`).
     */
    async quickReport(ctx: Ctx, officeId: string, input: unknown): Promise<{ incident: Incident; created: boolean }> {
      assertCan(ctx, 'incident.report');
      assertOffice(ctx, officeId);
      const data = parse(QuickReportBody, input, 'The report');
      await categories.ensureSeeded();
      const me = ctx.actor?.userId ?? null;
      const existing = async () => (me ? await repo.findByClientKey(db, me, data.clientKey) : undefined);
      const first = await existing();
      if (first) return { incident: await view(db, ctx, first), created: false };
      const lat = data.latitude ?? null;
      const lon = data.longitude ?? null;
      checkGeo(lat, lon);
      const what = data.what.replace(/\s+/g, ' ').trim();
      const title = what.length > 120 ? `${clip(what, 117)}…` : what;
      try {
        const row = await insertNew(ctx, async (trx) => {
          const cat = await categories.resolve(trx, officeId, 'other:other', 'body.what');
          return {
            ...blankRow(ctx, officeId, now()),
            title,
            narrative: data.what,
            domain: cat.domain,
            category: cat.code,
            occurred_at: utc(data.when, 'body.when'),
            location_text: data.where,
            latitude: lat,
            longitude: lon,
            report_channel: 'quick_report',
            anyone_hurt: data.anyoneHurt ? 1 : 0,
            help_needed: data.helpNeeded || null,
            client_key: me ? data.clientKey : null,
          };
        });
        return { incident: await view(db, ctx, row), created: true };
      } catch (e) {
        const again = await existing();
        if (again) return { incident: await view(db, ctx, again), created: false };
        throw e;
      }
    },

    async get(ctx: Ctx, id: string): Promise<Incident> {
      const row = await access.require(db, ctx, id, 'read');
      return view(db, ctx, row);
    },

    /** The raw row, for the parts of the module (escalation, reports) that work with it. */
    async getRow(ex: Executor, ctx: Ctx, id: string): Promise<IncidentRow> {
      return access.require(ex, ctx, id, 'read');
    },

    async list(ctx: Ctx, q: ListQuery): Promise<{ items: IncidentSummary[]; nextCursor: string | null }> {
      assertCan(ctx, 'incident.report');
      if (q.officeId) assertOffice(ctx, q.officeId);
      const desc = q.sort.startsWith('-');
      const key = (desc ? q.sort.slice(1) : q.sort) as repo.SortKey;
      if (!(key in repo.SORTS))
        throw new Invalid(`cannot sort by ${key}`, [
          { path: 'query.sort', message: `must be one of ${Object.keys(repo.SORTS).join(', ')}` },
        ]);
      const rows = await repo.list(db, {
        filter: { ...q, openStatuses: OPEN_STATUSES },
        viewer: viewer(ctx),
        sort: { key, desc },
        cursor: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page.at(-1);
      return {
        items: page.map(toSummary),
        nextCursor: more && last ? encodeCursor({ v: repo.sortValue(key, last), id: last.id }) : null,
      };
    },

    /** Every incident of a selection the caller may see, as rows (exports); at most `max`. */
    async rowsFor(ctx: Ctx, filter: IncidentListFilter, max = 10_000): Promise<IncidentRow[]> {
      assertCan(ctx, 'incident.read');
      return repo.listRows(db, {
        filter: { ...filter, openStatuses: OPEN_STATUSES },
        viewer: viewer(ctx),
        sort: { key: 'reportedAt', desc: false },
        limit: max - 1,
      });
    },

    async update(ctx: Ctx, id: string, input: unknown): Promise<Incident> {
      assertCan(ctx, 'incident.write');
      const data = parse(IncidentUpdateBody, input);
      if (data.category !== undefined) await categories.ensureSeeded();
      const row = await db.transaction().execute(async (trx) => {
        const before = await loadForWrite(trx, ctx, id, data.version);
        if (isTerminalStatus(before.status))
          throw new IncidentUnprocessable(`A ${before.status} incident cannot be changed.`, [
            { path: 'body', message: `the incident is ${before.status}` },
          ]);
        const a: IncidentRow = { ...before };
        if (data.title !== undefined) a.title = data.title;
        if (data.narrative !== undefined) a.narrative = data.narrative || null;
        if (data.category !== undefined && data.category !== before.category) {
          const cat = await categories.resolve(trx, before.office_id, data.category);
          a.category = cat.code;
          if (cat.sensitive === 1) a.sensitive = 1;
        }
        if (data.domain !== undefined) a.domain = data.domain;
        if (data.determination !== undefined) a.determination = data.determination;
        if (data.severity !== undefined) {
          if (data.severity === null && before.status !== 'reported')
            throw new IncidentUnprocessable('A triaged incident keeps a severity.', [
              { path: 'body.severity', message: 'cannot be cleared once triaged' },
            ]);
          a.severity = data.severity;
        }
        if (data.occurredAt !== undefined) a.occurred_at = utc(data.occurredAt, 'body.occurredAt');
        if (data.detectedAt !== undefined) a.detected_at = utc(data.detectedAt, 'body.detectedAt');
        if (data.country !== undefined) a.country = data.country;
        if (data.city !== undefined) a.city = data.city || null;
        if (data.siteId !== undefined) {
          await checkSite(trx, before.office_id, data.siteId);
          a.site_id = data.siteId;
        }
        if (data.locationType !== undefined) a.location_type = data.locationType;
        if (data.locationText !== undefined) a.location_text = data.locationText || null;
        if (data.latitude !== undefined) a.latitude = data.latitude;
        if (data.longitude !== undefined) a.longitude = data.longitude;
        checkGeo(a.latitude, a.longitude);
        if (data.ownerUserId !== undefined && data.ownerUserId !== before.owner_user_id) {
          if (data.ownerUserId)
            await checkUser(trx, before.office_id, data.ownerUserId, 'incident.write', 'body.ownerUserId');
          a.owner_user_id = data.ownerUserId;
        }
        if (data.reviewerUserId !== undefined && data.reviewerUserId !== before.reviewer_user_id) {
          if (data.reviewerUserId) {
            await checkUser(trx, before.office_id, data.reviewerUserId, 'incident.review', 'body.reviewerUserId');
            if (data.reviewerUserId === (a.owner_user_id ?? null))
              throw new IncidentUnprocessable('The reviewer must be someone other than the owner (four eyes).', [
                { path: 'body.reviewerUserId', message: 'is the owner of the incident' },
              ]);
          }
          a.reviewer_user_id = data.reviewerUserId;
          a.reviewed_at = null;
        }
        if (data.reporterName !== undefined) a.reporter_name = data.reporterName || null;
        if (data.affectedAssets !== undefined) a.affected_assets = JSON.stringify(data.affectedAssets);
        if (data.observables !== undefined) a.observables = JSON.stringify(data.observables);
        if (data.impacts !== undefined) a.impacts = JSON.stringify(data.impacts);
        if (data.actorType !== undefined) a.actor_type = data.actorType;
        if (data.anyoneHurt !== undefined) a.anyone_hurt = data.anyoneHurt === null ? null : data.anyoneHurt ? 1 : 0;
        if (data.helpNeeded !== undefined) a.help_needed = data.helpNeeded || null;
        if (data.tlp !== undefined) a.tlp = data.tlp;
        if (data.classification !== undefined) a.classification = data.classification || null;
        if (data.closingSummary !== undefined) a.closing_summary = data.closingSummary || null;
        if (data.lessonsLearned !== undefined) a.lessons_learned = data.lessonsLearned || null;
        if (data.sensitive !== undefined) {
          const cat = await repo.categoryFor(trx, a.office_id, a.category);
          if (!data.sensitive && cat?.sensitive === 1)
            throw new IncidentUnprocessable(`Incidents of the category ${a.category} are always sensitive.`, [
              { path: 'body.sensitive', message: 'this category is always sensitive' },
            ]);
          a.sensitive = data.sensitive ? 1 : 0;
        }
        const changes = diff(auditable(before), auditable(a));
        if (Object.keys(changes).length === 0) return before;
        const after = await save(trx, before, a);
        await audit.record(trx, ctx, {
          action: 'incident.update',
          entityType: 'incident',
          entityId: id,
          officeId: after.office_id,
          changes,
        });
        await changed(trx, ctx, before, after);
        if (after.owner_user_id && after.owner_user_id !== before.owner_user_id)
          await notify(trx, ctx, { ...about(after, ctx), kind: 'incident.assigned' }, [after.owner_user_id]);
        if (after.reviewer_user_id && after.reviewer_user_id !== before.reviewer_user_id)
          await notify(trx, ctx, { ...about(after, ctx), kind: 'incident.review_requested' }, [after.reviewer_user_id]);
        return after;
      });
      return view(db, ctx, row);
    },

    async transition(ctx: Ctx, id: string, input: unknown): Promise<Incident> {
      assertCan(ctx, 'incident.write');
      const data = parse(IncidentTransitionBody, input, 'The transition');
      const row = await db.transaction().execute(async (trx) => {
        const before = await loadForWrite(trx, ctx, id, data.version);
        const from = before.status as IncidentStatus;
        const to = data.to;
        const refuse = (why: string, path = 'body.to') => {
          throw new IncidentUnprocessable(why, [{ path, message: why }]);
        };
        const allowed = INCIDENT_TRANSITIONS[from] ?? [];
        if (!allowed.includes(to)) {
          if (isTerminalStatus(from)) refuse(`The incident is ${from}: it cannot move any more.`);
          refuse(
            `An incident cannot go from ${from} to ${to}; from ${from} it may go to ${allowed.join(', ') || 'nothing'}.`,
          );
        }
        if (
          from === 'awaiting_external' &&
          to !== before.status_before_pause &&
          to !== 'rejected' &&
          to !== 'duplicate'
        )
          refuse(`An incident awaiting an external party goes back to ${before.status_before_pause} (or is rejected).`);
        const nowIso = now();
        const a: IncidentRow = { ...before, status: to };
        // Leaving a pause: its time no longer counts in the timers.
        if (from === 'awaiting_external' && before.paused_since) {
          const secs = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(before.paused_since)) / 1000));
          a.paused_seconds = before.paused_seconds + secs;
          a.pause_log = JSON.stringify([...json<Pause[]>(before.pause_log, []), [before.paused_since, nowIso]]);
          a.paused_since = null;
          a.status_before_pause = null;
        }
        switch (to) {
          case 'triaged':
            if (before.severity === null) refuse('Set the severity (1–4) before triaging the incident.', 'body.to');
            a.acknowledged_at = before.acknowledged_at ?? nowIso;
            if (!a.owner_user_id && ctx.actor && roleCan(ctx.actor.role, 'incident.write'))
              a.owner_user_id = ctx.actor.userId;
            break;
          case 'contained':
            a.contained_at = before.contained_at ?? nowIso;
            break;
          case 'resolved':
            a.resolved_at = nowIso;
            break;
          case 'investigating':
            if (from === 'resolved' || from === 'contained') {
              // Reopened: a new resolution needs a new review.
              a.resolved_at = null;
              a.reviewed_at = null;
            }
            break;
          case 'awaiting_external':
            a.status_before_pause = from;
            a.paused_since = nowIso;
            break;
          case 'closed': {
            const summary = data.closingSummary?.trim() || before.closing_summary;
            const lessons = data.lessonsLearned?.trim() || before.lessons_learned;
            if (!summary) refuse('Closing needs a closing summary.', 'body.closingSummary');
            if (!lessons) refuse('Closing needs the lessons learned.', 'body.lessonsLearned');
            if (!before.reviewed_at || !before.reviewer_user_id)
              refuse('Closing needs a reviewer’s approval first (four eyes): ask for a review.', 'body.to');
            if (before.reviewer_user_id === before.owner_user_id)
              refuse('The reviewer who approved is the owner: another reviewer must approve (four eyes).', 'body.to');
            if (ctx.actor && before.reviewer_user_id === ctx.actor.userId)
              refuse('The reviewer who approved may not also close the incident (four eyes).', 'body.to');
            a.closing_summary = summary ?? null;
            a.lessons_learned = lessons ?? null;
            a.closed_at = nowIso;
            break;
          }
          case 'rejected':
            if (!data.reason?.trim()) refuse('Say why the incident is rejected.', 'body.reason');
            break;
          case 'duplicate': {
            if (!data.duplicateOf) refuse('Name the incident this one duplicates.', 'body.duplicateOf');
            const dupId = data.duplicateOf as string;
            if (dupId === before.id) refuse('An incident cannot duplicate itself.', 'body.duplicateOf');
            const original = await repo.findById(trx, dupId);
            if (!original || original.office_id !== before.office_id)
              refuse('The original must be an incident of the same office.', 'body.duplicateOf');
            a.duplicate_of = dupId;
            break;
          }
          default:
            break;
        }
        const after = await save(trx, before, a);
        await audit.record(trx, ctx, {
          action: 'incident.transition',
          entityType: 'incident',
          entityId: id,
          officeId: after.office_id,
          changes: {
            ...diff(auditable(before), auditable(after)),
            ...(data.reason ? { reason: before.sensitive === 1 ? '[sensitive]' : data.reason } : {}),
          },
        });
        await changed(trx, ctx, before, after);
        if (after.owner_user_id && after.owner_user_id !== before.owner_user_id)
          await notify(trx, ctx, { ...about(after, ctx), kind: 'incident.assigned' }, [after.owner_user_id]);
        if (to === 'closed')
          await notify(trx, ctx, { ...about(after, ctx), kind: 'incident.closed' }, [
            after.reporter_user_id,
            after.owner_user_id,
            after.reviewer_user_id,
          ]);
        return after;
      });
      return view(db, ctx, row);
    },

    /** The reviewer's sign-off (approve) or send-back (reject) of a resolved incident. */
    async review(ctx: Ctx, id: string, input: unknown): Promise<Incident> {
      assertCan(ctx, 'incident.review');
      const data = parse(IncidentReviewBody, input, 'The review');
      const row = await db.transaction().execute(async (trx) => {
        const before = await access.require(trx, ctx, id, 'read');
        if (before.version !== data.version)
          throw new VersionConflict(
            `This incident was changed by someone else (now version ${before.version}); reload it.`,
            before.version,
          );
        if (before.status !== 'resolved')
          throw new IncidentUnprocessable('Only a resolved incident is reviewed before closing.', [
            { path: 'body.decision', message: `the incident is ${before.status}` },
          ]);
        const me = ctx.actor?.userId ?? null;
        if (me && me === before.owner_user_id)
          throw new Forbidden('The owner of an incident may not review it (four eyes).');
        if (me && before.reviewer_user_id && before.reviewer_user_id !== me && ctx.actor && !ctx.actor.allOffices)
          throw new Forbidden('The review of this incident was asked of someone else.');
        const a: IncidentRow = { ...before, review_note: data.note };
        if (data.decision === 'approve') {
          a.reviewer_user_id = me ?? before.reviewer_user_id;
          a.reviewed_at = now();
        } else {
          a.reviewer_user_id = me ?? before.reviewer_user_id;
          a.reviewed_at = null;
        }
        const after = await save(trx, before, a);
        await audit.record(trx, ctx, {
          action: 'incident.review',
          entityType: 'incident',
          entityId: id,
          officeId: after.office_id,
          changes: {
            decision: data.decision,
            note: before.sensitive === 1 ? '[sensitive]' : data.note,
            reviewerUserId: after.reviewer_user_id,
          },
        });
        await changed(trx, ctx, before, after);
        return after;
      });
      return view(db, ctx, row);
    },

    async getAccess(ctx: Ctx, id: string): Promise<IncidentAccessList> {
      const row = await access.require(db, ctx, id, 'write');
      return accessList(db, row);
    },

    async setAccess(ctx: Ctx, id: string, input: unknown): Promise<IncidentAccessList> {
      const data = parse(IncidentAccessBody, input, 'The access list');
      return db.transaction().execute(async (trx) => {
        const before = await loadForWrite(trx, ctx, id, data.version);
        const current = await access.namedUsers(trx, id);
        const add = data.userIds.filter((u) => !current.includes(u));
        const remove = current.filter((u) => !data.userIds.includes(u));
        for (const [i, u] of data.userIds.entries())
          if (add.includes(u)) await checkUser(trx, before.office_id, u, 'incident.report', `body.userIds.${i}`);
        if (add.length === 0 && remove.length === 0) return accessList(trx, before);
        await repo.replaceAccess(trx, id, add, remove, ctx.actor?.userId ?? null, now());
        const after = await save(trx, before, { ...before });
        if (add.length > 0)
          await audit.record(trx, ctx, {
            action: 'incident.access_grant',
            entityType: 'incident',
            entityId: id,
            officeId: before.office_id,
            changes: { userIds: add },
          });
        if (remove.length > 0)
          await audit.record(trx, ctx, {
            action: 'incident.access_revoke',
            entityType: 'incident',
            entityId: id,
            officeId: before.office_id,
            changes: { userIds: remove },
          });
        await changed(trx, ctx, before, after);
        return accessList(trx, after);
      });
    },

    // ---- involved persons: editors who see the incident; never in search or exports

    async listPersons(ctx: Ctx, id: string): Promise<{ items: IncidentPerson[] }> {
      assertCan(ctx, 'incident.write');
      await access.require(db, ctx, id, 'write');
      return { items: (await repo.persons(db, id)).map(toPerson) };
    },

    async addPerson(ctx: Ctx, id: string, input: unknown): Promise<IncidentPerson> {
      assertCan(ctx, 'incident.write');
      const data = parse(IncidentPersonCreateBody, input, 'The person');
      return db.transaction().execute(async (trx) => {
        const incident = await access.require(trx, ctx, id, 'write');
        if (data.personId && !(await repo.personExists(trx, data.personId)))
          throw new Invalid('No such person in the directory.', [{ path: 'body.personId', message: 'no such person' }]);
        const at = now();
        const row: IncidentPersonsTable = {
          id: newId(),
          incident_id: id,
          role: data.role,
          person_id: data.personId ?? null,
          name: data.name,
          details: data.details || null,
          created_at: at,
          updated_at: at,
          version: 1,
        };
        await repo.insertPerson(trx, row);
        await audit.record(trx, ctx, {
          action: 'incident_person.create',
          entityType: 'incident_person',
          entityId: row.id,
          officeId: incident.office_id,
          // Who was involved is itself restricted: the trail keeps the fact, not the name.
          changes: { incidentId: id, role: row.role, personId: row.person_id },
        });
        return toPerson(row);
      });
    },

    async updatePerson(ctx: Ctx, personId: string, input: unknown): Promise<IncidentPerson> {
      assertCan(ctx, 'incident.write');
      const data = parse(IncidentPersonUpdateBody, input, 'The person');
      return db.transaction().execute(async (trx) => {
        const before = await repo.findPerson(trx, personId);
        if (!before) throw new NotFound('No such involved person.');
        const incident = await access.require(trx, ctx, before.incident_id, 'write');
        if (before.version !== data.version)
          throw new VersionConflict(
            `This record was changed by someone else (now version ${before.version}); reload it.`,
            before.version,
          );
        if (data.personId && !(await repo.personExists(trx, data.personId)))
          throw new Invalid('No such person in the directory.', [{ path: 'body.personId', message: 'no such person' }]);
        const after: IncidentPersonsTable = {
          ...before,
          role: data.role ?? before.role,
          person_id: data.personId !== undefined ? data.personId : before.person_id,
          name: data.name ?? before.name,
          details: data.details !== undefined ? data.details || null : before.details,
          updated_at: now(),
          version: before.version + 1,
        };
        if (!(await repo.updatePersonIfVersion(trx, after, data.version)))
          throw new VersionConflict('This record was changed by someone else; reload it.', before.version + 1);
        await audit.record(trx, ctx, {
          action: 'incident_person.update',
          entityType: 'incident_person',
          entityId: personId,
          officeId: incident.office_id,
          changes: { fields: Object.keys(diff(toPerson(before), toPerson(after))) },
        });
        return toPerson(after);
      });
    },

    async deletePerson(ctx: Ctx, personId: string, version: number): Promise<void> {
      assertCan(ctx, 'incident.write');
      await db.transaction().execute(async (trx) => {
        const before = await repo.findPerson(trx, personId);
        if (!before) throw new NotFound('No such involved person.');
        const incident = await access.require(trx, ctx, before.incident_id, 'write');
        if (before.version !== version || !(await repo.deletePersonIfVersion(trx, personId, version)))
          throw new VersionConflict(
            `This record was changed by someone else (now version ${before.version}); reload it.`,
            before.version,
          );
        await audit.record(trx, ctx, {
          action: 'incident_person.delete',
          entityType: 'incident_person',
          entityId: personId,
          officeId: incident.office_id,
          changes: { incidentId: before.incident_id, role: before.role },
        });
      });
    },

    /**
     * Records when HQ was notified / acknowledged (the escalation part calls this in its transaction).
     * Only the first time counts; it does not change the version users edit against.
     */
    async markHq(ex: Executor, id: string, field: 'hq_notified_at' | 'hq_acknowledged_at', at: string): Promise<void> {
      await ex
        .updateTable('incidents')
        .set({ [field]: at })
        .where('id', '=', id)
        .where(field, 'is', null)
        .execute();
    },

    /** Every incident as a search document, in pages (`outpost search reindex`). */
    async *searchDocuments(ex: Executor): AsyncGenerator<SearchDoc> {
      let after = '';
      for (;;) {
        const rows = await ex
          .selectFrom('incidents')
          .selectAll()
          .where('id', '>', after)
          .orderBy('id')
          .limit(500)
          .execute();
        for (const r of rows) yield await docOf(ex, r);
        const last = rows.at(-1);
        if (rows.length < 500 || !last) return;
        after = last.id;
      }
    },

    /** Resolver for record links (`incident`): tasks and attachments hang off incidents. */
    linkResolver: {
      async resolve(ex: Executor, ctx: Ctx, id: string): Promise<LinkedRecord> {
        const row = await access.require(ex, ctx, id, 'read');
        return {
          entityType: 'incident',
          entityId: row.id,
          officeId: row.office_id,
          title: row.sensitive === 1 ? `${row.reference} (${SENSITIVE_TITLE})` : `${row.reference} ${row.title}`,
        };
      },
      canWrite(ctx: Ctx, record: LinkedRecord): boolean {
        const a = ctx.actor;
        if (!a) return true;
        return record.officeId !== null && canSeeOffice(ctx, record.officeId) && roleCan(a.role, 'incident.write');
      },
    },
  };

  async function accessList(ex: Executor, row: IncidentRow): Promise<IncidentAccessList> {
    const rows = await repo.accessRows(ex, row.id);
    const names = await repo.userNames(
      ex,
      rows.map((r) => r.user_id),
    );
    return {
      incidentId: row.id,
      sensitive: row.sensitive === 1,
      ownerUserId: row.owner_user_id,
      reporterUserId: row.reporter_user_id,
      reviewerUserId: row.reviewer_user_id,
      users: rows.map((r) => ({
        userId: r.user_id,
        displayName: names.get(r.user_id) ?? '',
        grantedBy: r.granted_by,
        grantedAt: r.granted_at,
      })),
      version: row.version,
    };
  }

  return service;
}

function toPerson(r: IncidentPersonsTable): IncidentPerson {
  return {
    id: r.id,
    incidentId: r.incident_id,
    role: r.role as IncidentPerson['role'],
    personId: r.person_id,
    name: r.name,
    details: r.details,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export { OPEN_STATUSES, TERMINAL_INCIDENT_STATUSES };
