import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type {
  ChecklistAnswersTable,
  ChecklistItemTasksTable,
  ChecklistRunsTable,
  ChecklistTemplatesTable,
  ChecklistTemplateVersionsTable,
} from '../../db/tables/checklists.ts';
import { afterCursor, type Cursor, type SortSpec } from '../../lib/pagination.ts';

export type TemplateRow = Selectable<ChecklistTemplatesTable>;
export type TemplateVersionRow = Selectable<ChecklistTemplateVersionsTable>;
export type RunRow = Selectable<ChecklistRunsTable>;
export type AnswerRow = Selectable<ChecklistAnswersTable>;
export type ItemTaskRow = Selectable<ChecklistItemTasksTable>;

export const TEMPLATE_SORT_COLUMNS = { name: 'name', updatedAt: 'updated_at' };
export const RUN_SORT_COLUMNS = { startedAt: 'started_at', updatedAt: 'updated_at' };

// ---- templates

export async function findTemplate(ex: Executor, id: string): Promise<TemplateRow | undefined> {
  return ex
    .selectFrom('checklist_templates')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findTemplateByKey(ex: Executor, key: string): Promise<TemplateRow | undefined> {
  return ex.selectFrom('checklist_templates').selectAll().where('builtin_key', '=', key).executeTakeFirst();
}

export async function listTemplates(
  ex: Executor,
  f: { officeId: string; sort: SortSpec; cursor?: Cursor | undefined; limit: number },
): Promise<(TemplateRow & { items: string })[]> {
  let q = ex
    .selectFrom('checklist_templates')
    .innerJoin('checklist_template_versions as v', (j) =>
      j
        .onRef('v.template_id', '=', 'checklist_templates.id')
        .onRef('v.number', '=', 'checklist_templates.current_version'),
    )
    .selectAll('checklist_templates')
    .select('v.items')
    .where('checklist_templates.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('checklist_templates.office_id', '=', f.officeId), eb('checklist_templates.office_id', 'is', null)]),
    );
  if (f.cursor) q = q.where(afterCursor('checklist_templates', f.sort, f.cursor));
  const dir = f.sort.desc ? 'desc' : 'asc';
  return q
    .orderBy(`checklist_templates.${f.sort.column as 'name'}`, dir)
    .orderBy('checklist_templates.id', dir)
    .limit(f.limit + 1)
    .execute();
}

export async function insertTemplate(ex: Executor, row: TemplateRow): Promise<void> {
  await ex.insertInto('checklist_templates').values(row).execute();
}

export async function updateTemplateIfVersion(
  ex: Executor,
  id: string,
  expectedVersion: number,
  set: Partial<Omit<TemplateRow, 'id' | 'version'>>,
): Promise<boolean> {
  const r = await ex
    .updateTable('checklist_templates')
    .set({ ...set, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findVersion(
  ex: Executor,
  templateId: string,
  number: number,
): Promise<TemplateVersionRow | undefined> {
  return ex
    .selectFrom('checklist_template_versions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function findVersionById(ex: Executor, id: string): Promise<TemplateVersionRow | undefined> {
  return ex.selectFrom('checklist_template_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertVersion(ex: Executor, row: TemplateVersionRow): Promise<void> {
  await ex.insertInto('checklist_template_versions').values(row).execute();
}

export async function updateVersionContent(
  ex: Executor,
  id: string,
  set: Pick<TemplateVersionRow, 'name' | 'name_fr' | 'description' | 'items'>,
): Promise<void> {
  await ex.updateTable('checklist_template_versions').set(set).where('id', '=', id).execute();
}

export async function versionHasRuns(ex: Executor, versionId: string): Promise<boolean> {
  const r = await ex
    .selectFrom('checklist_runs')
    .select('id')
    .where('template_version_id', '=', versionId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

// ---- runs

export async function findRun(ex: Executor, id: string): Promise<RunRow | undefined> {
  return ex
    .selectFrom('checklist_runs')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listRuns(
  ex: Executor,
  f: {
    officeId: string;
    status?: string | undefined;
    templateId?: string | undefined;
    siteId?: string | undefined;
    sort: SortSpec;
    cursor?: Cursor | undefined;
    limit: number;
  },
): Promise<RunRow[]> {
  let q = ex
    .selectFrom('checklist_runs')
    .selectAll()
    .where('office_id', '=', f.officeId)
    .where('deleted_at', 'is', null);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.templateId) q = q.where('template_id', '=', f.templateId);
  if (f.siteId) q = q.where('site_id', '=', f.siteId);
  if (f.cursor) q = q.where(afterCursor('checklist_runs', f.sort, f.cursor));
  const dir = f.sort.desc ? 'desc' : 'asc';
  return q
    .orderBy(f.sort.column as 'started_at', dir)
    .orderBy('id', dir)
    .limit(f.limit + 1)
    .execute();
}

export async function insertRun(ex: Executor, row: RunRow): Promise<void> {
  await ex.insertInto('checklist_runs').values(row).execute();
}

export async function updateRunIfVersion(
  ex: Executor,
  id: string,
  expectedVersion: number,
  set: Partial<Omit<RunRow, 'id' | 'version'>>,
): Promise<boolean> {
  const r = await ex
    .updateTable('checklist_runs')
    .set({ ...set, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Versions of the runs (for the template module's own view), newest version numbers of templates. */
export async function versionNumberOf(ex: Executor, versionId: string): Promise<number | undefined> {
  const r = await ex
    .selectFrom('checklist_template_versions')
    .select('number')
    .where('id', '=', versionId)
    .executeTakeFirst();
  return r?.number;
}

// ---- answers

export async function listAnswers(ex: Executor, runId: string): Promise<AnswerRow[]> {
  return ex.selectFrom('checklist_answers').selectAll().where('run_id', '=', runId).orderBy('item_id').execute();
}

export async function findAnswer(ex: Executor, runId: string, itemId: string): Promise<AnswerRow | undefined> {
  return ex
    .selectFrom('checklist_answers')
    .selectAll()
    .where('run_id', '=', runId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

export async function insertAnswer(ex: Executor, row: AnswerRow): Promise<void> {
  await ex.insertInto('checklist_answers').values(row).execute();
}

export async function updateAnswerIfVersion(ex: Executor, row: AnswerRow, expectedVersion: number): Promise<boolean> {
  const { id, run_id: _r, item_id: _i, ...set } = row;
  const r = await ex
    .updateTable('checklist_answers')
    .set(set)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteAnswer(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('checklist_answers').where('id', '=', id).execute();
}

// ---- tasks made from failed items

export async function listItemTasks(ex: Executor, runId: string): Promise<ItemTaskRow[]> {
  return ex.selectFrom('checklist_item_tasks').selectAll().where('run_id', '=', runId).execute();
}

export async function findItemTask(ex: Executor, runId: string, itemId: string): Promise<ItemTaskRow | undefined> {
  return ex
    .selectFrom('checklist_item_tasks')
    .selectAll()
    .where('run_id', '=', runId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

export async function insertItemTask(ex: Executor, row: ItemTaskRow): Promise<void> {
  await ex.insertInto('checklist_item_tasks').values(row).execute();
}

// ---- batches (search reindex)

export async function templateBatch(ex: Executor, afterId: string | null, limit: number): Promise<TemplateRow[]> {
  let q = ex.selectFrom('checklist_templates').selectAll().where('deleted_at', 'is', null);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

export async function runBatch(ex: Executor, afterId: string | null, limit: number): Promise<RunRow[]> {
  let q = ex.selectFrom('checklist_runs').selectAll().where('deleted_at', 'is', null);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}
