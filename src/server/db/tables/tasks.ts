import type { Selectable } from 'kysely';

/** Tables of the tasks building block and the calendar feed (migration 0005 owns the DDL; these are the row types). */
export interface TasksTable {
  id: string;
  office_id: string;
  series_id: string | null;
  /** For an occurrence of a series: the instant of the rule it stands for (its due date may later move). */
  occurrence_at: string | null;
  title: string;
  description: string | null;
  owner_user_id: string | null;
  due_at: string | null;
  /** `due_at`, or `~` when there is none (sorts after every date): a non-null key for keyset pagination. */
  due_key: string;
  priority: string;
  status: string;
  subject_type: string | null;
  subject_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  completed_by: string | null;
  /** The due date a "due soon" / "overdue" reminder was last sent for: once per task per due date. */
  due_soon_sent_for: string | null;
  overdue_sent_for: string | null;
  version: number;
}

export interface TaskSeriesTable {
  id: string;
  office_id: string;
  rrule: string;
  dtstart: string;
  title: string;
  description: string | null;
  owner_user_id: string | null;
  priority: string;
  subject_type: string | null;
  subject_id: string | null;
  active: number;
  last_occurrence_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TaskCommentsTable {
  id: string;
  task_id: string;
  author_user_id: string | null;
  author_name: string;
  body: string;
  created_at: string;
}

export interface CalendarFeedsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the feed token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface TaskTables {
  tasks: TasksTable;
  task_series: TaskSeriesTable;
  task_comments: TaskCommentsTable;
  calendar_feeds: CalendarFeedsTable;
}

export type TaskRow = Selectable<TasksTable>;
export type TaskSeriesRow = Selectable<TaskSeriesTable>;
export type TaskCommentRow = Selectable<TaskCommentsTable>;
export type CalendarFeedRow = Selectable<CalendarFeedsTable>;
