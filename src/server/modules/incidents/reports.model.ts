import type { Executor } from '../../db/database.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { groupBy, inChunks } from '../../lib/batches.ts';

/**
 * The view model every incident document is generated from (PDF, DOCX, advisory, STIX, MISP, AWSD CSV).
 * Generators are pure functions over it; `loadReportModel` reads what exists in the database. Involved
 * persons are deliberately absent: they never leave the restricted sub-record.
 */
export interface ReportObservable {
  type: string;
  value: string;
  note: string | null;
  /** Marked sensitive by the officer: never in an advisory. */
  sensitive: boolean;
}

export interface ReportTimelineEntry {
  occurredAt: string;
  approximate: boolean;
  description: string;
  source: string;
  sourceDetail: string | null;
}

export interface ReportCustodyEntry {
  seq: number;
  from: string | null;
  to: string;
  at: string;
  purpose: string;
}

export interface ReportEvidence {
  label: string;
  kind: string;
  description: string | null;
  acquiredAt: string;
  acquiredBy: string | null;
  acquisitionMethod: string | null;
  storageLocation: string | null;
  sha256: string | null;
  custody: ReportCustodyEntry[];
}

export interface ReportCommunication {
  recipient: string;
  channel: string;
  summary: string;
  communicatedAt: string;
  communicatedBy: string | null;
  acknowledged: boolean;
  acknowledgedAt: string | null;
}

export interface ReportOffice {
  id: string;
  code: string;
  name: string;
  timezone: string;
  defaultLanguage: string;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentReportModel {
  id: string;
  reference: string;
  title: string;
  narrative: string | null;
  domain: string;
  category: string;
  categoryLabel: { en: string; fr: string } | null;
  determination: string;
  severity: number | null;
  status: string;
  tlp: string;
  classification: string | null;
  sensitive: boolean;
  times: {
    occurredAt: string | null;
    detectedAt: string | null;
    reportedAt: string;
    acknowledgedAt: string | null;
    containedAt: string | null;
    hqNotifiedAt: string | null;
    hqAcknowledgedAt: string | null;
    resolvedAt: string | null;
    closedAt: string | null;
  };
  pausedSeconds: number;
  location: {
    country: string | null;
    city: string | null;
    locationType: string | null;
    /** Free-text place (may be an exact address): internal report only, never advisory or exports. */
    text: string | null;
    latitude: number | null;
    longitude: number | null;
  };
  reportChannel: string;
  /** Display names (internal report only; never in advisory or exports). */
  reporter: string | null;
  owner: string | null;
  reviewer: string | null;
  reviewedAt: string | null;
  actorType: string | null;
  anyoneHurt: boolean | null;
  helpNeeded: string | null;
  affectedAssets: string[];
  observables: ReportObservable[];
  impacts: Record<string, unknown>;
  closingSummary: string | null;
  lessonsLearned: string | null;
  createdAt: string;
  updatedAt: string;
  timeline: ReportTimelineEntry[];
  evidence: ReportEvidence[];
  communications: ReportCommunication[];
  office: ReportOffice;
  /** Names that must never appear in a redacted output (reporter, involved persons, named users). */
  redactNames: string[];
}

function parseJson(s: string | null, fallback: unknown): unknown {
  if (!s) return fallback;
  try {
    return JSON.parse(s);
  } catch {
    return fallback;
  }
}

function asObservables(v: unknown): ReportObservable[] {
  if (!Array.isArray(v)) return [];
  const out: ReportObservable[] = [];
  for (const o of v) {
    if (!o || typeof o !== 'object') continue;
    const r = o as Record<string, unknown>;
    if (typeof r.type !== 'string' || typeof r.value !== 'string') continue;
    out.push({
      type: r.type,
      value: r.value,
      note: typeof r.note === 'string' ? r.note : null,
      sensitive: r.sensitive === true,
    });
  }
  return out;
}

function asAssets(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((a) =>
      typeof a === 'string'
        ? a
        : a && typeof a === 'object'
          ? String((a as Record<string, unknown>).name ?? (a as Record<string, unknown>).label ?? '')
          : '',
    )
    .filter((s) => s.length > 0);
}

async function userNames(ex: Executor, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map();
  const rows = await ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .select(['users.id', 'persons.display_name'])
    .where('users.id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Reads everything a document needs about one incident the caller was already allowed to see. */
export async function loadReportModel(ex: Executor, row: IncidentRow): Promise<IncidentReportModel> {
  return (await loadReportModels(ex, [row]))[0] as IncidentReportModel;
}

/**
 * The models of several incidents (an export of up to 1,000) in a fixed number of queries, not a
 * dozen per incident; in the order of `rows`.
 */
export async function loadReportModels(ex: Executor, rows: IncidentRow[]): Promise<IncidentReportModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const officeIds = [...new Set(rows.map((r) => r.office_id))];
  const offices = new Map(
    (await ex.selectFrom('offices').selectAll().where('id', 'in', officeIds).execute()).map((o) => [o.id, o]),
  );
  const categories = await ex
    .selectFrom('incident_categories')
    .select(['code', 'label', 'label_fr', 'office_id'])
    .where('code', 'in', [...new Set(rows.map((r) => r.category))])
    .where((eb) => eb.or([eb('office_id', 'in', officeIds), eb('office_id', 'is', null)]))
    .execute();
  const timelines = groupBy(
    await inChunks(ids, (chunk) =>
      ex
        .selectFrom('incident_timeline')
        .selectAll()
        .where('incident_id', 'in', chunk)
        .where('deleted_at', 'is', null)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute(),
    ),
    'incident_id',
  );
  const evidenceRows = await inChunks(ids, (chunk) =>
    ex
      .selectFrom('incident_evidence')
      .selectAll()
      .where('incident_id', 'in', chunk)
      .orderBy('acquired_at')
      .orderBy('id')
      .execute(),
  );
  const evidences = groupBy(evidenceRows, 'incident_id');
  const custodies = groupBy(
    await inChunks(
      evidenceRows.map((e) => e.id),
      (chunk) =>
        ex
          .selectFrom('incident_custody')
          .selectAll()
          .where('evidence_id', 'in', chunk)
          .orderBy('evidence_id')
          .orderBy('seq')
          .execute(),
    ),
    'evidence_id',
  );
  const commsAll = groupBy(
    await inChunks(ids, (chunk) =>
      ex
        .selectFrom('incident_communications')
        .selectAll()
        .where('incident_id', 'in', chunk)
        .orderBy('communicated_at')
        .orderBy('id')
        .execute(),
    ),
    'incident_id',
  );
  const personsAll = groupBy(
    await inChunks(ids, (chunk) =>
      ex.selectFrom('incident_persons').select(['incident_id', 'name']).where('incident_id', 'in', chunk).execute(),
    ),
    'incident_id',
  );
  const namedAll = groupBy(
    await inChunks(ids, (chunk) =>
      ex.selectFrom('incident_access').select(['incident_id', 'user_id']).where('incident_id', 'in', chunk).execute(),
    ),
    'incident_id',
  );
  const userIdsOf = (row: IncidentRow) => [
    row.reporter_user_id,
    row.owner_user_id,
    row.reviewer_user_id,
    ...(evidences.get(row.id) ?? []).map((e) => e.acquired_by_user_id),
    ...(commsAll.get(row.id) ?? []).map((c) => c.communicated_by),
    ...(namedAll.get(row.id) ?? []).map((n) => n.user_id),
  ];
  const allNames = await userNames(ex, rows.flatMap(userIdsOf));
  return rows.map((row) => {
    const office = offices.get(row.office_id);
    if (!office) throw new Error(`incident ${row.id}: office ${row.office_id} not found`);
    const matching = categories.filter((c) => c.code === row.category);
    const cat = matching.find((c) => c.office_id === row.office_id) ?? matching.find((c) => c.office_id === null);
    const timeline = timelines.get(row.id) ?? [];
    const evidence = evidences.get(row.id) ?? [];
    const comms = commsAll.get(row.id) ?? [];
    const persons = personsAll.get(row.id) ?? [];
    // This incident's people only: the names to redact are those of its own record.
    const names = new Map<string, string>();
    for (const id of userIdsOf(row)) {
      const n = id ? allNames.get(id) : undefined;
      if (id && n !== undefined) names.set(id, n);
    }
    const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
    const reporter = row.reporter_name ?? name(row.reporter_user_id);
    const redactNames = [
      ...persons.map((p) => p.name),
      ...(row.reporter_name ? [row.reporter_name] : []),
      ...[...names.values()],
    ].filter((n) => n.trim().length >= 3);

    return {
      id: row.id,
      reference: row.reference,
      title: row.title,
      narrative: row.narrative,
      domain: row.domain,
      category: row.category,
      categoryLabel: cat ? { en: cat.label, fr: cat.label_fr } : null,
      determination: row.determination,
      severity: row.severity,
      status: row.status,
      tlp: row.tlp,
      classification: row.classification,
      sensitive: row.sensitive === 1,
      times: {
        occurredAt: row.occurred_at,
        detectedAt: row.detected_at,
        reportedAt: row.reported_at,
        acknowledgedAt: row.acknowledged_at,
        containedAt: row.contained_at,
        hqNotifiedAt: row.hq_notified_at,
        hqAcknowledgedAt: row.hq_acknowledged_at,
        resolvedAt: row.resolved_at,
        closedAt: row.closed_at,
      },
      pausedSeconds: row.paused_seconds,
      location: {
        country: row.country,
        city: row.city,
        locationType: row.location_type,
        text: row.location_text,
        latitude: row.latitude,
        longitude: row.longitude,
      },
      reportChannel: row.report_channel,
      reporter,
      owner: name(row.owner_user_id),
      reviewer: name(row.reviewer_user_id),
      reviewedAt: row.reviewed_at,
      actorType: row.actor_type,
      anyoneHurt: row.anyone_hurt === null ? null : row.anyone_hurt === 1,
      helpNeeded: row.help_needed,
      affectedAssets: asAssets(parseJson(row.affected_assets, [])),
      observables: asObservables(parseJson(row.observables, [])),
      impacts: ((): Record<string, unknown> => {
        const v = parseJson(row.impacts, {});
        return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
      })(),
      closingSummary: row.closing_summary,
      lessonsLearned: row.lessons_learned,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      timeline: timeline.map((t) => ({
        occurredAt: t.occurred_at,
        approximate: t.precision === 'approximate',
        description: t.description,
        source: t.source,
        sourceDetail: t.source_detail,
      })),
      evidence: evidence.map((e) => ({
        label: e.label,
        kind: e.kind,
        description: e.description,
        acquiredAt: e.acquired_at,
        acquiredBy: e.acquired_by_name ?? name(e.acquired_by_user_id),
        acquisitionMethod: e.acquisition_method,
        storageLocation: e.storage_location,
        sha256: e.sha256,
        custody: (custodies.get(e.id) ?? []).map((c) => ({
          seq: c.seq,
          from: c.from_party,
          to: c.to_party,
          at: c.at,
          purpose: c.purpose,
        })),
      })),
      communications: comms.map((c) => ({
        recipient: c.recipient,
        channel: c.channel,
        summary: c.summary,
        communicatedAt: c.communicated_at,
        communicatedBy: name(c.communicated_by),
        acknowledged: c.acknowledged === 1,
        acknowledgedAt: c.acknowledged_at,
      })),
      office: {
        id: office.id,
        code: office.code,
        name: office.name,
        timezone: office.timezone,
        defaultLanguage: office.default_language,
        createdAt: office.created_at,
        updatedAt: office.updated_at,
      },
      redactNames,
    };
  });
}
