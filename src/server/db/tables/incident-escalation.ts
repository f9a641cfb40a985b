import type { Selectable } from 'kysely';

/** Row types for migration 0011: the escalation matrix per office and the escalation steps (issue #5). */
export interface EscalationRulesTable {
  office_id: string;
  /** JSON EscalationMatrix (src/shared/incidents/escalation.schemas.ts). */
  matrix: string;
  updated_by: string | null;
  updated_at: string;
  version: number;
}

export interface IncidentEscalationsTable {
  id: string;
  incident_id: string;
  office_id: string;
  severity: number;
  /** `timer` (a step with a deadline), `periodic_report` / `monthly_summary` (recorded, no timer), `immediate` (head of office alert). */
  kind: string;
  level: number;
  /** JSON array of roles the step goes to. */
  targets: string;
  /** JSON array of user ids notified. */
  recipients: string;
  minutes: number | null;
  started_at: string;
  due_at: string | null;
  /** Set while the incident awaits an external party: the deadline moves by the paused time on resume. */
  paused_at: string | null;
  /** open → acknowledged | overdue (escalated further) | cancelled (incident ended) | superseded (severity rose); recorded / sent for untimed kinds. */
  status: string;
  overdue_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  closed_at: string | null;
}

export interface IncidentEscalationTables {
  escalation_rules: EscalationRulesTable;
  incident_escalations: IncidentEscalationsTable;
}

export type EscalationRow = Selectable<IncidentEscalationsTable>;
