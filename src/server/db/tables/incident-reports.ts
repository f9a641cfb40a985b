import type { Selectable } from 'kysely';

/**
 * Per-office incident report template (issue #5, migration 0013): the texts and sections an office puts in
 * its incident reports (PDF and DOCX). No logo, no HTML: plain text only. One row per office; an office
 * without a row uses the default template.
 */
export interface IncidentReportTemplatesTable {
  office_id: string;
  /** Line(s) printed at the top of every report, e.g. the organisation's name. */
  header_text: string;
  /** Footer / classification line printed at the bottom of every page. */
  footer_text: string;
  /** JSON array of the section keys to include, in order (see REPORT_SECTIONS). */
  sections: string;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncidentReportTables {
  incident_report_templates: IncidentReportTemplatesTable;
}

export type IncidentReportTemplateRow = Selectable<IncidentReportTemplatesTable>;
