import type { Executor } from '../../db/database.ts';
import type { TaskCommentRow, TaskRow, TaskSeriesRow, TasksTable } from '../../db/tables/tasks.ts';
import { afterCursor, type Cursor, type SortSpec } from '../../lib/pagination.ts';

export const SORT_COLUMNS = { dueAt: 'due_key', createdAt: 'created_at', updatedAt: 'updated_at' };
const ACTIVE = ['open', 'in_progress', 'blocked'];
const CLOSED = ['done', 'cancelled'];

export interface TaskListFilter {
  /** Office scope: one office, a set (undefined = every office), or none when listing by owner. */
  officeId?: string | undefined;
  ownerUserId?: string | undefined;
  status?: string | undefined;
  overdueAt?: string | undefined;
  notOverdueAt?: string | undefined;
  dueBefore?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  seriesId?: string | undefined;
  sort: SortSpec;
  cursor?: Cursor | undefined;
  limit: number;
}

export async function list(ex: Executor, f: TaskListFilter): Promise<TaskRow[]> {
  let q = ex.selectFrom('tasks').selectAll();
  if (f.officeId) q = q.where('office_id', '=', f.officeId);
  if (f.ownerUserId) q = q.where('owner_user_id', '=', f.ownerUserId);
  if (f.status === 'active') q = q.where('status', 'in', ACTIVE);
  else if (f.status === 'closed') q = q.where('status', 'in', CLOSED);
  else if (f.status) q = q.where('status', '=', f.status);
  if (f.overdueAt) q = q.where('status', 'in', ACTIVE).where('due_at', '<', f.overdueAt);
  if (f.notOverdueAt) {
    const at = f.notOverdueAt;
    q = q.where((eb) => eb.or([eb('status', 'in', CLOSED), eb('due_at', 'is', null), eb('due_at', '>=', at)]));
  }
  if (f.dueBefore) q = q.where('due_at', '<', f.dueBefore);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  if (f.seriesId) q = q.where('series_id', '=', f.seriesId);
  if (f.cursor) q = q.where(afterCursor('tasks', f.sort, f.cursor));
  const dir = f.sort.desc ? 'desc' : 'asc';
  return q
    .orderBy(f.sort.column as keyof TasksTable, dir)
    .orderBy('id', dir)
    .limit(f.limit + 1)
    .execute();
}

export async function findById(ex: Executor, id: string): Promise<TaskRow | undefined> {
  return ex.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByIds(ex: Executor, ids: readonly string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return ex
    .selectFrom('tasks')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function insert(ex: Executor, row: TaskRow): Promise<void> {
  await ex.insertInto('tasks').values(row).execute();
}

/** Writes every user-visible field when the version still matches; false when someone else changed it first. */
export async function updateIfVersion(ex: Executor, row: TaskRow, expectedVersion: number): Promise<boolean> {
  const r = await ex
    .updateTable('tasks')
    .set({
      title: row.title,
      description: row.description,
      owner_user_id: row.owner_user_id,
      due_at: row.due_at,
      due_key: row.due_key,
      priority: row.priority,
      status: row.status,
      subject_type: row.subject_type,
      subject_id: row.subject_id,
      updated_at: row.updated_at,
      completed_at: row.completed_at,
      completed_by: row.completed_by,
      version: row.version,
    })
    .where('id', '=', row.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- comments ---------------------------------------------------------------------------------------

export async function insertComment(ex: Executor, row: TaskCommentRow): Promise<void> {
  await ex.insertInto('task_comments').values(row).execute();
}

export async function listComments(
  ex: Executor,
  taskId: string,
  cursor: Cursor | undefined,
  limit: number,
): Promise<TaskCommentRow[]> {
  let q = ex.selectFrom('task_comments').selectAll().where('task_id', '=', taskId);
  if (cursor) q = q.where(afterCursor('task_comments', { column: 'created_at', desc: false }, cursor));
  return q
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit + 1)
    .execute();
}

// --- series -----------------------------------------------------------------------------------------

export async function insertSeries(ex: Executor, row: TaskSeriesRow): Promise<void> {
  await ex.insertInto('task_series').values(row).execute();
}

export async function findSeries(ex: Executor, id: string): Promise<TaskSeriesRow | undefined> {
  return ex.selectFrom('task_series').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Moves the series on to its next occurrence (or ends it when `next` is null), only if no one else
 * moved it since it was read: two job runs (or a job and a user closing the task) never both generate.
 */
export async function advanceSeries(ex: Executor, s: TaskSeriesRow, next: string | null, at: string): Promise<boolean> {
  let q = ex
    .updateTable('task_series')
    .set({
      last_occurrence_at: next ?? s.last_occurrence_at,
      active: next ? 1 : 0,
      updated_at: at,
      version: s.version + 1,
    })
    .where('id', '=', s.id)
    .where('version', '=', s.version);
  q = s.last_occurrence_at === null ? q.where('last_occurrence_at', 'is', null) : q;
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function stopSeriesIfVersion(ex: Executor, s: TaskSeriesRow, at: string): Promise<boolean> {
  const r = await ex
    .updateTable('task_series')
    .set({ active: 0, updated_at: at, version: s.version + 1 })
    .where('id', '=', s.id)
    .where('version', '=', s.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Active series whose latest occurrence is due (or has no occurrence yet): the next one is to be made. */
export async function seriesDue(ex: Executor, nowIso: string, limit: number): Promise<TaskSeriesRow[]> {
  return ex
    .selectFrom('task_series')
    .selectAll()
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('last_occurrence_at', 'is', null), eb('last_occurrence_at', '<=', nowIso)]))
    .orderBy('last_occurrence_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function activeSeriesOfOwner(ex: Executor, userId: string): Promise<TaskSeriesRow[]> {
  return ex
    .selectFrom('task_series')
    .selectAll()
    .where('owner_user_id', '=', userId)
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
}

export async function activeTasksOfOwnerWithDue(ex: Executor, userId: string, limit: number): Promise<TaskRow[]> {
  return ex
    .selectFrom('tasks')
    .selectAll()
    .where('owner_user_id', '=', userId)
    .where('status', 'in', ACTIVE)
    .where('due_at', 'is not', null)
    .orderBy('due_key')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// --- reminders --------------------------------------------------------------------------------------

/** Active, owned tasks due within (now, until] whose due-soon reminder was not sent for this due date. */
export async function dueSoonCandidates(ex: Executor, nowIso: string, untilIso: string, limit: number) {
  return ex
    .selectFrom('tasks')
    .selectAll()
    .where('status', 'in', ACTIVE)
    .where('owner_user_id', 'is not', null)
    .where('due_at', '>', nowIso)
    .where('due_at', '<=', untilIso)
    .where((eb) => eb.or([eb('due_soon_sent_for', 'is', null), eb('due_soon_sent_for', '<>', eb.ref('due_at'))]))
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Active, owned tasks past due whose overdue reminder was not sent for this due date. */
export async function overdueCandidates(ex: Executor, nowIso: string, limit: number) {
  return ex
    .selectFrom('tasks')
    .selectAll()
    .where('status', 'in', ACTIVE)
    .where('owner_user_id', 'is not', null)
    .where('due_at', '<=', nowIso)
    .where((eb) => eb.or([eb('overdue_sent_for', 'is', null), eb('overdue_sent_for', '<>', eb.ref('due_at'))]))
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Claims a reminder (true once per task and due date, even with several instances running). */
export async function claimReminder(
  ex: Executor,
  taskId: string,
  dueAt: string,
  kind: 'due_soon' | 'overdue',
): Promise<boolean> {
  const col = kind === 'due_soon' ? 'due_soon_sent_for' : 'overdue_sent_for';
  const set = kind === 'overdue' ? { overdue_sent_for: dueAt, due_soon_sent_for: dueAt } : { due_soon_sent_for: dueAt };
  const r = await ex
    .updateTable('tasks')
    .set(set)
    .where('id', '=', taskId)
    .where('due_at', '=', dueAt)
    .where((eb) => eb.or([eb(col, 'is', null), eb(col, '<>', dueAt)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- other modules' records, read in the caller's transaction ----------------------------------------
// (The offices and users services read outside any transaction, which would wait forever for the one
// SQLite connection a transaction holds; these two small reads are the task module's own checks.)

export async function officeExists(ex: Executor, officeId: string): Promise<boolean> {
  const r = await ex
    .selectFrom('offices')
    .select('id')
    .where('id', '=', officeId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r !== undefined;
}

export async function assignableUser(
  ex: Executor,
  userId: string,
): Promise<{ id: string; role: string; disabled: boolean; officeIds: string[]; name: string } | undefined> {
  const u = await ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .select(['users.id', 'users.role', 'users.is_disabled', 'persons.display_name'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!u) return undefined;
  const offices = await ex.selectFrom('user_offices').select('office_id').where('user_id', '=', userId).execute();
  return {
    id: u.id,
    role: u.role,
    disabled: u.is_disabled === 1,
    officeIds: offices.map((o) => o.office_id),
    name: u.display_name,
  };
}
