import type { Kysely } from 'kysely';
import {
  type Advisory,
  EXPORT_MAX,
  type IncidentExportInput,
  REPORT_SECTIONS,
  type ReportLang,
  type ReportSection,
  ReportSectionSchema,
  type ReportTemplate,
  type ReportTemplateInput,
  type StatisticsQuery,
} from '../../../shared/incidents/reports.schemas.ts';
import { LANGUAGES } from '../../../shared/offices/offices.schemas.ts';
import type { DB } from '../../db/schema.ts';
import type { IncidentReportTemplateRow } from '../../db/tables/incident-reports.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { assertCan, assertOffice, type Ctx, visibleOfficeIds } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { Invalid, NotFound, VersionConflict } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { awsdCsv } from './awsd.ts';
import type { IncidentAccess } from './incidents.ports.ts';
import { mispExport } from './misp.ts';
import {
  advisoryDocument,
  buildAdvisory,
  buildIncidentReport,
  computeStatistics,
  statisticsDocument,
  type TemplateView,
} from './reports.documents.ts';
import { type IncidentReportModel, loadReportModel, loadReportModels } from './reports.model.ts';
import type { RenderableDocument } from './reports.render.ts';
import { stixBundle } from './stix.ts';

/**
 * Incident documents and exports (issue #5, part D). Every read goes through IncidentAccess (404 for an
 * incident the caller may not see); every document and export is audited as `incident.export`.
 */

/**
 * pdfkit, docx and the embedded fonts weigh tens of megabytes in memory: they are loaded the first time
 * a document is made, not when the server starts (idle memory and start-up time are benchmark targets).
 */
async function renderPdf(d: RenderableDocument): Promise<Buffer> {
  return (await import('./reports.render.ts')).renderPdf(d);
}
async function renderDocx(d: RenderableDocument): Promise<Buffer> {
  return (await import('./reports.render.ts')).renderDocx(d);
}

export interface FileOut {
  body: Buffer | string;
  contentType: string;
  filename: string;
}

/** Rows read per query while a filter export collects what the caller may see. */
const FILTER_BATCH = 1000;

const DEFAULT_TEMPLATE: TemplateView = { headerText: '', footerText: '', sections: REPORT_SECTIONS };

/** Safe for a Content-Disposition filename: the reference is `OFFICE-YYYY-NNN`, but be strict anyway. */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'incident';

export function createReportService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  access: IncidentAccess;
}) {
  const { db, clock, audit, access } = deps;

  async function callerLang(ctx: Ctx, officeId: string | null, asked: ReportLang | undefined): Promise<ReportLang> {
    if (asked) return asked;
    const isLang = (v: string | null | undefined): v is ReportLang =>
      !!v && (LANGUAGES as readonly string[]).includes(v);
    if (ctx.actor) {
      const u = await db.selectFrom('users').select('language').where('id', '=', ctx.actor.userId).executeTakeFirst();
      if (isLang(u?.language)) return u.language;
    }
    if (officeId) {
      const o = await db.selectFrom('offices').select('default_language').where('id', '=', officeId).executeTakeFirst();
      if (isLang(o?.default_language)) return o.default_language;
    }
    return 'en';
  }

  function toTemplate(officeId: string, row: IncidentReportTemplateRow | undefined): ReportTemplate {
    if (!row)
      return {
        officeId,
        headerText: DEFAULT_TEMPLATE.headerText,
        footerText: DEFAULT_TEMPLATE.footerText,
        sections: [...DEFAULT_TEMPLATE.sections],
        isDefault: true,
        updatedBy: null,
        updatedAt: null,
        version: 0,
      };
    let sections: ReportSection[] = [...REPORT_SECTIONS];
    try {
      const parsed = ReportSectionSchema.array().safeParse(JSON.parse(row.sections));
      if (parsed.success) sections = parsed.data;
    } catch {
      // keep the default sections
    }
    return {
      officeId,
      headerText: row.header_text,
      footerText: row.footer_text,
      sections,
      isDefault: false,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
      version: row.version,
    };
  }

  async function templateRow(officeId: string) {
    return db.selectFrom('incident_report_templates').selectAll().where('office_id', '=', officeId).executeTakeFirst();
  }

  async function exportAudit(
    ctx: Ctx,
    officeId: string | null,
    entityId: string | null,
    what: Record<string, unknown>,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await audit.record(trx, ctx, {
        action: 'incident.export',
        entityType: 'incident',
        entityId,
        officeId,
        changes: what,
      });
    });
  }

  /** The incident as the caller may see it, loaded into the report model. */
  async function model(ctx: Ctx, id: string): Promise<IncidentReportModel> {
    const row = await access.require(db, ctx, id, 'read');
    return loadReportModel(db, row);
  }

  async function reportInput(ctx: Ctx, id: string, lang: ReportLang | undefined) {
    const m = await model(ctx, id);
    const tpl = toTemplate(m.office.id, await templateRow(m.office.id));
    const l = await callerLang(ctx, m.office.id, lang);
    return { m, l, doc: buildIncidentReport(m, tpl, l, clock.now().toISOString()) };
  }

  async function office(officeId: string) {
    const o = await db
      .selectFrom('offices')
      .select(['id', 'code', 'name', 'timezone'])
      .where('id', '=', officeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!o) throw new NotFound('No such office.');
    return o;
  }

  /** Rows of a selection: every id must be visible, else 404 naming nothing. */
  async function selectionRows(ctx: Ctx, ids: readonly string[]): Promise<IncidentRow[]> {
    // The schema caps a selection at EXPORT_MAX ids: one query for the rows, one for who is named.
    const rows = new Map(
      (
        await db
          .selectFrom('incidents')
          .selectAll()
          .where('id', 'in', [...ids])
          .execute()
      ).map((r) => [r.id, r]),
    );
    const named = await access.namedUsersOf(
      db,
      [...rows.values()].filter((r) => r.sensitive === 1).map((r) => r.id),
    );
    return ids.map((id) => {
      const row = rows.get(id);
      if (!row || !access.canSee(ctx, row, named.get(id) ?? [])) throw new NotFound('No such incident.');
      return row;
    });
  }

  /**
   * The incidents a filter selects that the caller may see, oldest first. More than EXPORT_MAX is refused
   * (a 400 naming the limit), never cut short: a partial export that looks whole would mislead.
   */
  async function filterRows(ctx: Ctx, f: NonNullable<IncidentExportInput['filter']>): Promise<IncidentRow[]> {
    const offices = visibleOfficeIds(ctx);
    if (f.officeId) assertOffice(ctx, f.officeId);
    const out: IncidentRow[] = [];
    let after: { at: string; id: string } | null = null;
    for (;;) {
      let q = db.selectFrom('incidents').selectAll();
      if (f.officeId) q = q.where('office_id', '=', f.officeId);
      else if (offices) q = offices.length ? q.where('office_id', 'in', [...offices]) : q.where('id', '=', '');
      if (f.status) q = q.where('status', '=', f.status);
      if (f.severity) q = q.where('severity', '=', f.severity);
      if (f.domain) q = q.where('domain', '=', f.domain);
      if (f.category) q = q.where('category', '=', f.category);
      if (f.reportedFrom) q = q.where('reported_at', '>=', new Date(f.reportedFrom).toISOString());
      if (f.reportedTo) q = q.where('reported_at', '<=', new Date(f.reportedTo).toISOString());
      const cursor = after;
      if (cursor)
        q = q.where((eb) =>
          eb.or([
            eb('reported_at', '>', cursor.at),
            eb.and([eb('reported_at', '=', cursor.at), eb('id', '>', cursor.id)]),
          ]),
        );
      const batch = await q.orderBy('reported_at').orderBy('id').limit(FILTER_BATCH).execute();
      const named = await access.namedUsersOf(
        db,
        batch.filter((r) => r.sensitive === 1).map((r) => r.id),
      );
      for (const r of batch) {
        if (!access.canSee(ctx, r, named.get(r.id) ?? [])) continue;
        if (out.length === EXPORT_MAX)
          throw new Invalid(`More than ${EXPORT_MAX} incidents match this filter.`, [
            {
              path: 'filter',
              code: 'too_many',
              message: `an export holds at most ${EXPORT_MAX} incidents; narrow the filter (reportedFrom/reportedTo, status, severity)`,
            },
          ]);
        out.push(r);
      }
      const last = batch[batch.length - 1];
      if (batch.length < FILTER_BATCH || !last) return out;
      after = { at: last.reported_at, id: last.id };
    }
  }

  return {
    async reportPdf(ctx: Ctx, id: string, lang: ReportLang | undefined): Promise<FileOut> {
      const { m, l, doc } = await reportInput(ctx, id, lang);
      const body = await renderPdf(doc);
      await exportAudit(ctx, m.office.id, m.id, { incident: m.reference, format: 'report.pdf', lang: l });
      return { body, contentType: 'application/pdf', filename: `${fileSafe(m.reference)}.pdf` };
    },

    async reportDocx(ctx: Ctx, id: string, lang: ReportLang | undefined): Promise<FileOut> {
      const { m, l, doc } = await reportInput(ctx, id, lang);
      const body = await renderDocx(doc);
      await exportAudit(ctx, m.office.id, m.id, { incident: m.reference, format: 'report.docx', lang: l });
      return {
        body,
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        filename: `${fileSafe(m.reference)}.docx`,
      };
    },

    async advisory(
      ctx: Ctx,
      id: string,
      q: { lang?: ReportLang | undefined; tlp: 'clear' | 'green' },
    ): Promise<Advisory> {
      const m = await model(ctx, id);
      const l = await callerLang(ctx, m.office.id, q.lang);
      const a = buildAdvisory(m, l, q.tlp);
      await exportAudit(ctx, m.office.id, m.id, { incident: m.reference, format: 'advisory', tlp: q.tlp, lang: l });
      return a;
    },

    async advisoryPdf(
      ctx: Ctx,
      id: string,
      q: { lang?: ReportLang | undefined; tlp: 'clear' | 'green' },
    ): Promise<FileOut> {
      const m = await model(ctx, id);
      const l = await callerLang(ctx, m.office.id, q.lang);
      const a = buildAdvisory(m, l, q.tlp);
      const body = await renderPdf(advisoryDocument(a, `${m.office.code} — ${m.office.name}`));
      await exportAudit(ctx, m.office.id, m.id, { incident: m.reference, format: 'advisory.pdf', tlp: q.tlp, lang: l });
      return { body, contentType: 'application/pdf', filename: `${fileSafe(m.reference)}-advisory.pdf` };
    },

    async stix(ctx: Ctx, id: string) {
      const m = await model(ctx, id);
      const bundle = stixBundle([m]);
      await exportAudit(ctx, m.office.id, m.id, { incident: m.reference, format: 'stix' });
      return bundle;
    },

    async exportSelection(ctx: Ctx, input: IncidentExportInput): Promise<FileOut> {
      assertCan(ctx, 'incident.read');
      const rows = input.ids ? await selectionRows(ctx, input.ids) : await filterRows(ctx, input.filter ?? {});
      const models = await loadReportModels(db, rows);
      const officeIds = [...new Set(rows.map((r) => r.office_id))];
      await exportAudit(ctx, officeIds.length === 1 ? (officeIds[0] ?? null) : null, null, {
        format: input.format,
        count: rows.length,
        references: rows.slice(0, 200).map((r) => r.reference),
        ...(input.filter ? { filter: input.filter } : {}),
      });
      const stamp = clock.now().toISOString().slice(0, 10);
      if (input.format === 'stix')
        return {
          body: JSON.stringify(stixBundle(models)),
          contentType: 'application/stix+json;version=2.1',
          filename: `incidents-${stamp}.stix.json`,
        };
      if (input.format === 'misp')
        return {
          body: JSON.stringify(mispExport(models)),
          contentType: 'application/json; charset=utf-8',
          filename: `incidents-${stamp}.misp.json`,
        };
      return {
        body: `\uFEFF${awsdCsv(models)}`,
        contentType: 'text/csv; charset=utf-8',
        filename: `incidents-${stamp}-awsd.csv`,
      };
    },

    async statisticsPdf(ctx: Ctx, officeId: string, q: StatisticsQuery): Promise<FileOut> {
      assertCan(ctx, 'incident.read');
      assertOffice(ctx, officeId);
      const o = await office(officeId);
      const now = clock.now();
      const year = q.year ?? now.getUTCFullYear();
      const month = q.period === 'month' ? (q.month ?? now.getUTCMonth() + 1) : null;
      const from = new Date(Date.UTC(year, month ? month - 1 : 0, 1)).toISOString();
      const to = new Date(Date.UTC(month ? year : year + 1, month ? month : 0, 1)).toISOString();
      const rows = await db
        .selectFrom('incidents')
        .selectAll()
        .where('office_id', '=', officeId)
        .where('reported_at', '>=', from)
        .where('reported_at', '<', to)
        .execute();
      const named = await access.namedUsersOf(
        db,
        rows.filter((r) => r.sensitive === 1).map((r) => r.id),
      );
      const visible = rows.filter((r) => access.canSee(ctx, r, named.get(r.id) ?? []));
      const lang = await callerLang(ctx, officeId, q.lang);
      const cats = await db
        .selectFrom('incident_categories')
        .select(['code', 'label', 'label_fr', 'office_id'])
        .where((eb) => eb.or([eb('office_id', '=', officeId), eb('office_id', 'is', null)]))
        .execute();
      const categoryLabels = new Map<string, string>();
      for (const c of cats.sort((a, b) => (a.office_id === null ? -1 : 1) - (b.office_id === null ? -1 : 1)))
        categoryLabels.set(c.code, lang === 'fr' ? c.label_fr : c.label);
      const periodLabel = month ? `${year}-${String(month).padStart(2, '0')}` : String(year);
      const body = await renderPdf(
        statisticsDocument(computeStatistics(visible), {
          officeLine: `${o.code} — ${o.name}`,
          periodLabel,
          lang,
          now: now.toISOString(),
          timezone: o.timezone,
          categoryLabels,
        }),
      );
      await exportAudit(ctx, officeId, null, { format: 'statistics.pdf', period: periodLabel, count: visible.length });
      return { body, contentType: 'application/pdf', filename: `incident-statistics-${o.code}-${periodLabel}.pdf` };
    },

    async getTemplate(ctx: Ctx, officeId: string): Promise<ReportTemplate> {
      assertOffice(ctx, officeId);
      await office(officeId);
      return toTemplate(officeId, await templateRow(officeId));
    },

    async putTemplate(ctx: Ctx, officeId: string, input: ReportTemplateInput): Promise<ReportTemplate> {
      assertCan(ctx, 'incident.manage');
      assertOffice(ctx, officeId);
      await office(officeId);
      const now = clock.now().toISOString();
      const userId = ctx.actor?.userId ?? null;
      const row = await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('incident_report_templates')
          .selectAll()
          .where('office_id', '=', officeId)
          .executeTakeFirst();
        const current = before?.version ?? 0;
        if (input.version !== current)
          throw new VersionConflict('The report template was changed by someone else: reload it.', current);
        const values = {
          header_text: input.headerText,
          footer_text: input.footerText,
          sections: JSON.stringify(input.sections),
          updated_by: userId,
          updated_at: now,
        };
        if (!before) {
          try {
            await trx
              .insertInto('incident_report_templates')
              .values({ office_id: officeId, ...values, created_at: now, version: 1 })
              .execute();
          } catch {
            throw new VersionConflict('The report template was changed by someone else: reload it.', 1);
          }
        } else {
          const res = await trx
            .updateTable('incident_report_templates')
            .set({ ...values, version: current + 1 })
            .where('office_id', '=', officeId)
            .where('version', '=', current)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1)
            throw new VersionConflict('The report template was changed by someone else: reload it.', current);
        }
        const after = await trx
          .selectFrom('incident_report_templates')
          .selectAll()
          .where('office_id', '=', officeId)
          .executeTakeFirstOrThrow();
        await audit.record(trx, ctx, {
          action: 'incident_report_template.update',
          entityType: 'incident_report_template',
          entityId: officeId,
          officeId,
          changes: {
            headerText: [before?.header_text ?? null, after.header_text],
            footerText: [before?.footer_text ?? null, after.footer_text],
            sections: [before ? JSON.parse(before.sections) : null, input.sections],
          },
        });
        return after;
      });
      return toTemplate(officeId, row);
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
