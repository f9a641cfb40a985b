import { z } from 'zod';
import { IdSchema, TimestampSchema, text, VersionSchema } from '../common/common.schemas.ts';

export const TASK_STATUSES = ['open', 'in_progress', 'blocked', 'done', 'cancelled'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
/** Statuses of work still to do; `done` and `cancelled` close a task. */
export const ACTIVE_TASK_STATUSES: readonly TaskStatus[] = ['open', 'in_progress', 'blocked'];
export const CLOSED_TASK_STATUSES: readonly TaskStatus[] = ['done', 'cancelled'];

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TaskPrioritySchema = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof TaskPrioritySchema>;

/** Any ISO-8601 date-time with a zone (`Z` or an offset); the server stores it as UTC. */
export const DueAtSchema = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time with a zone' });

/** The record a task belongs to (polymorphic link, resolved through the record-links registry). */
export const TaskSubjectSchema = z.strictObject({
  entityType: z.string().trim().min(1).max(50),
  entityId: z.string().trim().min(1).max(100),
});
export type TaskSubject = z.infer<typeof TaskSubjectSchema>;

/** iCalendar RRULE (RFC 5545), e.g. `FREQ=WEEKLY;BYDAY=MO`; the first occurrence is at or after `dueAt`. */
export const RecurrenceInputSchema = z.strictObject({
  rrule: z.string().trim().min(1, { message: 'must not be empty' }).max(500),
});

/** What other modules pass to `services.tasks.create` (the shared interface of ADR 0010). */
export const TaskCreateInput = z.strictObject({
  officeId: IdSchema,
  title: text(300),
  description: z.string().trim().max(10_000).nullable().optional(),
  ownerUserId: IdSchema.nullable().optional(),
  dueAt: DueAtSchema.nullable().optional(),
  priority: TaskPrioritySchema.optional(),
  subject: TaskSubjectSchema.nullable().optional(),
});
export type TaskCreateInput = z.input<typeof TaskCreateInput>;

/** The service's full create input: a task, optionally the first occurrence of a recurring series. */
export const TaskNewInput = TaskCreateInput.extend({ recurrence: RecurrenceInputSchema.nullable().optional() });
export type TaskNewInput = z.input<typeof TaskNewInput>;

/** The API body (the office comes from the path). */
export const TaskCreateBody = TaskNewInput.omit({ officeId: true });
export type TaskCreateBody = z.input<typeof TaskCreateBody>;

export const TaskUpdateInput = z.strictObject({
  title: text(300).optional(),
  description: z.string().trim().max(10_000).nullable().optional(),
  ownerUserId: IdSchema.nullable().optional(),
  dueAt: DueAtSchema.nullable().optional(),
  priority: TaskPrioritySchema.optional(),
  status: TaskStatusSchema.optional(),
  subject: TaskSubjectSchema.nullable().optional(),
  version: VersionSchema,
});
export type TaskUpdateInput = z.input<typeof TaskUpdateInput>;

export const TaskSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  title: z.string(),
  description: z.string().nullable(),
  ownerUserId: IdSchema.nullable(),
  dueAt: TimestampSchema.nullable(),
  priority: TaskPrioritySchema,
  status: TaskStatusSchema,
  /** Still to do and past its due date (computed when read). */
  overdue: z.boolean(),
  subject: TaskSubjectSchema.nullable(),
  /** The recurring series this task is an occurrence of. */
  seriesId: IdSchema.nullable(),
  createdBy: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  completedAt: TimestampSchema.nullable(),
  completedBy: IdSchema.nullable(),
  version: VersionSchema,
});
export type Task = z.infer<typeof TaskSchema>;

export const TaskSeriesSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  rrule: z.string(),
  dtstart: TimestampSchema,
  title: z.string(),
  description: z.string().nullable(),
  ownerUserId: IdSchema.nullable(),
  priority: TaskPrioritySchema,
  subject: TaskSubjectSchema.nullable(),
  /** False once stopped or when the rule has no further occurrences. */
  active: z.boolean(),
  /** When the latest occurrence generated so far is due. */
  lastOccurrenceAt: TimestampSchema.nullable(),
  createdBy: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  version: VersionSchema,
});
export type TaskSeries = z.infer<typeof TaskSeriesSchema>;

export const TaskCommentSchema = z.object({
  id: IdSchema,
  taskId: IdSchema,
  authorUserId: IdSchema.nullable(),
  authorName: z.string(),
  body: z.string(),
  createdAt: TimestampSchema,
});
export type TaskComment = z.infer<typeof TaskCommentSchema>;

export const TaskCommentInput = z.strictObject({ body: text(10_000) });
export type TaskCommentInput = z.input<typeof TaskCommentInput>;

/** Status filter: one status, or `active` (open, in progress, blocked) or `closed` (done, cancelled). */
export const TaskStatusFilterSchema = z.enum([...TASK_STATUSES, 'active', 'closed']);
export const BooleanQuerySchema = z.enum(['true', 'false']);

export const TASK_SORTS = ['dueAt', '-dueAt', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const;

const BulkIds = z
  .array(IdSchema)
  .min(1, { message: 'give at least one task' })
  .max(200, { message: 'at most 200 tasks at a time' })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'each task only once' });

/** One change applied to many tasks, all or nothing. */
export const TaskBulkInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('setStatus'), ids: BulkIds, status: TaskStatusSchema }),
  z.strictObject({ action: z.literal('setOwner'), ids: BulkIds, ownerUserId: IdSchema.nullable() }),
  z.strictObject({ action: z.literal('setDueAt'), ids: BulkIds, dueAt: DueAtSchema.nullable() }),
]);
export type TaskBulkInput = z.input<typeof TaskBulkInput>;
