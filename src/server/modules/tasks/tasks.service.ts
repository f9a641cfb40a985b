import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { AuditEntry as AuditEntryOut } from '../../../shared/audit/audit.schemas.ts';
import { CROSS_OFFICE_ROLES, type Role, roleCan } from '../../../shared/permissions.ts';
import type { listMyTasks, listOfficeTasks } from '../../../shared/tasks/tasks.contract.ts';
import {
  type Task,
  TaskBulkInput,
  type TaskComment,
  TaskCommentInput,
  type TaskCreateInput,
  TaskNewInput,
  type TaskSeries,
  type TaskStatus,
  type TaskSubject,
  TaskUpdateInput,
} from '../../../shared/tasks/tasks.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { TaskRow, TaskSeriesRow } from '../../db/tables/tasks.ts';
import { assertCan, assertOffice, type Ctx, canSeeOffice, systemCtx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Forbidden, Invalid, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, parseSort, toPage } from '../../lib/pagination.ts';
import type {
  LinkedRecord,
  NotificationRequest,
  Notifier,
  RecordLinks,
  SearchDoc,
  SearchIndexer,
} from '../../lib/ports.ts';
import { clip } from '../../lib/unicode.ts';
import { type AuditService, diff } from '../audit/audit.service.ts';
import type { CalendarEvent, CalendarSource } from '../calendar/calendar.types.ts';
import { normaliseRule, occurrenceAfter, remainingRule } from './recurrence.ts';
import { isActiveStatus, NO_DUE_KEY, toComment, toSeries, toTask } from './tasks.mapper.ts';
import * as repo from './tasks.repository.ts';

type OfficeListQuery = z.infer<NonNullable<typeof listOfficeTasks.query>>;
type MyListQuery = z.infer<NonNullable<typeof listMyTasks.query>>;
type PageQuery = { limit: number; cursor?: string | undefined };

export type TaskService = ReturnType<typeof createTaskService>;

const REMIND_BEFORE_MS = 24 * 3600 * 1000;
const BATCH = 200;
/** How long a calendar event for a due date lasts (a due date is a moment; calendars want a span). */
const EVENT_MINUTES = 30;

/** Input checked by the service itself, for callers that are not routes: a ZodError becomes a 400. */
function parse<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new Invalid(
    'The task is not valid.',
    r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message, code: i.code })),
  );
}

function utc(iso: string | null | undefined): string | null {
  if (iso === null || iso === undefined) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 2999)
    throw new Invalid('The due date is out of range.', [
      { path: 'body.dueAt', message: 'must be between 1970 and 2999' },
    ]);
  return d.toISOString();
}

type LinkedTask = LinkedRecord & { ownerUserId: string | null };

/** What a caller may do with one task. */
interface Access {
  /** Sees every task of the office (task.read). */
  read: boolean;
  /** Changes anything (task.write). */
  write: boolean;
  /** The task is assigned to them (task.self): they read it, change its status and comment. */
  own: boolean;
}

function accessTo(ctx: Ctx, officeId: string, ownerUserId: string | null): Access {
  const a = ctx.actor;
  if (!a) return { read: true, write: true, own: false };
  const inOffice = canSeeOffice(ctx, officeId);
  return {
    read: inOffice && roleCan(a.role, 'task.read'),
    write: inOffice && roleCan(a.role, 'task.write'),
    own: ownerUserId !== null && ownerUserId === a.userId && roleCan(a.role, 'task.self'),
  };
}

interface Changes {
  title?: string | undefined;
  description?: string | null | undefined;
  ownerUserId?: string | null | undefined;
  dueAt?: string | null | undefined;
  priority?: string | undefined;
  status?: TaskStatus | undefined;
  subject?: TaskSubject | null | undefined;
}

export function createTaskService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  links: RecordLinks;
  notifier: Notifier;
  searchIndexer: SearchIndexer;
}) {
  const { db, clock, audit, links, notifier, searchIndexer } = deps;
  const now = () => isoNow(clock);
  const view = (r: TaskRow) => toTask(r, now());

  async function notify(ex: Executor, ctx: Ctx, req: Omit<NotificationRequest, 'recipients'>, to: (string | null)[]) {
    const self = ctx.actor?.userId;
    const recipients = [...new Set(to.filter((u): u is string => !!u && u !== self))];
    if (recipients.length > 0) await notifier.notify(ex, ctx, { ...req, recipients });
  }

  const paramsOf = (r: TaskRow, ctx: Ctx) => ({
    title: r.title,
    dueAt: r.due_at,
    status: r.status,
    priority: r.priority,
    actor: ctx.actor?.displayName ?? 'Outpost',
  });

  const docOf = (r: TaskRow): SearchDoc => ({
    entityType: 'task',
    entityId: r.id,
    officeId: r.office_id,
    title: r.title,
    body: r.description ?? '',
    permission: 'task.read',
    updatedAt: r.updated_at,
  });

  async function index(ex: Executor, r: TaskRow) {
    await searchIndexer.upsert(ex, docOf(r));
  }

  /** The task if the caller may see it; 404 otherwise (records they may not see do not exist for them). */
  async function loadVisible(ex: Executor, ctx: Ctx, id: string): Promise<{ row: TaskRow; access: Access }> {
    const row = await repo.findById(ex, id);
    if (!row) throw new NotFound('No such task.');
    const access = accessTo(ctx, row.office_id, row.owner_user_id);
    if (!access.read && !access.own) throw new NotFound('No such task.');
    return { row, access };
  }

  async function checkOffice(ex: Executor, ctx: Ctx, officeId: string) {
    assertOffice(ctx, officeId);
    if (!(await repo.officeExists(ex, officeId))) throw new NotFound('No such office.');
  }

  /** Owners are active users who work in the task's office (or see every office). */
  async function checkOwner(
    ex: Executor,
    officeId: string,
    userId: string | null | undefined,
    path = 'body.ownerUserId',
  ) {
    if (!userId) return;
    const u = await repo.assignableUser(ex, userId);
    const ok =
      u &&
      !u.disabled &&
      roleCan(u.role as Role, 'task.self') &&
      (CROSS_OFFICE_ROLES.includes(u.role as Role) || u.officeIds.includes(officeId));
    if (!ok)
      throw new Invalid('A task can only be assigned to an active user of its office.', [
        { path, message: 'is not an active user of this office' },
      ]);
  }

  /** The linked record, checked for the caller and for the office: a task never points across offices. */
  async function resolveSubject(ex: Executor, ctx: Ctx, subject: TaskSubject, officeId: string) {
    let rec: LinkedRecord;
    try {
      rec = await links.resolve(ex, ctx, subject.entityType, subject.entityId);
    } catch (e) {
      if (e instanceof NotFound)
        throw new Invalid('The record this task belongs to does not exist (or you may not see it).', [
          { path: 'body.subject', message: 'no such record' },
        ]);
      throw e;
    }
    if (rec.officeId !== null && rec.officeId !== officeId)
      throw new Invalid('A task belongs to a record of its own office.', [
        { path: 'body.subject', message: 'is a record of another office' },
      ]);
    return rec;
  }

  /** Makes the series' next occurrence, once, if the one that just closed or passed is its latest. */
  async function advanceSeries(
    ex: Executor,
    ctx: Ctx,
    seriesId: string,
    at: Date,
    latestMustBe: string | null,
  ): Promise<TaskRow | null> {
    const s = await repo.findSeries(ex, seriesId);
    if (s?.active !== 1) return null;
    if (s.last_occurrence_at !== latestMustBe) return null;
    const last = s.last_occurrence_at ? new Date(s.last_occurrence_at) : new Date(s.dtstart);
    const base = last.getTime() > at.getTime() ? last : at;
    const next = occurrenceAfter(s.rrule, s.dtstart, base, s.last_occurrence_at === null);
    const nowIso = now();
    if (!(await repo.advanceSeries(ex, s, next ? next.toISOString() : null, nowIso))) return null;
    if (!next) {
      await audit.record(ex, ctx, {
        action: 'task_series.stop',
        entityType: 'task_series',
        entityId: s.id,
        officeId: s.office_id,
        changes: { reason: 'the rule has no further occurrence' },
      });
      return null;
    }
    const row = occurrenceRow(s, next.toISOString(), nowIso);
    await repo.insert(ex, row);
    await audit.record(ex, ctx, {
      action: 'task.create',
      entityType: 'task',
      entityId: row.id,
      officeId: row.office_id,
      changes: { ...view(row), occurrenceOf: s.id },
    });
    await index(ex, row);
    return row;
  }

  function occurrenceRow(s: TaskSeriesRow, dueAt: string, nowIso: string): TaskRow {
    return {
      id: newId(),
      office_id: s.office_id,
      series_id: s.id,
      occurrence_at: dueAt,
      title: s.title,
      description: s.description,
      owner_user_id: s.owner_user_id,
      due_at: dueAt,
      due_key: dueAt,
      priority: s.priority,
      status: 'open',
      subject_type: s.subject_type,
      subject_id: s.subject_id,
      created_by: s.created_by,
      created_at: nowIso,
      updated_at: nowIso,
      completed_at: null,
      completed_by: null,
      due_soon_sent_for: null,
      overdue_sent_for: null,
      version: 1,
    };
  }

  /** One change to one task, in the caller's transaction: write, audit, index, notify, recur. */
  async function apply(
    ex: Executor,
    ctx: Ctx,
    before: TaskRow,
    c: Changes,
    expectedVersion: number,
    extra: Record<string, unknown> = {},
  ): Promise<TaskRow> {
    const nowIso = now();
    const after: TaskRow = { ...before };
    if (c.title !== undefined) after.title = c.title;
    if (c.description !== undefined) after.description = c.description || null;
    if (c.priority !== undefined) after.priority = c.priority;
    if (c.ownerUserId !== undefined && c.ownerUserId !== before.owner_user_id) {
      await checkOwner(ex, before.office_id, c.ownerUserId);
      after.owner_user_id = c.ownerUserId;
    }
    if (c.dueAt !== undefined) {
      after.due_at = utc(c.dueAt);
      after.due_key = after.due_at ?? NO_DUE_KEY;
    }
    if (c.subject !== undefined) {
      after.subject_type = c.subject?.entityType ?? null;
      after.subject_id = c.subject?.entityId ?? null;
    }
    const closing = c.status !== undefined && isActiveStatus(before.status) && !isActiveStatus(c.status);
    const reopening = c.status !== undefined && !isActiveStatus(before.status) && isActiveStatus(c.status);
    if (c.status !== undefined) after.status = c.status;
    if (closing) {
      after.completed_at = nowIso;
      after.completed_by = ctx.actor?.userId ?? null;
    } else if (reopening) {
      after.completed_at = null;
      after.completed_by = null;
    }
    const { overdue: _b, ...was } = view(before);
    const { overdue: _a, ...is } = view(after);
    const changes = diff(was, is);
    if (Object.keys(changes).length === 0) return before;
    after.version = before.version + 1;
    after.updated_at = nowIso;
    if (!(await repo.updateIfVersion(ex, after, expectedVersion))) {
      const current = await repo.findById(ex, before.id);
      throw new VersionConflict(
        'This task was changed by someone else; reload it and apply your change again.',
        current?.version,
      );
    }
    await audit.record(ex, ctx, {
      action: 'task.update',
      entityType: 'task',
      entityId: after.id,
      officeId: after.office_id,
      changes: { ...changes, ...extra },
    });
    await index(ex, after);
    const about = { officeId: after.office_id, entityType: 'task', entityId: after.id, params: paramsOf(after, ctx) };
    if (after.owner_user_id !== before.owner_user_id && after.owner_user_id)
      await notify(ex, ctx, { ...about, kind: 'task.assigned' }, [after.owner_user_id]);
    if (closing) await notify(ex, ctx, { ...about, kind: 'task.closed' }, [after.created_by, after.owner_user_id]);
    if (closing && after.series_id) await advanceSeries(ex, ctx, after.series_id, clock.now(), after.occurrence_at);
    return after;
  }

  async function page(filter: Omit<repo.TaskListFilter, 'sort' | 'cursor' | 'limit'>, q: MyListQuery) {
    const sort = parseSort(q.sort, repo.SORT_COLUMNS);
    const nowIso = now();
    const rows = await repo.list(db, {
      ...filter,
      status: q.status,
      overdueAt: q.overdue === 'true' ? nowIso : undefined,
      notOverdueAt: q.overdue === 'false' ? nowIso : undefined,
      dueBefore: q.dueBefore ? (utc(q.dueBefore) ?? undefined) : undefined,
      sort,
      cursor: decodeCursor(q.cursor),
      limit: q.limit,
    });
    return toPage(rows, q.limit, (r) => r[sort.column as 'due_key'], view);
  }

  function canSeeSeries(ctx: Ctx, s: TaskSeriesRow): Access {
    return accessTo(ctx, s.office_id, s.owner_user_id);
  }

  const service = {
    /**
     * Creates a task (the shared interface of ADR 0010). With `ex` it writes in the caller's
     * transaction; with `recurrence`, the task is the first occurrence of a new series.
     */
    async create(ctx: Ctx, input: TaskCreateInput | TaskNewInput, ex?: Executor): Promise<Task> {
      assertCan(ctx, 'task.write');
      const data = parse(TaskNewInput, input);
      const nowIso = now();
      let dueAt = utc(data.dueAt);
      let rule: string | null = null;
      if (data.recurrence) {
        const start = new Date(dueAt ?? nowIso);
        rule = normaliseRule(data.recurrence.rrule, start);
        const first = occurrenceAfter(rule, start.toISOString(), start, true);
        if (!first)
          throw new Invalid('The recurrence rule has no occurrence.', [
            { path: 'body.recurrence.rrule', message: 'never occurs' },
          ]);
        dueAt = first.toISOString();
      }
      const subject = data.subject ?? null;
      // Without the caller's transaction, the link is resolved before ours opens: resolvers may read outside it.
      if (subject && !ex) {
        assertOffice(ctx, data.officeId);
        await resolveSubject(db, ctx, subject, data.officeId);
      }
      const run = async (trx: Executor): Promise<TaskRow> => {
        await checkOffice(trx, ctx, data.officeId);
        if (subject && ex) await resolveSubject(trx, ctx, subject, data.officeId);
        await checkOwner(trx, data.officeId, data.ownerUserId);
        let seriesId: string | null = null;
        if (rule && dueAt) {
          const series: TaskSeriesRow = {
            id: newId(),
            office_id: data.officeId,
            rrule: rule,
            dtstart: dueAt,
            title: data.title,
            description: data.description || null,
            owner_user_id: data.ownerUserId ?? null,
            priority: data.priority ?? 'normal',
            subject_type: subject?.entityType ?? null,
            subject_id: subject?.entityId ?? null,
            active: 1,
            last_occurrence_at: dueAt,
            created_by: ctx.actor?.userId ?? null,
            created_at: nowIso,
            updated_at: nowIso,
            version: 1,
          };
          await repo.insertSeries(trx, series);
          await audit.record(trx, ctx, {
            action: 'task_series.create',
            entityType: 'task_series',
            entityId: series.id,
            officeId: series.office_id,
            changes: toSeries(series),
          });
          seriesId = series.id;
        }
        const row: TaskRow = {
          id: newId(),
          office_id: data.officeId,
          series_id: seriesId,
          occurrence_at: seriesId ? dueAt : null,
          title: data.title,
          description: data.description || null,
          owner_user_id: data.ownerUserId ?? null,
          due_at: dueAt,
          due_key: dueAt ?? NO_DUE_KEY,
          priority: data.priority ?? 'normal',
          status: 'open',
          subject_type: subject?.entityType ?? null,
          subject_id: subject?.entityId ?? null,
          created_by: ctx.actor?.userId ?? null,
          created_at: nowIso,
          updated_at: nowIso,
          completed_at: null,
          completed_by: null,
          due_soon_sent_for: null,
          overdue_sent_for: null,
          version: 1,
        };
        await repo.insert(trx, row);
        await audit.record(trx, ctx, {
          action: 'task.create',
          entityType: 'task',
          entityId: row.id,
          officeId: row.office_id,
          changes: view(row),
        });
        await index(trx, row);
        if (row.owner_user_id)
          await notify(
            trx,
            ctx,
            {
              kind: 'task.assigned',
              officeId: row.office_id,
              entityType: 'task',
              entityId: row.id,
              params: paramsOf(row, ctx),
            },
            [row.owner_user_id],
          );
        return row;
      };
      return view(ex ? await run(ex) : await db.transaction().execute(run));
    },

    async get(ctx: Ctx, id: string): Promise<Task> {
      return view((await loadVisible(db, ctx, id)).row);
    },

    /**
     * Changes a task. Office writers (task.write) change anything; the owner with only task.self
     * changes its status. Closing a series' latest occurrence makes the next one.
     */
    async update(ctx: Ctx, id: string, input: TaskUpdateInput): Promise<Task> {
      const data = parse(TaskUpdateInput, input);
      const { version, ...changes } = data;
      if (changes.subject) {
        const { row, access } = await loadVisible(db, ctx, id);
        if (!access.write) throw new Forbidden('Only office task editors may link a task to a record.');
        await resolveSubject(db, ctx, changes.subject, row.office_id);
      }
      return db.transaction().execute(async (trx) => {
        const { row, access } = await loadVisible(trx, ctx, id);
        if (!access.write) {
          const onlyStatus = Object.entries(changes).every(([k, v]) => k === 'status' || v === undefined);
          if (!access.own || !onlyStatus)
            throw new Forbidden('You may change only the status of a task assigned to you.');
        }
        if (row.version !== version)
          throw new VersionConflict(
            `This task was changed by someone else (now version ${row.version}); reload it and apply your change again.`,
            row.version,
          );
        return view(await apply(trx, ctx, row, changes, version));
      });
    },

    /** One change to many tasks, all or nothing: any task missing or not editable and nothing changes. */
    async bulk(ctx: Ctx, input: TaskBulkInput): Promise<{ items: Task[] }> {
      assertCan(ctx, 'task.write');
      const data = parse(TaskBulkInput, input);
      const change: Changes =
        data.action === 'setStatus'
          ? { status: data.status }
          : data.action === 'setOwner'
            ? { ownerUserId: data.ownerUserId }
            : { dueAt: data.dueAt };
      return db.transaction().execute(async (trx) => {
        const rows = new Map((await repo.findByIds(trx, data.ids)).map((r) => [r.id, r]));
        const items: Task[] = [];
        for (const [i, id] of data.ids.entries()) {
          const row = rows.get(id);
          const access = row ? accessTo(ctx, row.office_id, row.owner_user_id) : undefined;
          if (!row || !access?.write) {
            throw new NotFound(`No such task: ${id}. Nothing was changed.`, [
              { path: `body.ids.${i}`, message: 'no such task (or you may not change it)' },
            ]);
          }
          items.push(view(await apply(trx, ctx, row, change, row.version, { bulk: data.action })));
        }
        return { items };
      });
    },

    /** Tasks assigned to the caller, in every office. */
    async mine(ctx: Ctx, q: MyListQuery) {
      assertCan(ctx, 'task.self');
      const userId = ctx.actor?.userId;
      if (!userId) throw new Forbidden('Only a signed-in user has tasks of their own.');
      return page({ ownerUserId: userId }, q);
    },

    /** An office's tasks (task.read), filtered. */
    async listOffice(ctx: Ctx, officeId: string, q: OfficeListQuery) {
      assertCan(ctx, 'task.read');
      await checkOffice(db, ctx, officeId);
      return page(
        {
          officeId,
          ownerUserId: q.ownerUserId,
          subjectType: q.subjectType,
          subjectId: q.subjectId,
          seriesId: q.seriesId,
        },
        q,
      );
    },

    async addComment(ctx: Ctx, id: string, input: TaskCommentInput): Promise<TaskComment> {
      const data = parse(TaskCommentInput, input);
      return db.transaction().execute(async (trx) => {
        const { row, access } = await loadVisible(trx, ctx, id);
        if (!access.write && !access.own) throw new Forbidden('You may comment only on tasks you can change.');
        const comment = {
          id: newId(),
          task_id: id,
          author_user_id: ctx.actor?.userId ?? null,
          author_name: ctx.actor?.displayName ?? 'Outpost',
          body: data.body,
          created_at: now(),
        };
        await repo.insertComment(trx, comment);
        await audit.record(trx, ctx, {
          action: 'task.comment',
          entityType: 'task',
          entityId: id,
          officeId: row.office_id,
          changes: { commentId: comment.id },
        });
        await notify(
          trx,
          ctx,
          {
            kind: 'task.comment',
            officeId: row.office_id,
            entityType: 'task',
            entityId: id,
            params: { ...paramsOf(row, ctx), comment: clip(data.body, 500) },
          },
          [row.owner_user_id, row.created_by],
        );
        return toComment(comment);
      });
    },

    async listComments(ctx: Ctx, id: string, q: PageQuery) {
      await loadVisible(db, ctx, id);
      const rows = await repo.listComments(db, id, decodeCursor(q.cursor), q.limit);
      return toPage(rows, q.limit, (r) => r.created_at, toComment);
    },

    /** The task's audit entries, newest first: who changed what, when. */
    async history(ctx: Ctx, id: string, q: PageQuery): Promise<{ items: AuditEntryOut[]; nextCursor: string | null }> {
      await loadVisible(db, ctx, id);
      // Seeing the task is the permission here; the trail is read as the system, for this task only.
      return audit.list(systemCtx, { entityType: 'task', entityId: id, limit: q.limit, cursor: q.cursor });
    },

    async getSeries(ctx: Ctx, id: string): Promise<TaskSeries> {
      const s = await repo.findSeries(db, id);
      const access = s ? canSeeSeries(ctx, s) : undefined;
      if (!s || !access || (!access.read && !access.own)) throw new NotFound('No such series.');
      return toSeries(s);
    },

    /** Stops a series: no further occurrences; the open one stays. */
    async stopSeries(ctx: Ctx, id: string, version: number): Promise<TaskSeries> {
      assertCan(ctx, 'task.write');
      return db.transaction().execute(async (trx) => {
        const s = await repo.findSeries(trx, id);
        const access = s ? canSeeSeries(ctx, s) : undefined;
        if (!s || !access || (!access.read && !access.own)) throw new NotFound('No such series.');
        if (!access.write) throw new Forbidden('Only office task editors may stop a series.');
        if (s.version !== version || !(await repo.stopSeriesIfVersion(trx, s, now())))
          throw new VersionConflict('This series was changed; reload it and try again.', s.version);
        await audit.record(trx, ctx, {
          action: 'task_series.stop',
          entityType: 'task_series',
          entityId: id,
          officeId: s.office_id,
          changes: { active: [true, false] },
        });
        return toSeries({ ...s, active: 0, version: s.version + 1, updated_at: now() });
      });
    },

    /**
     * Job body: the next occurrence of every series whose latest occurrence is due (the missed one stays
     * open and overdue). Returns how many occurrences it made.
     */
    async runRecurrence(at: Date): Promise<number> {
      const atIso = at.toISOString();
      const tried = new Set<string>();
      let made = 0;
      for (;;) {
        const due = (await repo.seriesDue(db, atIso, BATCH)).filter((s) => !tried.has(s.id));
        if (due.length === 0) return made;
        for (const s of due) {
          tried.add(s.id);
          const row = await db
            .transaction()
            .execute((trx) => advanceSeries(trx, systemCtx, s.id, at, s.last_occurrence_at));
          if (row) made++;
        }
      }
    },

    /**
     * Job body: `task.due_soon` within 24 hours of the due date and `task.overdue` once it has passed,
     * each once per task and due date (moving the due date re-arms them). Returns how many it sent.
     */
    async runReminders(at: Date): Promise<number> {
      const atIso = at.toISOString();
      const untilIso = new Date(at.getTime() + REMIND_BEFORE_MS).toISOString();
      let sent = 0;
      for (const kind of ['overdue', 'due_soon'] as const) {
        const tried = new Set<string>();
        for (;;) {
          const rows = (
            kind === 'overdue'
              ? await repo.overdueCandidates(db, atIso, BATCH)
              : await repo.dueSoonCandidates(db, atIso, untilIso, BATCH)
          ).filter((r) => !tried.has(r.id));
          if (rows.length === 0) break;
          for (const r of rows) {
            tried.add(r.id);
            if (!r.due_at) continue;
            const dueAt = r.due_at;
            const ok = await db.transaction().execute(async (trx) => {
              if (!(await repo.claimReminder(trx, r.id, dueAt, kind))) return false;
              await notifier.notify(trx, systemCtx, {
                recipients: [r.owner_user_id as string],
                kind: kind === 'overdue' ? 'task.overdue' : 'task.due_soon',
                officeId: r.office_id,
                entityType: 'task',
                entityId: r.id,
                params: { title: r.title, dueAt, priority: r.priority },
              });
              return true;
            });
            if (ok) sent++;
          }
        }
      }
      return sent;
    },

    /** Every task as a search document, in pages (`outpost search reindex`). */
    async *searchDocuments(ex: Executor): AsyncGenerator<SearchDoc> {
      let after = '';
      for (;;) {
        const rows = await ex
          .selectFrom('tasks')
          .selectAll()
          .where('id', '>', after)
          .orderBy('id')
          .limit(500)
          .execute();
        for (const r of rows) yield docOf(r);
        const last = rows.at(-1);
        if (rows.length < 500 || !last) return;
        after = last.id;
      }
    },

    /** Resolver for record links (`task`): other records (attachments, sub-tasks) may hang off a task. */
    linkResolver: {
      async resolve(ex: Executor, ctx: Ctx, id: string): Promise<LinkedTask> {
        const { row } = await loadVisible(ex, ctx, id);
        return {
          entityType: 'task',
          entityId: row.id,
          officeId: row.office_id,
          title: row.title,
          ownerUserId: row.owner_user_id,
        };
      },
      canWrite(ctx: Ctx, record: LinkedRecord): boolean {
        if (record.officeId === null) return false;
        const access = accessTo(ctx, record.officeId, (record as Partial<LinkedTask>).ownerUserId ?? null);
        return access.write || access.own;
      },
    },

    /** The calendar feed's source: the user's open tasks with a due date, and their recurring series. */
    calendarSource: {
      name: 'tasks',
      async eventsFor(userId: string, at: Date): Promise<CalendarEvent[]> {
        const events: CalendarEvent[] = [];
        for (const r of await repo.activeTasksOfOwnerWithDue(db, userId, 2000)) {
          const start = new Date(r.due_at as string);
          events.push({
            uid: `task-${r.id}`,
            summary: r.title,
            description: r.description,
            start,
            end: new Date(start.getTime() + EVENT_MINUTES * 60_000),
            categories: ['task', `priority:${r.priority}`],
            path: `/tasks/${r.id}`,
            updatedAt: r.updated_at,
          });
        }
        for (const s of await repo.activeSeriesOfOwner(db, userId)) {
          // The open occurrence is an event of its own (above); the series shows what comes after it.
          const after = s.last_occurrence_at ? new Date(s.last_occurrence_at) : at;
          const rest = remainingRule(s.rrule, s.dtstart, after);
          if (!rest) continue;
          events.push({
            uid: `task-series-${s.id}`,
            summary: s.title,
            description: s.description,
            start: rest.start,
            end: new Date(rest.start.getTime() + EVENT_MINUTES * 60_000),
            rrule: rest.rrule,
            categories: ['task', 'recurring', `priority:${s.priority}`],
            path: `/tasks?series=${s.id}`,
            updatedAt: s.updated_at,
          });
        }
        return events;
      },
    } satisfies CalendarSource,
  };
  return service;
}
