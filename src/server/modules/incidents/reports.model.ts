import type { Executor } from '../../db/database.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';

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
  const office = await ex.selectFrom('offices').selectAll().where('id', '=', row.office_id).executeTakeFirstOrThrow();
  const category = await ex
    .selectFrom('incident_categories')
    .select(['label', 'label_fr', 'office_id'])
    .where('code', '=', row.category)
    .where((eb) => eb.or([eb('office_id', '=', row.office_id), eb('office_id', 'is', null)]))
    .execute();
  const cat = category.find((c) => c.office_id === row.office_id) ?? category[0];
  const timeline = await ex
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', row.id)
    .where('deleted_at', 'is', null)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  const evidence = await ex
    .selectFrom('incident_evidence')
    .selectAll()
    .where('incident_id', '=', row.id)
    .orderBy('acquired_at')
    .orderBy('id')
    .execute();
  const custody =
    evidence.length === 0
      ? []
      : await ex
          .selectFrom('incident_custody')
          .selectAll()
          .where(
            'evidence_id',
            'in',
            evidence.map((e) => e.id),
          )
          .orderBy('evidence_id')
          .orderBy('seq')
          .execute();
  const comms = await ex
    .selectFrom('incident_communications')
    .selectAll()
    .where('incident_id', '=', row.id)
    .orderBy('communicated_at')
    .orderBy('id')
    .execute();
  const persons = await ex.selectFrom('incident_persons').select('name').where('incident_id', '=', row.id).execute();
  const named = await ex.selectFrom('incident_access').select('user_id').where('incident_id', '=', row.id).execute();
  const names = await userNames(ex, [
    row.reporter_user_id,
    row.owner_user_id,
    row.reviewer_user_id,
    ...evidence.map((e) => e.acquired_by_user_id),
    ...comms.map((c) => c.communicated_by),
    ...named.map((n) => n.user_id),
  ]);
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
      custody: custody
        .filter((c) => c.evidence_id === e.id)
        .map((c) => ({ seq: c.seq, from: c.from_party, to: c.to_party, at: c.at, purpose: c.purpose })),
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
}
