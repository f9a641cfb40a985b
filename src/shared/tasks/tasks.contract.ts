import { z } from 'zod';
import { AuditEntrySchema } from '../audit/audit.schemas.ts';
import { IdParamsSchema, IdSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  BooleanQuerySchema,
  DueAtSchema,
  TASK_SORTS,
  TaskBulkInput,
  TaskCommentInput,
  TaskCommentSchema,
  TaskCreateBody,
  TaskSchema,
  TaskSeriesSchema,
  TaskStatusFilterSchema,
  TaskUpdateInput,
} from './tasks.schemas.ts';

const tags = ['tasks'];
const OfficeParams = z.strictObject({ officeId: IdSchema });

const listFilters = {
  ...ListQueryBase,
  sort: z.enum(TASK_SORTS).default('dueAt'),
  status: TaskStatusFilterSchema.optional(),
  overdue: BooleanQuerySchema.optional(),
  dueBefore: DueAtSchema.optional(),
};

export const listMyTasks = defineContract({
  method: 'GET',
  path: '/api/v1/tasks/mine',
  permission: 'task.self',
  operationId: 'listMyTasks',
  summary: 'Tasks assigned to the caller, in every office (status `active` = open, in progress or blocked)',
  tags,
  query: z.strictObject(listFilters),
  response: pageOf(TaskSchema),
});

export const listOfficeTasks = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/tasks',
  permission: 'task.read',
  officeFrom: 'officeId',
  operationId: 'listOfficeTasks',
  summary: "List an office's tasks (filters: status, owner, overdue, due before, linked record, series)",
  tags,
  params: OfficeParams,
  query: z.strictObject({
    ...listFilters,
    ownerUserId: IdSchema.optional(),
    subjectType: z.string().trim().min(1).max(50).optional(),
    subjectId: z.string().trim().min(1).max(100).optional(),
    seriesId: IdSchema.optional(),
  }),
  response: pageOf(TaskSchema),
});

export const createTask = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/tasks',
  permission: 'task.write',
  officeFrom: 'officeId',
  operationId: 'createTask',
  summary: 'Create a task (with `recurrence.rrule`, the first occurrence of a recurring series)',
  tags,
  params: OfficeParams,
  body: TaskCreateBody,
  response: TaskSchema,
  status: 201,
});

export const bulkUpdateTasks = defineContract({
  method: 'POST',
  path: '/api/v1/tasks/bulk',
  permission: 'task.write',
  operationId: 'bulkUpdateTasks',
  summary: 'Set the status, owner or due date of many tasks at once: all or nothing, each change audited',
  tags,
  body: TaskBulkInput,
  response: z.object({ items: z.array(TaskSchema) }),
});

export const getTask = defineContract({
  method: 'GET',
  path: '/api/v1/tasks/:id',
  permission: 'task.self',
  officeFrom: 'record',
  operationId: 'getTask',
  summary: 'Read one task (office readers, or its owner)',
  tags,
  params: IdParamsSchema,
  response: TaskSchema,
});

export const updateTask = defineContract({
  method: 'PATCH',
  path: '/api/v1/tasks/:id',
  permission: 'task.self',
  officeFrom: 'record',
  operationId: 'updateTask',
  summary:
    'Change a task (office editors: anything; its owner: the status). The body carries the version it was read at; a stale version is a 409',
  tags,
  params: IdParamsSchema,
  body: TaskUpdateInput,
  response: TaskSchema,
});

export const listTaskComments = defineContract({
  method: 'GET',
  path: '/api/v1/tasks/:id/comments',
  permission: 'task.self',
  officeFrom: 'record',
  operationId: 'listTaskComments',
  summary: "A task's comments, oldest first",
  tags,
  params: IdParamsSchema,
  query: z.strictObject(ListQueryBase),
  response: pageOf(TaskCommentSchema),
});

export const addTaskComment = defineContract({
  method: 'POST',
  path: '/api/v1/tasks/:id/comments',
  permission: 'task.self',
  officeFrom: 'record',
  operationId: 'addTaskComment',
  summary: 'Comment on a task (office editors, or its owner)',
  tags,
  params: IdParamsSchema,
  body: TaskCommentInput,
  response: TaskCommentSchema,
  status: 201,
});

export const getTaskHistory = defineContract({
  method: 'GET',
  path: '/api/v1/tasks/:id/history',
  permission: 'task.self',
  officeFrom: 'record',
  operationId: 'getTaskHistory',
  summary: "A task's history (its audit entries), newest first",
  tags,
  params: IdParamsSchema,
  query: z.strictObject(ListQueryBase),
  response: pageOf(AuditEntrySchema),
});

export const getTaskSeries = defineContract({
  method: 'GET',
  path: '/api/v1/task-series/:id',
  permission: 'task.self',
  officeFrom: 'record',
  operationId: 'getTaskSeries',
  summary: 'Read a recurring series (its RRULE and template)',
  tags,
  params: IdParamsSchema,
  response: TaskSeriesSchema,
});

export const stopTaskSeries = defineContract({
  method: 'POST',
  path: '/api/v1/task-series/:id/stop',
  permission: 'task.write',
  officeFrom: 'record',
  operationId: 'stopTaskSeries',
  summary: 'Stop a recurring series: no further occurrences (the open one stays)',
  tags,
  params: IdParamsSchema,
  body: z.strictObject({ version: z.int().min(1) }),
  response: TaskSeriesSchema,
});

export const taskContracts = [
  listMyTasks,
  listOfficeTasks,
  createTask,
  bulkUpdateTasks,
  getTask,
  updateTask,
  listTaskComments,
  addTaskComment,
  getTaskHistory,
  getTaskSeries,
  stopTaskSeries,
];
