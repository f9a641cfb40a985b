import { z } from 'zod';
import { EmptySchema, IdParamsSchema, IdSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { TaskSchema } from '../tasks/tasks.schemas.ts';
import {
  AnswerInput,
  ItemTaskInput,
  RUN_SORTS,
  RunSchema,
  RunStartInput,
  RunStatusSchema,
  RunSummarySchema,
  TEMPLATE_SORTS,
  TemplateCreateInput,
  TemplateSchema,
  TemplateSummarySchema,
  TemplateUpdateInput,
} from './checklists.schemas.ts';

const tags = ['checklists'];
const OfficeParams = z.strictObject({ officeId: IdSchema });
const ItemParams = z.strictObject({
  id: IdSchema,
  itemId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, { message: 'must be an item id of the checklist' }),
});
const VersionBody = z.strictObject({ version: z.int().min(1).max(2_147_483_647) });

export const listChecklistTemplates = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/checklist-templates',
  permission: 'checklist.read',
  officeFrom: 'officeId',
  operationId: 'listChecklistTemplates',
  summary: 'Checklist templates an office can run: its own and the global ones',
  tags,
  params: OfficeParams,
  query: z.strictObject({ ...ListQueryBase, sort: z.enum(TEMPLATE_SORTS).default('name') }),
  response: pageOf(TemplateSummarySchema),
});

export const createChecklistTemplate = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/checklist-templates',
  permission: 'checklist.manage',
  officeFrom: 'officeId',
  operationId: 'createChecklistTemplate',
  summary: 'Create a checklist template for one office',
  tags,
  params: OfficeParams,
  body: TemplateCreateInput,
  response: TemplateSchema,
  status: 201,
});

export const createGlobalChecklistTemplate = defineContract({
  method: 'POST',
  path: '/api/v1/checklist-templates',
  permission: 'checklist.manage',
  operationId: 'createGlobalChecklistTemplate',
  summary: 'Create a global checklist template, offered to every office (roles that see all offices only)',
  tags,
  body: TemplateCreateInput,
  response: TemplateSchema,
  status: 201,
});

export const getChecklistTemplate = defineContract({
  method: 'GET',
  path: '/api/v1/checklist-templates/:id',
  permission: 'checklist.read',
  officeFrom: 'record',
  operationId: 'getChecklistTemplate',
  summary: 'Read a template with its items: the current version, or `?templateVersion=N`',
  tags,
  params: IdParamsSchema,
  query: z.strictObject({ templateVersion: z.coerce.number().int().min(1).max(100_000).optional() }),
  response: TemplateSchema,
});

export const updateChecklistTemplate = defineContract({
  method: 'PATCH',
  path: '/api/v1/checklist-templates/:id',
  permission: 'checklist.manage',
  officeFrom: 'record',
  operationId: 'updateChecklistTemplate',
  summary:
    'Change a template. Once a run has used the current version, the change becomes a new version (runs keep theirs); a stale version is a 409',
  tags,
  params: IdParamsSchema,
  body: TemplateUpdateInput,
  response: TemplateSchema,
});

export const deleteChecklistTemplate = defineContract({
  method: 'DELETE',
  path: '/api/v1/checklist-templates/:id',
  permission: 'checklist.manage',
  officeFrom: 'record',
  operationId: 'deleteChecklistTemplate',
  summary: 'Retire a template (soft delete, audited; its runs stay)',
  tags,
  params: IdParamsSchema,
  query: z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647) }),
  response: EmptySchema,
  status: 204,
});

export const listChecklistRuns = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/checklist-runs',
  permission: 'checklist.read',
  officeFrom: 'officeId',
  operationId: 'listChecklistRuns',
  summary: "An office's checklist runs (newest first by default)",
  tags,
  params: OfficeParams,
  query: z.strictObject({
    ...ListQueryBase,
    sort: z.enum(RUN_SORTS).default('-startedAt'),
    status: RunStatusSchema.optional(),
    templateId: IdSchema.optional(),
    siteId: IdSchema.optional(),
  }),
  response: pageOf(RunSummarySchema),
});

export const startChecklistRun = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/checklist-runs',
  permission: 'checklist.run',
  officeFrom: 'officeId',
  operationId: 'startChecklistRun',
  summary: "Start a run of a template (the office's or a global one), pinned to its current version",
  tags,
  params: OfficeParams,
  body: RunStartInput,
  response: RunSchema,
  status: 201,
});

export const getChecklistRun = defineContract({
  method: 'GET',
  path: '/api/v1/checklist-runs/:id',
  permission: 'checklist.read',
  officeFrom: 'record',
  operationId: 'getChecklistRun',
  summary: 'A run with its items, answers, score and failed items',
  tags,
  params: IdParamsSchema,
  response: RunSchema,
});

export const answerChecklistItem = defineContract({
  method: 'PUT',
  path: '/api/v1/checklist-runs/:id/answers/:itemId',
  permission: 'checklist.run',
  officeFrom: 'record',
  operationId: 'answerChecklistItem',
  summary:
    "Save one item's answer (a phone sends them one at a time). Sending the same answer again is harmless; a stale answer version is a 409",
  tags,
  params: ItemParams,
  body: AnswerInput,
  response: RunSchema,
});

export const completeChecklistRun = defineContract({
  method: 'POST',
  path: '/api/v1/checklist-runs/:id/complete',
  permission: 'checklist.run',
  officeFrom: 'record',
  operationId: 'completeChecklistRun',
  summary: 'Complete a run: every required item must be answered (else 422 naming them); fixes the score',
  tags,
  params: IdParamsSchema,
  body: VersionBody,
  response: RunSchema,
});

export const createTaskFromChecklistItem = defineContract({
  method: 'POST',
  path: '/api/v1/checklist-runs/:id/items/:itemId/task',
  permission: 'task.write',
  officeFrom: 'record',
  operationId: 'createTaskFromChecklistItem',
  summary:
    'Turn a failed item into a task about the run (201). Idempotent per item: a second call returns the same task with 200',
  tags,
  params: ItemParams,
  body: ItemTaskInput,
  response: TaskSchema,
  status: 201,
});

export const checklistContracts = [
  listChecklistTemplates,
  createChecklistTemplate,
  createGlobalChecklistTemplate,
  getChecklistTemplate,
  updateChecklistTemplate,
  deleteChecklistTemplate,
  listChecklistRuns,
  startChecklistRun,
  getChecklistRun,
  answerChecklistItem,
  completeChecklistRun,
  createTaskFromChecklistItem,
];
