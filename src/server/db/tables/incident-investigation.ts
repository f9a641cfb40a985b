import type { Selectable } from 'kysely';

/**
 * Investigation of an incident (issue #5, migration 0012): timeline of events, evidence with its chain of
 * custody, the communications log, links to other records, and the task templates per category.
 */

/** One event on the incident's timeline. Soft-deleted (`deleted_at`), so a removal stays in the audit trail. */
export interface IncidentTimelineTable {
  id: string;
  incident_id: string;
  occurred_at: string;
  /** `exact` or `approximate` (a witness's "around 10 pm"). */
  precision: string;
  description: string;
  /** Who or what says so: witness, cctv, log, staff_report, police, officer, media, system, other. */
  source: string;
  source_detail: string | null;
  /** 1 = for the investigators only: not shown to a staff member following their own report. */
  internal: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
  deleted_by: string | null;
}

/** One item of evidence. Its hash and acquisition facts are fixed once recorded; custody is a separate log. */
export interface IncidentEvidenceTable {
  id: string;
  incident_id: string;
  label: string;
  kind: string;
  description: string | null;
  acquired_at: string;
  acquired_by_user_id: string | null;
  /** Free text when the acquirer has no account (a police officer, an IT contractor). */
  acquired_by_name: string | null;
  acquisition_method: string | null;
  storage_location: string | null;
  /** Lowercase hex SHA-256: of the attachment, or typed for an item hashed elsewhere. */
  sha256: string | null;
  /** An attachment of the incident (attachments module, entity type `incident`). */
  attachment_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * Chain of custody: append-only (no route edits or deletes an entry). Each entry carries the hash of the
 * previous one (`prev_hash`) and its own (`entry_hash`), so a changed or removed entry shows.
 */
export interface IncidentCustodyTable {
  id: string;
  evidence_id: string;
  seq: number;
  from_party: string | null;
  to_party: string;
  at: string;
  purpose: string;
  note: string | null;
  recorded_by: string | null;
  recorded_at: string;
  prev_hash: string;
  entry_hash: string;
}

/** Who was told what, how, when, by whom, and whether they acknowledged. */
export interface IncidentCommunicationsTable {
  id: string;
  incident_id: string;
  recipient: string;
  recipient_user_id: string | null;
  channel: string;
  summary: string;
  communicated_at: string;
  communicated_by: string | null;
  acknowledged: number;
  acknowledged_at: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** A link from an incident to another record: `incident`, or any type of the record-links registry. */
export interface IncidentLinksTable {
  id: string;
  incident_id: string;
  target_type: string;
  target_id: string;
  /** related | duplicate_of | caused_by | causes */
  relation: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
}

/** Task templates per category: one row per task, with its due offset from when it is applied. */
export interface IncidentTaskTemplatesTable {
  id: string;
  category_code: string;
  item_key: string;
  title: string;
  title_fr: string;
  due_offset_hours: number | null;
  priority: string;
  sort_order: number;
  active: number;
}

/** Which template items were already turned into tasks for an incident (applying twice creates nothing new). */
export interface IncidentAppliedTasksTable {
  id: string;
  incident_id: string;
  template_id: string;
  task_id: string;
  applied_by: string | null;
  applied_at: string;
}

export interface IncidentInvestigationTables {
  incident_timeline: IncidentTimelineTable;
  incident_evidence: IncidentEvidenceTable;
  incident_custody: IncidentCustodyTable;
  incident_communications: IncidentCommunicationsTable;
  incident_links: IncidentLinksTable;
  incident_task_templates: IncidentTaskTemplatesTable;
  incident_applied_tasks: IncidentAppliedTasksTable;
}

export type IncidentTimelineRow = Selectable<IncidentTimelineTable>;
export type IncidentEvidenceRow = Selectable<IncidentEvidenceTable>;
export type IncidentCustodyRow = Selectable<IncidentCustodyTable>;
export type IncidentCommunicationRow = Selectable<IncidentCommunicationsTable>;
export type IncidentLinkRow = Selectable<IncidentLinksTable>;
export type IncidentTaskTemplateRow = Selectable<IncidentTaskTemplatesTable>;
export type IncidentAppliedTaskRow = Selectable<IncidentAppliedTasksTable>;
