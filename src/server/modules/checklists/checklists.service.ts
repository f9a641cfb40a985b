import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { listChecklistRuns, listChecklistTemplates } from '../../../shared/checklists/checklists.contract.ts';
import {
  type Answer,
  AnswerInput,
  type ChecklistItem,
  type ItemTaskInput,
  type Outcome,
  type Run,
  RunStartInput,
  type RunSummary,
  type Template,
  TemplateCreateInput,
  type TemplateSummary,
  TemplateUpdateInput,
} from '../../../shared/checklists/checklists.schemas.ts';
import { roleCan } from '../../../shared/permissions.ts';
import type { Task, TaskCreateInput } from '../../../shared/tasks/tasks.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, assertOffice, type Ctx, canSeeOffice, systemCtx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { AppError, Conflict, Forbidden, Invalid, NotFound, Unavailable, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, parseSort, toPage } from '../../lib/pagination.ts';
import type { Notifier, RecordLinks, RecordResolver, SearchDoc, SearchIndexer } from '../../lib/ports.ts';
import { clip } from '../../lib/unicode.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { BUILT_IN_TEMPLATES } from './checklists.builtin.ts';
import * as repo from './checklists.repository.ts';

type TemplateListQuery = z.infer<NonNullable<typeof listChecklistTemplates.query>>;
type RunListQuery = z.infer<NonNullable<typeof listChecklistRuns.query>>;

/** 422: the request is understood but cannot be done in the record's state (missing required answers…). */
export class Unprocessable extends AppError {
  readonly status = 422;
  readonly type: string = 'unprocessable';
  readonly title: string = 'Cannot be done yet';
}

/** What checklists need of the tasks block (the shared interface of the brief). */
export interface TaskPort {
  create(ctx: Ctx, input: TaskCreateInput, ex?: Executor): Promise<Task>;
  get(ctx: Ctx, id: string): Promise<Task>;
}

/** What checklists need of attachments: is this id a live attachment of that run (a photo answer)? */
export interface AttachmentLookup {
  findOn(ex: Executor, id: string, entityType: string, entityId: string): Promise<{ id: string } | null>;
}

// ---- pure helpers (items, outcomes, scores)

function parseItems(json: string): ChecklistItem[] {
  return JSON.parse(json) as ChecklistItem[];
}

function normaliseItems(items: z.output<typeof TemplateCreateInput>['items']): ChecklistItem[] {
  return items.map((i) => ({
    id: i.id ?? `item-${randomBytes(5).toString('hex')}`,
    section: i.section || null,
    sectionFr: i.sectionFr || null,
    label: i.label,
    labelFr: i.labelFr || null,
    type: i.type,
    required: i.required,
    guidance: i.guidance || null,
    guidanceFr: i.guidanceFr || null,
    unit: i.unit || null,
    min: i.min ?? null,
    max: i.max ?? null,
    options: (i.options ?? []).map((o) => ({
      value: o.value,
      label: o.label,
      labelFr: o.labelFr || null,
      failing: o.failing,
    })),
  }));
}

const badValue = (message: string) =>
  new Invalid(`The answer does not fit the item: ${message}.`, [{ path: 'body.value', message }]);

/** Checks a value against its item and says how it counts. */
export function outcomeOf(item: ChecklistItem, value: string | number | null, na: boolean): Outcome {
  if (na) return 'na';
  switch (item.type) {
    case 'yes_no_na':
      if (value === 'yes') return 'pass';
      if (value === 'no') return 'fail';
      if (value === 'na') return 'na';
      throw badValue('must be "yes", "no" or "na"');
    case 'number': {
      if (typeof value !== 'number') throw badValue('must be a number');
      if ((item.min !== null && value < item.min) || (item.max !== null && value > item.max)) return 'fail';
      return item.min === null && item.max === null ? 'info' : 'pass';
    }
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') throw badValue('must be text');
      return 'info';
    case 'photo':
      if (typeof value !== 'string') throw badValue('must be the id of a photo attached to this run');
      return 'info';
    case 'choice': {
      const option = item.options.find((o) => o.value === value);
      if (!option) throw badValue(`must be one of ${item.options.map((o) => o.value).join(', ')}`);
      return option.failing ? 'fail' : 'pass';
    }
  }
}

function toAnswer(r: repo.AnswerRow): Answer {
  return {
    itemId: r.item_id,
    value: r.value === null ? null : (JSON.parse(r.value) as string | number),
    na: r.na === 1,
    note: r.note,
    outcome: r.outcome as Outcome,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
    version: r.version,
  };
}

/** Score: % of applicable (pass or fail) items that pass, to one decimal; null when none apply. */
function evaluate(items: ChecklistItem[], answers: repo.AnswerRow[]) {
  const byItem = new Map(answers.map((a) => [a.item_id, a]));
  let passed = 0;
  let failed = 0;
  const failedItems: ChecklistItem[] = [];
  const missingRequired: ChecklistItem[] = [];
  let answered = 0;
  for (const item of items) {
    const a = byItem.get(item.id);
    if (!a) {
      if (item.required) missingRequired.push(item);
      continue;
    }
    answered++;
    if (a.outcome === 'pass') passed++;
    if (a.outcome === 'fail') {
      failed++;
      failedItems.push(item);
    }
  }
  const applicable = passed + failed;
  const score = applicable === 0 ? null : Math.round((passed / applicable) * 1000) / 10;
  return { passed, failed, applicable, answered, score, failedItems, missingRequired };
}

function toRunSummary(r: repo.RunRow, v: repo.TemplateVersionRow): RunSummary {
  return {
    id: r.id,
    officeId: r.office_id,
    templateId: r.template_id,
    templateVersionId: r.template_version_id,
    templateVersion: v.number,
    title: r.title,
    titleFr: v.name_fr,
    siteId: r.site_id,
    status: r.status as RunSummary['status'],
    performedBy: r.performed_by,
    startedBy: r.started_by,
    startedAt: r.started_at,
    location: r.location,
    latitude: r.latitude,
    longitude: r.longitude,
    completedAt: r.completed_at,
    completedBy: r.completed_by,
    score: r.score,
    failedCount: r.failed_count,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toTemplateSummary(r: repo.TemplateRow, itemsJson: string): TemplateSummary {
  return {
    id: r.id,
    officeId: r.office_id,
    builtinKey: r.builtin_key,
    name: r.name,
    nameFr: r.name_fr,
    description: r.description,
    templateVersion: r.current_version,
    itemCount: parseItems(itemsJson).length,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toTemplate(r: repo.TemplateRow, v: repo.TemplateVersionRow): Template {
  return {
    ...toTemplateSummary(r, v.items),
    name: v.name,
    nameFr: v.name_fr,
    description: v.description,
    templateVersion: v.number,
    templateVersionId: v.id,
    items: parseItems(v.items),
  };
}

function formatValue(item: ChecklistItem, a: Answer | undefined): string {
  if (!a) return 'no answer';
  if (a.na) return 'not applicable';
  if (item.type === 'choice') return item.options.find((o) => o.value === a.value)?.label ?? String(a.value);
  return `${a.value}${item.unit ? ` ${item.unit}` : ''}`;
}

function expected(item: ChecklistItem): string | null {
  if (item.type === 'number' && (item.min !== null || item.max !== null)) {
    const u = item.unit ? ` ${item.unit}` : '';
    if (item.min !== null && item.max !== null)
      return item.min === item.max ? `${item.min}${u}` : `${item.min}–${item.max}${u}`;
    return item.min !== null ? `at least ${item.min}${u}` : `at most ${item.max}${u}`;
  }
  if (item.type === 'yes_no_na') return 'yes';
  if (item.type === 'choice')
    return item.options
      .filter((o) => !o.failing)
      .map((o) => o.label)
      .join(' or ');
  return null;
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export type ChecklistService = ReturnType<typeof createChecklistService>;

export function createChecklistService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  links: RecordLinks;
  searchIndexer: SearchIndexer;
  tasks?: TaskPort | undefined;
  attachments?: AttachmentLookup | undefined;
  /** Told when a completed run has failed items: the office's security officers (ADR 0010 notifier). */
  notifier?: Notifier | undefined;
  responsibleFor?: ((ex: Executor, officeId: string) => Promise<string[]>) | undefined;
}) {
  const { db, clock, audit, links, searchIndexer } = deps;

  // ---- templates

  async function loadTemplate(ex: Executor, ctx: Ctx, id: string) {
    const row = await repo.findTemplate(ex, id);
    if (!row) throw new NotFound('No such checklist template.');
    if (row.office_id) assertOffice(ctx, row.office_id, 'checklist template');
    return row;
  }

  function assertManage(ctx: Ctx, t: { office_id: string | null }) {
    assertCan(ctx, 'checklist.manage');
    if (t.office_id === null && ctx.actor && !ctx.actor.allOffices)
      throw new Forbidden('Only roles that see every office may change global templates; copy it for your office.');
  }

  async function currentVersion(ex: Executor, t: repo.TemplateRow) {
    const v = await repo.findVersion(ex, t.id, t.current_version);
    if (!v) throw new Error(`template ${t.id} has no version ${t.current_version}`);
    return v;
  }

  function templateDoc(t: repo.TemplateRow, v: repo.TemplateVersionRow) {
    const items = parseItems(v.items);
    return {
      entityType: 'checklist_template',
      entityId: t.id,
      officeId: t.office_id,
      title: t.name,
      body: [t.name_fr, t.description, ...items.map((i) => [i.section, i.label, i.labelFr].filter(Boolean).join(' '))]
        .filter(Boolean)
        .join('\n'),
      permission: 'checklist.read' as const,
      updatedAt: t.updated_at,
    };
  }

  async function insertTemplate(
    ctx: Ctx,
    officeId: string | null,
    input: TemplateCreateInput,
    builtinKey: string | null = null,
  ): Promise<Template> {
    const data = TemplateCreateInput.parse(input);
    const now = isoNow(clock);
    const by = ctx.actor?.userId ?? null;
    const t: repo.TemplateRow = {
      id: newId(),
      office_id: officeId,
      builtin_key: builtinKey,
      name: data.name,
      name_fr: data.nameFr || null,
      description: data.description || null,
      current_version: 1,
      version: 1,
      created_by: by,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    const v: repo.TemplateVersionRow = {
      id: newId(),
      template_id: t.id,
      number: 1,
      name: t.name,
      name_fr: t.name_fr,
      description: t.description,
      items: JSON.stringify(normaliseItems(data.items)),
      created_by: by,
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await repo.insertTemplate(trx, t);
      await repo.insertVersion(trx, v);
      await audit.record(trx, ctx, {
        action: 'checklist_template.create',
        entityType: 'checklist_template',
        entityId: t.id,
        officeId,
        changes: { name: t.name, builtinKey, items: parseItems(v.items).length },
      });
      await searchIndexer.upsert(trx, templateDoc(t, v));
    });
    return toTemplate(t, v);
  }

  // ---- runs

  async function loadRun(ex: Executor, ctx: Ctx, id: string) {
    const row = await repo.findRun(ex, id);
    if (!row) throw new NotFound('No such checklist run.');
    assertOffice(ctx, row.office_id, 'checklist run');
    return row;
  }

  async function runView(ex: Executor, row: repo.RunRow): Promise<Run> {
    const v = await repo.findVersionById(ex, row.template_version_id);
    if (!v) throw new Error(`run ${row.id} pins a missing template version`);
    const items = parseItems(v.items);
    const answers = await repo.listAnswers(ex, row.id);
    const tasks = new Map((await repo.listItemTasks(ex, row.id)).map((t) => [t.item_id, t.task_id]));
    const e = evaluate(items, answers);
    const order = new Map(items.map((i, n) => [i.id, n]));
    return {
      ...toRunSummary(row, v),
      // While in progress the score is live; once completed it is the one fixed at completion.
      score: row.status === 'completed' ? row.score : e.score,
      failedCount: row.status === 'completed' ? row.failed_count : e.failed,
      items,
      answers: answers
        .filter((a) => order.has(a.item_id))
        .sort((a, b) => (order.get(a.item_id) ?? 0) - (order.get(b.item_id) ?? 0))
        .map(toAnswer),
      progress: {
        answered: e.answered,
        total: items.length,
        passed: e.passed,
        failed: e.failed,
        applicable: e.applicable,
      },
      missingRequired: e.missingRequired.map((i) => i.id),
      failedItems: e.failedItems.map((i) => ({ itemId: i.id, label: i.label, taskId: tasks.get(i.id) ?? null })),
    };
  }

  async function runDoc(ex: Executor, row: repo.RunRow) {
    const answers = await repo.listAnswers(ex, row.id);
    const texts = answers.flatMap((a) => [
      a.note,
      a.outcome === 'info' && a.value ? String(JSON.parse(a.value)) : null,
    ]);
    return {
      entityType: 'checklist_run',
      entityId: row.id,
      officeId: row.office_id,
      title: `${row.title} — ${row.started_at.slice(0, 10)}`,
      body: [row.performed_by, row.location, ...texts].filter(Boolean).join('\n'),
      permission: 'checklist.read' as const,
      updatedAt: row.updated_at,
    };
  }

  /** How a run is resolved for links (a task's subject, an attachment's owner): in the caller's executor. */
  const runResolver: RecordResolver = {
    async resolve(ex, ctx, id) {
      const a = ctx.actor;
      if (a && !roleCan(a.role, 'checklist.read') && !roleCan(a.role, 'checklist.run'))
        throw new NotFound('No such checklist run.');
      const row = await loadRun(ex, ctx, id);
      return {
        entityType: 'checklist_run',
        entityId: row.id,
        officeId: row.office_id,
        title: `${row.title} — ${row.started_at.slice(0, 10)}`,
      };
    },
    canWrite: (ctx, r) =>
      r.officeId !== null && canSeeOffice(ctx, r.officeId) && (!ctx.actor || roleCan(ctx.actor.role, 'checklist.run')),
  };

  return {
    runResolver,

    /** Every template's search document, for `outpost search reindex`. */
    async *templateSearchDocuments(ex: Executor): AsyncGenerator<SearchDoc> {
      let afterId: string | null = null;
      for (;;) {
        const rows = await repo.templateBatch(ex, afterId, 200);
        for (const t of rows) yield templateDoc(t, await currentVersion(ex, t));
        const last = rows[rows.length - 1];
        if (rows.length < 200 || !last) return;
        afterId = last.id;
      }
    },

    /** Every run's search document, for `outpost search reindex`. */
    async *runSearchDocuments(ex: Executor): AsyncGenerator<SearchDoc> {
      let afterId: string | null = null;
      for (;;) {
        const rows = await repo.runBatch(ex, afterId, 200);
        for (const r of rows) yield await runDoc(ex, r);
        const last = rows[rows.length - 1];
        if (rows.length < 200 || !last) return;
        afterId = last.id;
      }
    },

    // ---- templates

    async listTemplates(ctx: Ctx, officeId: string, query: TemplateListQuery) {
      assertCan(ctx, 'checklist.read');
      await links.resolve(db, ctx, 'office', officeId);
      const sort = parseSort(query.sort, repo.TEMPLATE_SORT_COLUMNS);
      const rows = await repo.listTemplates(db, {
        officeId,
        sort,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(
        rows,
        query.limit,
        (r) => r[sort.column as 'name'],
        (r) => toTemplateSummary(r, r.items),
      );
    },

    async getTemplate(ctx: Ctx, id: string, templateVersion?: number): Promise<Template> {
      assertCan(ctx, 'checklist.read');
      const t = await loadTemplate(db, ctx, id);
      const v = templateVersion ? await repo.findVersion(db, id, templateVersion) : await currentVersion(db, t);
      if (!v) throw new NotFound(`This template has no version ${templateVersion}.`);
      return toTemplate(t, v);
    },

    async createTemplate(ctx: Ctx, officeId: string | null, input: TemplateCreateInput): Promise<Template> {
      assertManage(ctx, { office_id: officeId });
      if (officeId) await links.resolve(db, ctx, 'office', officeId);
      return insertTemplate(ctx, officeId, input);
    },

    /**
     * Changes a template. While no run uses the current version it is changed in place; once one does,
     * the change becomes a new version and the runs keep the version they were made with.
     */
    async updateTemplate(ctx: Ctx, id: string, input: TemplateUpdateInput): Promise<Template> {
      assertCan(ctx, 'checklist.manage');
      const data = TemplateUpdateInput.parse(input);
      return db.transaction().execute(async (trx) => {
        const t = await loadTemplate(trx, ctx, id);
        assertManage(ctx, t);
        if (t.version !== data.version)
          throw new VersionConflict(
            `This template was changed by someone else (now version ${t.version}); reload it and apply your change again.`,
            t.version,
          );
        const cur = await currentVersion(trx, t);
        const content = {
          name: data.name ?? cur.name,
          name_fr: data.nameFr === undefined ? cur.name_fr : data.nameFr || null,
          description: data.description === undefined ? cur.description : data.description || null,
          items: data.items ? JSON.stringify(normaliseItems(data.items)) : cur.items,
        };
        const now = isoNow(clock);
        const frozen = await repo.versionHasRuns(trx, cur.id);
        let v: repo.TemplateVersionRow;
        if (frozen) {
          v = {
            id: newId(),
            template_id: t.id,
            number: cur.number + 1,
            ...content,
            created_by: ctx.actor?.userId ?? null,
            created_at: now,
          };
          await repo.insertVersion(trx, v);
        } else {
          v = { ...cur, ...content };
          await repo.updateVersionContent(trx, cur.id, content);
        }
        const set = {
          name: content.name,
          name_fr: content.name_fr,
          description: content.description,
          current_version: v.number,
          updated_at: now,
        };
        if (!(await repo.updateTemplateIfVersion(trx, id, data.version, set)))
          throw new VersionConflict(
            'This template was changed by someone else; reload it and apply your change again.',
          );
        const after: repo.TemplateRow = { ...t, ...set, version: t.version + 1 };
        await audit.record(trx, ctx, {
          action: 'checklist_template.update',
          entityType: 'checklist_template',
          entityId: id,
          officeId: t.office_id,
          changes: {
            templateVersion: [cur.number, v.number],
            newVersion: frozen,
            ...(data.name !== undefined && data.name !== cur.name ? { name: [cur.name, data.name] } : {}),
            ...(data.items ? { items: [parseItems(cur.items).length, parseItems(v.items).length] } : {}),
          },
        });
        await searchIndexer.upsert(trx, templateDoc(after, v));
        return toTemplate(after, v);
      });
    },

    async deleteTemplate(ctx: Ctx, id: string, version: number): Promise<void> {
      assertCan(ctx, 'checklist.manage');
      await db.transaction().execute(async (trx) => {
        const t = await loadTemplate(trx, ctx, id);
        assertManage(ctx, t);
        const now = isoNow(clock);
        if (
          t.version !== version ||
          !(await repo.updateTemplateIfVersion(trx, id, version, { deleted_at: now, updated_at: now }))
        )
          throw new VersionConflict('This template was changed by someone else; reload it before deleting.', t.version);
        await audit.record(trx, ctx, {
          action: 'checklist_template.delete',
          entityType: 'checklist_template',
          entityId: id,
          officeId: t.office_id,
          changes: { name: t.name },
        });
        await searchIndexer.remove(trx, 'checklist_template', id);
      });
    },

    /** The shipped templates, as global templates: created once each (by key), never overwritten. */
    async ensureBuiltInTemplates(): Promise<string[]> {
      const created: string[] = [];
      for (const b of BUILT_IN_TEMPLATES) {
        if (await repo.findTemplateByKey(db, b.key)) continue;
        const { key, ...input } = b;
        try {
          await insertTemplate(systemCtx, null, input, key);
          created.push(key);
        } catch (e) {
          // Two instances starting at once: the other one made it.
          if (!isUniqueViolation(e)) throw e;
        }
      }
      return created;
    },

    // ---- runs

    async listRuns(ctx: Ctx, officeId: string, query: RunListQuery) {
      assertCan(ctx, 'checklist.read');
      await links.resolve(db, ctx, 'office', officeId);
      const sort = parseSort(query.sort, repo.RUN_SORT_COLUMNS);
      const rows = await repo.listRuns(db, {
        officeId,
        status: query.status,
        templateId: query.templateId,
        siteId: query.siteId,
        sort,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      const versions = new Map<string, repo.TemplateVersionRow>();
      for (const r of rows) {
        if (versions.has(r.template_version_id)) continue;
        const v = await repo.findVersionById(db, r.template_version_id);
        if (v) versions.set(v.id, v);
      }
      return toPage(
        rows,
        query.limit,
        (r) => r[sort.column as 'started_at'],
        (r) => toRunSummary(r, versions.get(r.template_version_id) as repo.TemplateVersionRow),
      );
    },

    async getRun(ctx: Ctx, id: string): Promise<Run> {
      assertCan(ctx, 'checklist.read');
      return runView(db, await loadRun(db, ctx, id));
    },

    async startRun(ctx: Ctx, officeId: string, input: RunStartInput): Promise<Run> {
      assertCan(ctx, 'checklist.run');
      const data = RunStartInput.parse(input);
      await links.resolve(db, ctx, 'office', officeId);
      const t = await repo.findTemplate(db, data.templateId);
      if (!t || (t.office_id !== null && t.office_id !== officeId))
        throw new NotFound('No such checklist template for this office.');
      if (data.siteId) {
        const site = await links.resolve(db, ctx, 'site', data.siteId);
        if (site.officeId !== officeId)
          throw new Invalid('The site belongs to another office.', [
            { path: 'body.siteId', message: 'is a site of another office' },
          ]);
      }
      const v = await currentVersion(db, t);
      const now = isoNow(clock);
      const row: repo.RunRow = {
        id: newId(),
        office_id: officeId,
        template_id: t.id,
        template_version_id: v.id,
        site_id: data.siteId ?? null,
        title: v.name,
        status: 'in_progress',
        performed_by: data.performedBy ?? ctx.actor?.displayName ?? 'system',
        started_by: ctx.actor?.userId ?? null,
        started_at: data.startedAt ?? now,
        location: data.location || null,
        latitude: data.latitude ?? null,
        longitude: data.longitude ?? null,
        completed_at: null,
        completed_by: null,
        score: null,
        failed_count: null,
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      return db.transaction().execute(async (trx) => {
        await repo.insertRun(trx, row);
        await audit.record(trx, ctx, {
          action: 'checklist_run.create',
          entityType: 'checklist_run',
          entityId: row.id,
          officeId,
          changes: { template: t.name, templateVersion: v.number, siteId: row.site_id, performedBy: row.performed_by },
        });
        await searchIndexer.upsert(trx, await runDoc(trx, row));
        return runView(trx, row);
      });
    },

    /**
     * Saves one item's answer. A first answer needs no version; changing one needs the answer's version
     * (a stale one is a 409), except that re-sending the very same answer (a phone retrying) is a no-op.
     * `value: null` without `na` clears the answer.
     */
    async answer(ctx: Ctx, runId: string, itemId: string, input: AnswerInput): Promise<Run> {
      assertCan(ctx, 'checklist.run');
      const data = AnswerInput.parse(input);
      return db.transaction().execute(async (trx) => {
        const run = await loadRun(trx, ctx, runId);
        if (run.status === 'completed') throw new Conflict('This run is completed; its answers can no longer change.');
        const v = await repo.findVersionById(trx, run.template_version_id);
        const item = v ? parseItems(v.items).find((i) => i.id === itemId) : undefined;
        if (!item) throw new NotFound(`This checklist has no item ${itemId}.`);
        const existing = await repo.findAnswer(trx, runId, itemId);
        const value = data.na ? null : data.value;
        const storedValue = value === null ? null : JSON.stringify(typeof value === 'string' ? value.trim() : value);
        const note = data.note || null;
        if (existing && data.version === undefined) {
          if (existing.value === storedValue && (existing.na === 1) === data.na && existing.note === note)
            return runView(trx, run);
          throw new VersionConflict(
            `This item was already answered (answer version ${existing.version}); send that version to change it.`,
            existing.version,
          );
        }
        if (data.version !== undefined && existing?.version !== data.version)
          throw new VersionConflict(
            'This answer was changed by someone else; reload the run and answer again.',
            existing?.version,
          );
        const now = isoNow(clock);
        let outcome: Outcome | null = null;
        if (value === null && !data.na) {
          if (existing) await repo.deleteAnswer(trx, existing.id);
        } else {
          outcome = outcomeOf(item, value, data.na);
          if (item.type === 'photo' && !data.na) {
            const found = deps.attachments
              ? await deps.attachments.findOn(trx, String(value), 'checklist_run', runId)
              : null;
            if (!found) throw badValue('must be the id of a photo attached to this run');
          }
          const row: repo.AnswerRow = {
            id: existing?.id ?? newId(),
            run_id: runId,
            item_id: itemId,
            value: storedValue,
            na: data.na ? 1 : 0,
            note,
            outcome,
            answered_by: ctx.actor?.userId ?? null,
            answered_at: now,
            version: (existing?.version ?? 0) + 1,
          };
          if (!existing) await repo.insertAnswer(trx, row);
          else if (!(await repo.updateAnswerIfVersion(trx, row, existing.version)))
            throw new VersionConflict('This answer was changed by someone else; reload the run and answer again.');
        }
        if (!(await repo.updateRunIfVersion(trx, runId, run.version, { updated_at: now })))
          throw new VersionConflict('This run was changed at the same moment; send the answer again.', run.version);
        await audit.record(trx, ctx, {
          action: 'checklist_run.answer',
          entityType: 'checklist_run',
          entityId: runId,
          officeId: run.office_id,
          changes: { itemId, value: value ?? null, na: data.na, outcome, note },
        });
        return runView(trx, { ...run, updated_at: now, version: run.version + 1 });
      });
    },

    async complete(ctx: Ctx, runId: string, version: number): Promise<Run> {
      assertCan(ctx, 'checklist.run');
      return db.transaction().execute(async (trx) => {
        const run = await loadRun(trx, ctx, runId);
        if (run.status === 'completed') throw new Conflict('This run is already completed.');
        if (run.version !== version)
          throw new VersionConflict(`This run has changed (now version ${run.version}); reload it first.`, run.version);
        const v = await repo.findVersionById(trx, run.template_version_id);
        const items = v ? parseItems(v.items) : [];
        const e = evaluate(items, await repo.listAnswers(trx, runId));
        if (e.missingRequired.length)
          throw new Unprocessable(
            `Answer the required items first: ${e.missingRequired.map((i) => i.label).join('; ')}.`,
            e.missingRequired.map((i) => ({ path: `items.${i.id}`, message: i.label, code: 'required' })),
          );
        const now = isoNow(clock);
        const set = {
          status: 'completed',
          completed_at: now,
          completed_by: ctx.actor?.userId ?? null,
          score: e.score,
          failed_count: e.failed,
          updated_at: now,
        };
        if (!(await repo.updateRunIfVersion(trx, runId, version, set)))
          throw new VersionConflict('This run has changed; reload it first.');
        const after = { ...run, ...set, version: run.version + 1 };
        await audit.record(trx, ctx, {
          action: 'checklist_run.complete',
          entityType: 'checklist_run',
          entityId: runId,
          officeId: run.office_id,
          changes: {
            score: e.score,
            failed: e.failedItems.map((i) => i.id),
            passed: e.passed,
            applicable: e.applicable,
          },
        });
        await searchIndexer.upsert(trx, await runDoc(trx, after));
        if (e.failedItems.length && deps.notifier && deps.responsibleFor) {
          const labels = e.failedItems.map((i) => i.label);
          await deps.notifier.notify(trx, ctx, {
            recipients: await deps.responsibleFor(trx, run.office_id),
            kind: 'checklist.failed_item',
            officeId: run.office_id,
            entityType: 'checklist_run',
            entityId: runId,
            params: {
              item: labels.length > 3 ? `${labels.slice(0, 3).join('; ')} (+${labels.length - 3})` : labels.join('; '),
              title: v?.name ?? '',
              actor: ctx.actor?.displayName ?? 'Outpost',
            },
          });
        }
        return runView(trx, after);
      });
    },

    /**
     * "Failed item → task" in one call: a task about the run, titled after the item, describing the
     * answer and what was expected. Once per item: a second call returns the task made the first time.
     */
    async taskFromItem(
      ctx: Ctx,
      runId: string,
      itemId: string,
      input: ItemTaskInput,
    ): Promise<{ task: Task; created: boolean }> {
      assertCan(ctx, 'checklist.read');
      assertCan(ctx, 'task.write');
      const tasks = deps.tasks;
      if (!tasks) throw new Unavailable('Tasks are not available on this server.');
      const run = await loadRun(db, ctx, runId);
      const existing = await repo.findItemTask(db, runId, itemId);
      if (existing) return { task: await tasks.get(ctx, existing.task_id), created: false };
      const view = await runView(db, run);
      const item = view.items.find((i) => i.id === itemId);
      if (!item) throw new NotFound(`This checklist has no item ${itemId}.`);
      if (!view.failedItems.some((f) => f.itemId === itemId))
        throw new Unprocessable('Only a failed item can become a task: this one has not failed.', [
          { path: 'itemId', message: 'has not failed', code: 'not_failed' },
        ]);
      const answer = view.answers.find((a) => a.itemId === itemId);
      const exp = expected(item);
      const description =
        input.description ||
        [
          `From the checklist "${run.title}" of ${run.started_at.slice(0, 10)}${run.location ? ` at ${run.location}` : ''}, by ${run.performed_by}.`,
          `Answer: ${formatValue(item, answer)}${exp ? ` (expected: ${exp})` : ''}.`,
          answer?.note ? `Note: ${answer.note}` : null,
          item.guidance ? `Guidance: ${item.guidance}` : null,
        ]
          .filter(Boolean)
          .join('\n');
      try {
        return await db.transaction().execute(async (trx) => {
          const task = await tasks.create(
            ctx,
            {
              officeId: run.office_id,
              title: clip(input.title ?? item.label, 300),
              description,
              ownerUserId: input.ownerUserId ?? null,
              dueAt: input.dueAt ?? null,
              priority: input.priority ?? 'normal',
              subject: { entityType: 'checklist_run', entityId: runId },
            },
            trx,
          );
          await repo.insertItemTask(trx, {
            id: newId(),
            run_id: runId,
            item_id: itemId,
            task_id: task.id,
            created_by: ctx.actor?.userId ?? null,
            created_at: isoNow(clock),
          });
          await audit.record(trx, ctx, {
            action: 'checklist_run.item_task',
            entityType: 'checklist_run',
            entityId: runId,
            officeId: run.office_id,
            changes: { itemId, taskId: task.id },
          });
          return { task, created: true };
        });
      } catch (e) {
        // Two clicks at once: the other one made the task; answer with it.
        if (!isUniqueViolation(e)) throw e;
        const made = await repo.findItemTask(db, runId, itemId);
        if (!made) throw e;
        return { task: await tasks.get(ctx, made.task_id), created: false };
      }
    },
  };
}
