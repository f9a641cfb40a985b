/** Tables of the checklists building block (migration files own the DDL; these are the row types). */
export interface ChecklistTemplatesTable {
  id: string;
  /** Null: a global template, offered to every office. */
  office_id: string | null;
  /** Set for the templates Outpost ships (seeded once, by this key); null for user-made ones. */
  builtin_key: string | null;
  name: string;
  name_fr: string | null;
  description: string | null;
  /** Number of the current version in checklist_template_versions. */
  current_version: number;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One version of a template's content. Frozen once a run uses it: editing then makes a new version. */
export interface ChecklistTemplateVersionsTable {
  id: string;
  template_id: string;
  number: number;
  name: string;
  name_fr: string | null;
  description: string | null;
  items: string; // JSON array of ChecklistItem
  created_by: string | null;
  created_at: string;
}

export interface ChecklistRunsTable {
  id: string;
  office_id: string;
  template_id: string;
  /** The version the run uses, pinned at start. */
  template_version_id: string;
  site_id: string | null;
  title: string;
  status: string; // in_progress | completed
  performed_by: string;
  started_by: string | null;
  started_at: string;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  completed_at: string | null;
  completed_by: string | null;
  /** Percentage of applicable items passing, fixed at completion (null when nothing applicable). */
  score: number | null;
  failed_count: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ChecklistAnswersTable {
  id: string;
  run_id: string;
  item_id: string;
  value: string | null; // JSON: "yes" | 12.5 | "text" | attachment id | option value
  na: number;
  note: string | null;
  outcome: string; // pass | fail | na | info
  answered_by: string | null;
  answered_at: string;
  version: number;
}

/** The task made from a failed item: one per (run, item), so the call is idempotent. */
export interface ChecklistItemTasksTable {
  id: string;
  run_id: string;
  item_id: string;
  task_id: string;
  created_by: string | null;
  created_at: string;
}

export interface ChecklistTables {
  checklist_templates: ChecklistTemplatesTable;
  checklist_template_versions: ChecklistTemplateVersionsTable;
  checklist_runs: ChecklistRunsTable;
  checklist_answers: ChecklistAnswersTable;
  checklist_item_tasks: ChecklistItemTasksTable;
}
