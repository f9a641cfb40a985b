import type { Task, TaskComment, TaskSeries } from '../../../shared/tasks/tasks.schemas.ts';
import type { TaskCommentRow, TaskRow, TaskSeriesRow } from '../../db/tables/tasks.ts';

/** Row ⇄ domain object. Pure. */
export const NO_DUE_KEY = '~';

export function isActiveStatus(status: string): boolean {
  return status === 'open' || status === 'in_progress' || status === 'blocked';
}

export function toTask(r: TaskRow, nowIso: string): Task {
  return {
    id: r.id,
    officeId: r.office_id,
    title: r.title,
    description: r.description,
    ownerUserId: r.owner_user_id,
    dueAt: r.due_at,
    priority: r.priority as Task['priority'],
    status: r.status as Task['status'],
    overdue: isActiveStatus(r.status) && r.due_at !== null && r.due_at < nowIso,
    subject: r.subject_type && r.subject_id ? { entityType: r.subject_type, entityId: r.subject_id } : null,
    seriesId: r.series_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    completedBy: r.completed_by,
    version: r.version,
  };
}

export function toSeries(r: TaskSeriesRow): TaskSeries {
  return {
    id: r.id,
    officeId: r.office_id,
    rrule: r.rrule,
    dtstart: r.dtstart,
    title: r.title,
    description: r.description,
    ownerUserId: r.owner_user_id,
    priority: r.priority as TaskSeries['priority'],
    subject: r.subject_type && r.subject_id ? { entityType: r.subject_type, entityId: r.subject_id } : null,
    active: r.active === 1,
    lastOccurrenceAt: r.last_occurrence_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function toComment(r: TaskCommentRow): TaskComment {
  return {
    id: r.id,
    taskId: r.task_id,
    authorUserId: r.author_user_id,
    authorName: r.author_name,
    body: r.body,
    createdAt: r.created_at,
  };
}
