import type { ColumnType, Selectable } from 'kysely';

/**
 * Tables of the incident module (issue #5). Migration 0010 owns the core DDL (incidents, categories,
 * named access, involved persons); 0011 the escalation matrix and timers; 0012 the investigation
 * (timeline, evidence, chain of custody, communications, links); 0013 the report templates.
 */
export interface IncidentsTable {
  id: string;
  office_id: string;
  /** `OFFICE-YYYY-NNN`, unique; `ref_year`/`ref_seq` make it, allocated in the creating transaction. */
  reference: string;
  ref_year: number;
  ref_seq: number;
  title: string;
  /** Markdown as typed; sanitised when rendered, never stored as HTML. */
  narrative: string | null;
  domain: string;
  /** `family:type` from the category catalogue. */
  category: string;
  determination: string;
  severity: number | null;
  status: string;
  /** The status to return to when `awaiting_external` ends. */
  status_before_pause: string | null;
  /** Seconds spent in `awaiting_external`, and since when it is paused now (timers exclude both). */
  paused_seconds: number;
  paused_since: string | null;
  /**
   * JSON `[[from, to], …]` of the finished pauses, so a duration to any milestone excludes exactly the
   * pauses before it. Defaults to `[]` (rows written by fixtures and imports).
   */
  pause_log: ColumnType<string, string | undefined, string>;
  occurred_at: string | null;
  detected_at: string | null;
  reported_at: string;
  acknowledged_at: string | null;
  contained_at: string | null;
  hq_notified_at: string | null;
  hq_acknowledged_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  country: string | null;
  city: string | null;
  site_id: string | null;
  location_type: string | null;
  location_text: string | null;
  latitude: number | null;
  longitude: number | null;
  report_channel: string;
  reporter_user_id: string | null;
  /** For phone or walk-in reports by someone without an account. */
  reporter_name: string | null;
  owner_user_id: string | null;
  reviewer_user_id: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  /** JSON arrays/objects: affected assets, observables [{type,value,note}], impacts {...}. */
  affected_assets: string;
  observables: string;
  impacts: string;
  actor_type: string | null;
  anyone_hurt: number | null;
  help_needed: string | null;
  tlp: string;
  classification: string | null;
  sensitive: number;
  closing_summary: string | null;
  lessons_learned: string | null;
  duplicate_of: string | null;
  /** Idempotency key a phone sends with a quick report, so a resend after a lost response is not a second incident. */
  client_key: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncidentCategoriesTable {
  id: string;
  /** null = the global catalogue; an office may add its own. */
  office_id: string | null;
  code: string; // family:type
  family: string;
  label: string;
  label_fr: string;
  domain: string;
  default_severity: number | null;
  /** Sexual violence and the like: incidents in it are sensitive from the start. */
  sensitive: number;
  /** The head of office is alerted at once, whatever the severity. */
  always_immediate: number;
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Named people who may see a sensitive incident besides its owner, reporter and reviewer. */
export interface IncidentAccessTable {
  incident_id: string;
  user_id: string;
  granted_by: string | null;
  granted_at: string;
}

/** Involved persons: a restricted sub-record (incident.write to read it, never in exports or search). */
export interface IncidentPersonsTable {
  id: string;
  incident_id: string;
  role: string; // victim | witness | suspect | staff_involved | other
  person_id: string | null;
  name: string;
  details: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncidentTables {
  incidents: IncidentsTable;
  incident_categories: IncidentCategoriesTable;
  incident_access: IncidentAccessTable;
  incident_persons: IncidentPersonsTable;
}

export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentCategoryRow = Selectable<IncidentCategoriesTable>;
