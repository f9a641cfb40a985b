import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { TERMINAL_INCIDENT_STATUSES } from '../../../shared/incidents/incidents.enums.ts';
import {
  type AppliedTaskTemplate,
  ApplyTaskTemplateInput,
  type Communication,
  CommunicationInput,
  CommunicationUpdateInput,
  type CustodyEntry,
  CustodyEntryInput,
  type CustodyLog,
  type Evidence,
  EvidenceInput,
  EvidenceUpdateInput,
  type Link,
  LinkInput,
  type TaskTemplateItem,
  type TimelineEntry,
  TimelineEntryInput,
  TimelineEntryUpdateInput,
} from '../../../shared/incidents/investigation.schemas.ts';
import { roleCan } from '../../../shared/permissions.ts';
import type { Task, TaskCreateInput } from '../../../shared/tasks/tasks.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type {
  IncidentCommunicationRow,
  IncidentCustodyRow,
  IncidentEvidenceRow,
  IncidentLinkRow,
  IncidentTimelineRow,
} from '../../db/tables/incident-investigation.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { assertCan, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { AppError, Conflict, Forbidden, Invalid, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { LinkedRecord, RecordLinks } from '../../lib/ports.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { diff } from '../audit/audit.service.ts';
import type { IncidentAccess } from './incidents.ports.ts';
import * as repo from './investigation.repository.ts';
import { ensureBuiltInTaskTemplates } from './investigation.templates.ts';

/** 422: understood, but not possible in the record's state (a hand-over before the previous one…). */
export class Unprocessable extends AppError {
  readonly status = 422;
  readonly type: string = 'unprocessable';
  readonly title: string = 'Cannot be done';
}

/** What the investigation needs of the tasks block (services.tasks). */
export interface InvestigationTaskPort {
  create(ctx: Ctx, input: TaskCreateInput, ex?: Executor): Promise<Task>;
}

/** What it needs of the attachments block: an attachment of the incident, and a re-hash of its stored bytes. */
export interface InvestigationAttachmentPort {
  findOn(ex: Executor, id: string, entityType: string, entityId: string): Promise<{ sha256: string } | null>;
  blobs: { rehash(sha256: string): Promise<string | null> };
}

type PageQuery = { limit: number; cursor?: string | undefined };

/** Clocks drift: "now" accepts a few minutes ahead; anything later is a typing mistake. */
const FUTURE_SLACK_MS = 5 * 60_000;
const GENESIS = '0'.repeat(64);
const INCIDENT_ONLY_RELATIONS = new Set(['duplicate_of', 'caused_by', 'causes']);

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new Invalid(
    'The request is not valid.',
    r.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message, code: i.code })),
  );
}

/** The later of two ISO-8601 UTC timestamps of fixed width (they compare as text). */
function later(a: string, b: string): string {
  return a < b ? b : a;
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The hash of one custody entry, chained to the previous entry's hash. */
export function custodyHash(r: Omit<IncidentCustodyRow, 'entry_hash'>): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        r.prev_hash,
        r.evidence_id,
        r.seq,
        r.from_party,
        r.to_party,
        r.at,
        r.purpose,
        r.note,
        r.recorded_by,
        r.recorded_at,
      ]),
    )
    .digest('hex');
}

export type InvestigationService = ReturnType<typeof createInvestigationService>;

export function createInvestigationService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  access: IncidentAccess;
  links: RecordLinks;
  tasks: InvestigationTaskPort;
  attachments: InvestigationAttachmentPort;
}) {
  const { db, clock, audit, access, links, tasks, attachments } = deps;
  const now = () => isoNow(clock);
  /** The built-in task templates are written once per process, when first needed. */
  let templatesReady = false;
  async function ensureTemplates(ex: Executor) {
    if (templatesReady) return;
    await ensureBuiltInTaskTemplates(ex);
    templatesReady = true;
  }
  const userOf = (ctx: Ctx) => ctx.actor?.userId ?? null;

  /** A caller-typed instant as UTC, refused when out of range or in the future. */
  function instant(iso: string, path: string, opts: { notBefore?: string; notBeforeWhat?: string } = {}): string {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 2999)
      throw new Invalid('A date is out of range.', [{ path, message: 'must be between 1970 and 2999' }]);
    if (d.getTime() > clock.now().getTime() + FUTURE_SLACK_MS)
      throw new Invalid('A date is in the future.', [{ path, message: 'must not be in the future' }]);
    const out = d.toISOString();
    if (opts.notBefore && out < opts.notBefore)
      throw new Invalid(`A date is before ${opts.notBeforeWhat ?? 'the previous one'}.`, [
        { path, message: `must not be before ${opts.notBeforeWhat ?? 'the previous one'} (${opts.notBefore})` },
      ]);
    return out;
  }

  /** Children answer 404 when their incident is hidden from the caller, as if they did not exist. */
  async function requireParent(
    ex: Executor,
    ctx: Ctx,
    incidentId: string,
    need: 'read' | 'write',
    what: string,
  ): Promise<IncidentRow> {
    try {
      return await access.require(ex, ctx, incidentId, need);
    } catch (e) {
      if (e instanceof NotFound) throw new NotFound(`No such ${what}.`);
      throw e;
    }
  }

  /**
   * A closed (or rejected, duplicate) incident's record is final: its timeline, evidence list, links and tasks
   * no longer change. Hand-overs of its evidence and communications about it still can (evidence is returned
   * or destroyed after closure; people are told it is closed).
   */
  function assertOpen(incident: IncidentRow, what: string) {
    if ((TERMINAL_INCIDENT_STATUSES as readonly string[]).includes(incident.status))
      throw new Unprocessable(`The incident is ${incident.status}: its ${what} can no longer change.`, [
        { path: 'status', message: `the incident is ${incident.status}`, code: 'incident_closed' },
      ]);
  }

  async function audited(
    ex: Executor,
    ctx: Ctx,
    incident: IncidentRow,
    action: Parameters<AuditService['record']>[2]['action'],
    entityType: Parameters<AuditService['record']>[2]['entityType'],
    entityId: string,
    changes: Record<string, unknown>,
  ) {
    await audit.record(ex, ctx, {
      action,
      entityType,
      entityId,
      officeId: incident.office_id,
      changes: { incident: incident.reference, ...changes },
    });
  }

  // --- timeline ---

  function toEntry(r: IncidentTimelineRow, names: Map<string, string>): TimelineEntry {
    return {
      id: r.id,
      incidentId: r.incident_id,
      occurredAt: r.occurred_at,
      precision: r.precision as TimelineEntry['precision'],
      description: r.description,
      source: r.source as TimelineEntry['source'],
      sourceDetail: r.source_detail,
      internal: r.internal === 1,
      createdBy: r.created_by,
      createdByName: r.created_by ? (names.get(r.created_by) ?? null) : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
    };
  }

  const entryView = (r: IncidentTimelineRow) => {
    const { createdByName: _n, updatedAt: _u, ...rest } = toEntry(r, new Map());
    return rest;
  };

  async function loadEntry(ex: Executor, ctx: Ctx, entryId: string) {
    const row = await repo.findTimeline(ex, entryId);
    if (!row) throw new NotFound('No such timeline entry.');
    const incident = await requireParent(ex, ctx, row.incident_id, 'write', 'timeline entry');
    assertOpen(incident, 'timeline');
    return { row, incident };
  }

  // --- evidence ---

  async function integrityOf(ex: Executor, r: IncidentEvidenceRow): Promise<Evidence['integrity']> {
    const checkedAt = now();
    if (!r.sha256) return { status: 'none', actualSha256: null, checkedAt };
    if (!r.attachment_id) return { status: 'external', actualSha256: null, checkedAt };
    const att = await attachments.findOn(ex, r.attachment_id, 'incident', r.incident_id);
    if (!att) return { status: 'attachment_deleted', actualSha256: null, checkedAt };
    const actual = await attachments.blobs.rehash(att.sha256);
    if (actual === null) return { status: 'missing', actualSha256: null, checkedAt };
    return { status: actual === r.sha256 ? 'verified' : 'mismatch', actualSha256: actual, checkedAt };
  }

  async function toEvidence(ex: Executor, rows: IncidentEvidenceRow[]): Promise<Evidence[]> {
    const names = await repo.displayNames(
      ex,
      rows.map((r) => r.acquired_by_user_id),
    );
    const custody = await repo.custodySummary(
      ex,
      rows.map((r) => r.id),
    );
    const out: Evidence[] = [];
    for (const r of rows) {
      const c = custody.get(r.id);
      out.push({
        id: r.id,
        incidentId: r.incident_id,
        label: r.label,
        kind: r.kind as Evidence['kind'],
        description: r.description,
        acquiredAt: r.acquired_at,
        acquiredByUserId: r.acquired_by_user_id,
        acquiredByName: r.acquired_by_user_id
          ? (names.get(r.acquired_by_user_id) ?? r.acquired_by_name)
          : r.acquired_by_name,
        acquisitionMethod: r.acquisition_method,
        storageLocation: r.storage_location,
        sha256: r.sha256,
        attachmentId: r.attachment_id,
        currentCustodian: c?.holder ?? null,
        custodyEntries: c?.count ?? 0,
        integrity: await integrityOf(ex, r),
        createdBy: r.created_by,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        version: r.version,
      });
    }
    return out;
  }

  async function loadEvidence(ex: Executor, ctx: Ctx, evidenceId: string) {
    const row = await repo.findEvidence(ex, evidenceId);
    if (!row) throw new NotFound('No such evidence.');
    const incident = await requireParent(ex, ctx, row.incident_id, 'write', 'evidence');
    return { row, incident };
  }

  function toCustody(r: IncidentCustodyRow, names: Map<string, string>): CustodyEntry {
    return {
      id: r.id,
      evidenceId: r.evidence_id,
      seq: r.seq,
      from: r.from_party,
      to: r.to_party,
      at: r.at,
      purpose: r.purpose,
      note: r.note,
      recordedBy: r.recorded_by,
      recordedByName: r.recorded_by ? (names.get(r.recorded_by) ?? null) : null,
      recordedAt: r.recorded_at,
      entryHash: r.entry_hash,
    };
  }

  async function appendCustody(
    ex: Executor,
    ctx: Ctx,
    evidenceId: string,
    entry: { from: string | null; to: string; at: string; purpose: string; note: string | null },
  ): Promise<IncidentCustodyRow> {
    const last = await repo.lastCustody(ex, evidenceId);
    const base: Omit<IncidentCustodyRow, 'entry_hash'> = {
      id: newId(),
      evidence_id: evidenceId,
      seq: (last?.seq ?? 0) + 1,
      from_party: entry.from,
      to_party: entry.to,
      at: entry.at,
      purpose: entry.purpose,
      note: entry.note,
      recorded_by: userOf(ctx),
      recorded_at: now(),
      prev_hash: last?.entry_hash ?? GENESIS,
    };
    const row: IncidentCustodyRow = { ...base, entry_hash: custodyHash(base) };
    await repo.insertCustody(ex, row);
    return row;
  }

  // --- communications ---

  function toCommunication(r: IncidentCommunicationRow, names: Map<string, string>): Communication {
    return {
      id: r.id,
      incidentId: r.incident_id,
      recipient: r.recipient,
      recipientUserId: r.recipient_user_id,
      channel: r.channel as Communication['channel'],
      summary: r.summary,
      communicatedAt: r.communicated_at,
      communicatedBy: r.communicated_by,
      communicatedByName: r.communicated_by ? (names.get(r.communicated_by) ?? null) : null,
      acknowledged: r.acknowledged === 1,
      acknowledgedAt: r.acknowledged_at,
      note: r.note,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
    };
  }

  async function checkUser(ex: Executor, userId: string | null | undefined, path: string) {
    if (userId && !(await repo.userExists(ex, userId)))
      throw new Invalid('No such user.', [{ path, message: 'is not a user of this installation' }]);
  }

  // --- links ---

  /** The other end, as the caller may see it; null when hidden from them (or gone). */
  async function resolveTarget(ex: Executor, ctx: Ctx, type: string, id: string): Promise<LinkedRecord | null> {
    try {
      if (type === 'incident') {
        const r = await access.require(ex, ctx, id, 'read');
        return { entityType: 'incident', entityId: r.id, officeId: r.office_id, title: titleOf(r, ctx) };
      }
      return await links.resolve(ex, ctx, type, id);
    } catch (e) {
      if (e instanceof NotFound || e instanceof Forbidden || e instanceof Invalid) return null;
      throw e;
    }
  }

  /** A sensitive incident's title stays with those allowed to see it; others never get here (404). */
  function titleOf(r: IncidentRow, _ctx: Ctx): string {
    return `${r.reference} — ${r.title}`;
  }

  function toLink(r: IncidentLinkRow, from: string, other: LinkedRecord): Link {
    const outgoing = r.incident_id === from;
    return {
      id: r.id,
      incidentId: r.incident_id,
      targetType: r.target_type,
      targetId: r.target_id,
      relation: r.relation as Link['relation'],
      direction: outgoing ? 'outgoing' : 'incoming',
      other: { ...other, officeId: other.officeId },
      note: r.note,
      createdBy: r.created_by,
      createdAt: r.created_at,
    };
  }

  return {
    // --- timeline ---

    async listTimeline(ctx: Ctx, incidentId: string, q: PageQuery) {
      await requireParent(db, ctx, incidentId, 'read', 'incident');
      // A staff member following their own report (no incident.read) does not see internal entries.
      const investigator = !ctx.actor || roleCan(ctx.actor.role, 'incident.read');
      const rows = await repo.listTimeline(db, incidentId, decodeCursor(q.cursor), q.limit, !investigator);
      const names = await repo.displayNames(
        db,
        rows.map((r) => r.created_by),
      );
      return toPage(
        rows,
        q.limit,
        (r) => r.occurred_at,
        (r) => toEntry(r, names),
      );
    },

    async addTimelineEntry(ctx: Ctx, incidentId: string, input: TimelineEntryInput): Promise<TimelineEntry> {
      const data = parse(TimelineEntryInput, input);
      const row = await db.transaction().execute(async (trx) => {
        const incident = await requireParent(trx, ctx, incidentId, 'write', 'incident');
        assertOpen(incident, 'timeline');
        const at = now();
        const r: IncidentTimelineRow = {
          id: newId(),
          incident_id: incident.id,
          occurred_at: instant(data.occurredAt, 'body.occurredAt'),
          precision: data.precision,
          description: data.description,
          source: data.source,
          source_detail: data.sourceDetail || null,
          internal: data.internal ? 1 : 0,
          created_by: userOf(ctx),
          created_at: at,
          updated_at: at,
          version: 1,
          deleted_at: null,
          deleted_by: null,
        };
        await repo.insertTimeline(trx, r);
        await audited(trx, ctx, incident, 'incident_timeline.create', 'incident_timeline', r.id, entryView(r));
        return r;
      });
      return toEntry(row, await repo.displayNames(db, [row.created_by]));
    },

    async updateTimelineEntry(ctx: Ctx, entryId: string, input: TimelineEntryUpdateInput): Promise<TimelineEntry> {
      const data = parse(TimelineEntryUpdateInput, input);
      const row = await db.transaction().execute(async (trx) => {
        const { row: before, incident } = await loadEntry(trx, ctx, entryId);
        const after: IncidentTimelineRow = { ...before };
        if (data.occurredAt !== undefined) after.occurred_at = instant(data.occurredAt, 'body.occurredAt');
        if (data.precision !== undefined) after.precision = data.precision;
        if (data.description !== undefined) after.description = data.description;
        if (data.source !== undefined) after.source = data.source;
        if (data.sourceDetail !== undefined) after.source_detail = data.sourceDetail || null;
        if (data.internal !== undefined) after.internal = data.internal ? 1 : 0;
        const changes = diff(entryView(before), entryView(after));
        if (before.version !== data.version)
          throw new VersionConflict(
            'This timeline entry was changed by someone else; reload it and apply your change again.',
            before.version,
          );
        if (Object.keys(changes).length === 0) return before;
        after.version = before.version + 1;
        after.updated_at = now();
        if (!(await repo.updateTimelineIfVersion(trx, after, data.version)))
          throw new VersionConflict('This timeline entry was changed by someone else; reload it.', before.version + 1);
        await audited(trx, ctx, incident, 'incident_timeline.update', 'incident_timeline', after.id, changes);
        return after;
      });
      return toEntry(row, await repo.displayNames(db, [row.created_by]));
    },

    async deleteTimelineEntry(ctx: Ctx, entryId: string, version: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const { row, incident } = await loadEntry(trx, ctx, entryId);
        if (row.version !== version)
          throw new VersionConflict(
            'This timeline entry was changed by someone else; reload it before removing it.',
            row.version,
          );
        const at = now();
        const gone = { ...row, version: row.version + 1, updated_at: at, deleted_at: at, deleted_by: userOf(ctx) };
        if (!(await repo.updateTimelineIfVersion(trx, gone, version)))
          throw new VersionConflict('This timeline entry was changed by someone else; reload it.', row.version + 1);
        await audited(trx, ctx, incident, 'incident_timeline.delete', 'incident_timeline', row.id, entryView(row));
      });
    },

    // --- evidence ---

    async listEvidence(ctx: Ctx, incidentId: string): Promise<{ items: Evidence[] }> {
      await requireParent(db, ctx, incidentId, 'write', 'incident');
      return { items: await toEvidence(db, await repo.listEvidence(db, incidentId)) };
    },

    async getEvidence(ctx: Ctx, evidenceId: string): Promise<Evidence> {
      const { row } = await loadEvidence(db, ctx, evidenceId);
      const [e] = await toEvidence(db, [row]);
      if (!e) throw new NotFound('No such evidence.');
      return e;
    },

    async addEvidence(ctx: Ctx, incidentId: string, input: EvidenceInput): Promise<Evidence> {
      const data = parse(EvidenceInput, input);
      const row = await db.transaction().execute(async (trx) => {
        const incident = await requireParent(trx, ctx, incidentId, 'write', 'incident');
        assertOpen(incident, 'evidence list');
        await checkUser(trx, data.acquiredByUserId, 'body.acquiredByUserId');
        let sha256 = data.sha256 ?? null;
        if (data.attachmentId) {
          const att = await attachments.findOn(trx, data.attachmentId, 'incident', incident.id);
          if (!att)
            throw new Invalid('The attachment is not one of this incident’s files.', [
              { path: 'body.attachmentId', message: 'is not an attachment of this incident' },
            ]);
          sha256 = att.sha256;
        }
        const at = now();
        const acquiredByUser = data.acquiredByUserId ?? (data.acquiredByName ? null : userOf(ctx));
        const r: IncidentEvidenceRow = {
          id: newId(),
          incident_id: incident.id,
          label: data.label,
          kind: data.kind,
          description: data.description || null,
          acquired_at: instant(data.acquiredAt, 'body.acquiredAt'),
          acquired_by_user_id: acquiredByUser,
          acquired_by_name: data.acquiredByName || null,
          acquisition_method: data.acquisitionMethod || null,
          storage_location: data.storageLocation || null,
          sha256,
          attachment_id: data.attachmentId ?? null,
          created_by: userOf(ctx),
          created_at: at,
          updated_at: at,
          version: 1,
        };
        await repo.insertEvidence(trx, r);
        const acquirerName = acquiredByUser
          ? (await repo.displayNames(trx, [acquiredByUser])).get(acquiredByUser)
          : undefined;
        const acquirer = r.acquired_by_name ?? acquirerName ?? 'Outpost';
        const first = await appendCustody(trx, ctx, r.id, {
          from: null,
          to: data.custodian || acquirer,
          at: r.acquired_at,
          purpose: r.acquisition_method ? `Acquisition: ${r.acquisition_method}` : 'Acquisition',
          note: r.storage_location,
        });
        const { created_at: _c, updated_at: _u, version: _v, ...view } = r;
        await audited(trx, ctx, incident, 'incident_evidence.create', 'incident_evidence', r.id, {
          ...view,
          custodian: first.to_party,
        });
        return r;
      });
      const [e] = await toEvidence(db, [row]);
      if (!e) throw new NotFound('No such evidence.');
      return e;
    },

    async updateEvidence(ctx: Ctx, evidenceId: string, input: EvidenceUpdateInput): Promise<Evidence> {
      const data = parse(EvidenceUpdateInput, input);
      const row = await db.transaction().execute(async (trx) => {
        const { row: before, incident } = await loadEvidence(trx, ctx, evidenceId);
        assertOpen(incident, 'evidence list');
        if (before.version !== data.version)
          throw new VersionConflict(
            'This item of evidence was changed by someone else; reload it and apply your change again.',
            before.version,
          );
        const after: IncidentEvidenceRow = { ...before };
        if (data.label !== undefined) after.label = data.label;
        if (data.kind !== undefined) after.kind = data.kind;
        if (data.description !== undefined) after.description = data.description || null;
        if (data.acquisitionMethod !== undefined) after.acquisition_method = data.acquisitionMethod || null;
        if (data.storageLocation !== undefined) after.storage_location = data.storageLocation || null;
        const pick = (r: IncidentEvidenceRow) => ({
          label: r.label,
          kind: r.kind,
          description: r.description,
          acquisitionMethod: r.acquisition_method,
          storageLocation: r.storage_location,
        });
        const changes = diff(pick(before), pick(after));
        if (Object.keys(changes).length === 0) return before;
        after.version = before.version + 1;
        after.updated_at = now();
        if (!(await repo.updateEvidenceIfVersion(trx, after, data.version)))
          throw new VersionConflict(
            'This item of evidence was changed by someone else; reload it.',
            before.version + 1,
          );
        await audited(trx, ctx, incident, 'incident_evidence.update', 'incident_evidence', after.id, changes);
        return after;
      });
      const [e] = await toEvidence(db, [row]);
      if (!e) throw new NotFound('No such evidence.');
      return e;
    },

    async listCustody(ctx: Ctx, evidenceId: string): Promise<CustodyLog> {
      const { row } = await loadEvidence(db, ctx, evidenceId);
      const rows = await repo.listCustody(db, row.id);
      const names = await repo.displayNames(
        db,
        rows.map((r) => r.recorded_by),
      );
      let prev = GENESIS;
      let intact = true;
      rows.forEach((r, i) => {
        const { entry_hash, ...rest } = r;
        if (r.seq !== i + 1 || r.prev_hash !== prev || custodyHash(rest) !== entry_hash) intact = false;
        prev = entry_hash;
      });
      return { items: rows.map((r) => toCustody(r, names)), chainIntact: intact };
    },

    async addCustody(ctx: Ctx, evidenceId: string, input: CustodyEntryInput): Promise<CustodyEntry> {
      const data = parse(CustodyEntryInput, input);
      let row: IncidentCustodyRow;
      try {
        row = await db.transaction().execute(async (trx) => {
          const { row: ev, incident } = await loadEvidence(trx, ctx, evidenceId);
          const last = await repo.lastCustody(trx, ev.id);
          const at = data.at
            ? instant(data.at, 'body.at', {
                notBefore: last?.at ?? ev.acquired_at,
                notBeforeWhat: 'the previous hand-over',
              })
            : now();
          if (last && at < last.at)
            throw new Unprocessable('A hand-over cannot be recorded before the previous one.', [
              { path: 'body.at', message: `must not be before ${last.at}` },
            ]);
          const r = await appendCustody(trx, ctx, ev.id, {
            from: last?.to_party ?? null,
            to: data.to,
            at,
            purpose: data.purpose,
            note: data.note || null,
          });
          await audited(trx, ctx, incident, 'incident_custody.create', 'incident_evidence', ev.id, {
            seq: r.seq,
            from: r.from_party,
            to: r.to_party,
            at: r.at,
            purpose: r.purpose,
            note: r.note,
            entryHash: r.entry_hash,
          });
          return r;
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new Conflict('Someone else recorded a hand-over of this item at the same time; reload and try again.');
        throw e;
      }
      return toCustody(row, await repo.displayNames(db, [row.recorded_by]));
    },

    // --- communications ---

    async listCommunications(ctx: Ctx, incidentId: string, q: PageQuery) {
      await requireParent(db, ctx, incidentId, 'write', 'incident');
      const rows = await repo.listCommunications(db, incidentId, decodeCursor(q.cursor), q.limit);
      const names = await repo.displayNames(
        db,
        rows.map((r) => r.communicated_by),
      );
      return toPage(
        rows,
        q.limit,
        (r) => r.communicated_at,
        (r) => toCommunication(r, names),
      );
    },

    async addCommunication(ctx: Ctx, incidentId: string, input: CommunicationInput): Promise<Communication> {
      const data = parse(CommunicationInput, input);
      const row = await db.transaction().execute(async (trx) => {
        const incident = await requireParent(trx, ctx, incidentId, 'write', 'incident');
        await checkUser(trx, data.recipientUserId, 'body.recipientUserId');
        const at = now();
        const communicatedAt = data.communicatedAt ? instant(data.communicatedAt, 'body.communicatedAt') : at;
        const acknowledgedAt = data.acknowledged
          ? data.acknowledgedAt
            ? instant(data.acknowledgedAt, 'body.acknowledgedAt', {
                notBefore: communicatedAt,
                notBeforeWhat: 'the communication',
              })
            : later(at, communicatedAt)
          : null;
        const r: IncidentCommunicationRow = {
          id: newId(),
          incident_id: incident.id,
          recipient: data.recipient,
          recipient_user_id: data.recipientUserId ?? null,
          channel: data.channel,
          summary: data.summary,
          communicated_at: communicatedAt,
          communicated_by: userOf(ctx),
          acknowledged: data.acknowledged ? 1 : 0,
          acknowledged_at: acknowledgedAt,
          note: data.note || null,
          created_by: userOf(ctx),
          created_at: at,
          updated_at: at,
          version: 1,
        };
        await repo.insertCommunication(trx, r);
        const {
          createdAt: _c,
          updatedAt: _u,
          version: _v,
          communicatedByName: _n,
          ...view
        } = toCommunication(r, new Map());
        await audited(trx, ctx, incident, 'incident_communication.create', 'incident_communication', r.id, view);
        return r;
      });
      return toCommunication(row, await repo.displayNames(db, [row.communicated_by]));
    },

    async updateCommunication(ctx: Ctx, commId: string, input: CommunicationUpdateInput): Promise<Communication> {
      const data = parse(CommunicationUpdateInput, input);
      const row = await db.transaction().execute(async (trx) => {
        const before = await repo.findCommunication(trx, commId);
        if (!before) throw new NotFound('No such communication.');
        const incident = await requireParent(trx, ctx, before.incident_id, 'write', 'communication');
        if (before.version !== data.version)
          throw new VersionConflict(
            'This communication was changed by someone else; reload it and apply your change again.',
            before.version,
          );
        await checkUser(trx, data.recipientUserId, 'body.recipientUserId');
        const after: IncidentCommunicationRow = { ...before };
        if (data.recipient !== undefined) after.recipient = data.recipient;
        if (data.recipientUserId !== undefined) after.recipient_user_id = data.recipientUserId;
        if (data.channel !== undefined) after.channel = data.channel;
        if (data.summary !== undefined) after.summary = data.summary;
        if (data.note !== undefined) after.note = data.note || null;
        if (data.communicatedAt !== undefined)
          after.communicated_at = instant(data.communicatedAt, 'body.communicatedAt');
        const ack = data.acknowledged ?? (data.acknowledgedAt ? true : undefined);
        if (ack === false) {
          if (data.acknowledgedAt)
            throw new Invalid('An acknowledgement time needs `acknowledged: true`.', [
              { path: 'body.acknowledgedAt', message: 'needs acknowledged: true' },
            ]);
          after.acknowledged = 0;
          after.acknowledged_at = null;
        } else if (ack === true) {
          after.acknowledged = 1;
          const at = now();
          after.acknowledged_at = data.acknowledgedAt
            ? instant(data.acknowledgedAt, 'body.acknowledgedAt')
            : (before.acknowledged_at ?? later(at, after.communicated_at));
        }
        if (after.acknowledged_at && after.acknowledged_at < after.communicated_at)
          throw new Invalid('The acknowledgement is before the communication.', [
            { path: 'body.acknowledgedAt', message: 'must not be before the communication' },
          ]);
        const view = (r: IncidentCommunicationRow) => {
          const {
            createdAt: _c,
            updatedAt: _u,
            version: _v,
            communicatedByName: _n,
            ...v
          } = toCommunication(r, new Map());
          return v;
        };
        const changes = diff(view(before), view(after));
        if (Object.keys(changes).length === 0) return before;
        after.version = before.version + 1;
        after.updated_at = now();
        if (!(await repo.updateCommunicationIfVersion(trx, after, data.version)))
          throw new VersionConflict('This communication was changed by someone else; reload it.', before.version + 1);
        await audited(trx, ctx, incident, 'incident_communication.update', 'incident_communication', after.id, changes);
        return after;
      });
      return toCommunication(row, await repo.displayNames(db, [row.communicated_by]));
    },

    // --- links ---

    async listLinks(ctx: Ctx, incidentId: string): Promise<{ items: Link[] }> {
      await requireParent(db, ctx, incidentId, 'read', 'incident');
      const rows = await repo.listLinks(db, incidentId);
      const items: Link[] = [];
      for (const r of rows) {
        const outgoing = r.incident_id === incidentId;
        const other = outgoing
          ? await resolveTarget(db, ctx, r.target_type, r.target_id)
          : await resolveTarget(db, ctx, 'incident', r.incident_id);
        // Both ends must be visible: a link to a record the caller may not see is left out.
        if (other) items.push(toLink(r, incidentId, other));
      }
      return { items };
    },

    async addLink(ctx: Ctx, incidentId: string, input: LinkInput): Promise<Link> {
      const data = parse(LinkInput, input);
      if (data.targetType !== 'incident' && INCIDENT_ONLY_RELATIONS.has(data.relation))
        throw new Invalid(`"${data.relation}" links two incidents; other records are "related".`, [
          { path: 'body.relation', message: 'must be related for a record that is not an incident' },
        ]);
      if (data.targetType === 'incident' && data.targetId === incidentId)
        throw new Invalid('An incident cannot be linked to itself.', [
          { path: 'body.targetId', message: 'is this incident' },
        ]);
      // Other modules' resolvers may read outside our transaction: resolve them before opening it.
      let other: LinkedRecord | null = null;
      if (data.targetType !== 'incident') {
        await requireParent(db, ctx, incidentId, 'write', 'incident');
        if (!links.types().includes(data.targetType))
          throw new Invalid(`Records of type "${data.targetType}" cannot be linked.`, [
            { path: 'body.targetType', message: `must be incident or one of: ${links.types().join(', ')}` },
          ]);
        other = await resolveTarget(db, ctx, data.targetType, data.targetId);
        if (!other)
          throw new Invalid('The record to link does not exist (or you may not see it).', [
            { path: 'body.targetId', message: 'no such record' },
          ]);
      }
      const { row, target } = await db.transaction().execute(async (trx) => {
        const incident = await requireParent(trx, ctx, incidentId, 'write', 'incident');
        assertOpen(incident, 'links');
        const target = other ?? (await resolveTarget(trx, ctx, 'incident', data.targetId));
        if (!target)
          throw new Invalid('The incident to link does not exist (or you may not see it).', [
            { path: 'body.targetId', message: 'no such incident' },
          ]);
        const existing = await repo.findLinkBetween(trx, incident.id, data.targetType, data.targetId);
        if (existing) throw new Conflict('These two records are already linked.');
        const r: IncidentLinkRow = {
          id: newId(),
          incident_id: incident.id,
          target_type: data.targetType,
          target_id: data.targetId,
          relation: data.relation,
          note: data.note || null,
          created_by: userOf(ctx),
          created_at: now(),
          deleted_at: null,
          deleted_by: null,
        };
        await repo.insertLink(trx, r);
        await audited(trx, ctx, incident, 'incident_link.create', 'incident_link', r.id, {
          target: `${r.target_type}:${r.target_id}`,
          relation: r.relation,
          note: r.note,
        });
        return { row: r, target };
      });
      return toLink(row, incidentId, target);
    },

    async deleteLink(ctx: Ctx, linkId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await repo.findLink(trx, linkId);
        if (!row) throw new NotFound('No such link.');
        const incident = await requireParent(trx, ctx, row.incident_id, 'write', 'link');
        assertOpen(incident, 'links');
        // Idempotent: removing a link already removed changes nothing and is not audited again.
        if (row.deleted_at !== null) return;
        if (!(await repo.softDeleteLink(trx, row.id, now(), userOf(ctx)))) return;
        await audited(trx, ctx, incident, 'incident_link.delete', 'incident_link', row.id, {
          target: `${row.target_type}:${row.target_id}`,
          relation: row.relation,
        });
      });
    },

    // --- tasks from the category's template ---

    async listTaskTemplates(ctx: Ctx, categoryCode?: string): Promise<{ items: TaskTemplateItem[] }> {
      assertCan(ctx, 'incident.write');
      await ensureTemplates(db);
      const rows = await repo.allTemplateItems(db, categoryCode);
      return {
        items: rows.map((r) => ({
          id: r.id,
          categoryCode: r.category_code,
          key: r.item_key,
          title: r.title,
          titleFr: r.title_fr,
          dueOffsetHours: r.due_offset_hours,
          priority: r.priority as TaskTemplateItem['priority'],
          order: r.sort_order,
        })),
      };
    },

    async applyTaskTemplate(ctx: Ctx, incidentId: string, input: ApplyTaskTemplateInput): Promise<AppliedTaskTemplate> {
      const data = parse(ApplyTaskTemplateInput, input);
      try {
        return await db.transaction().execute(async (trx) => {
          const incident = await requireParent(trx, ctx, incidentId, 'write', 'incident');
          assertOpen(incident, 'tasks');
          // Tasks are seen by the whole office: their titles would tell what a sensitive incident is about.
          if (incident.sensitive === 1)
            throw new Unprocessable(
              'Tasks are visible to the whole office, so a sensitive incident gets no template tasks; create the tasks it needs by hand, with neutral titles.',
              [{ path: 'sensitive', message: 'the incident is sensitive', code: 'sensitive' }],
            );
          await ensureTemplates(trx);
          const items = await repo.templateItems(trx, incident.category);
          if (items.length === 0)
            throw new Unprocessable(`There is no task template for the category ${incident.category}.`, [
              { path: 'category', message: 'has no task template', code: 'no_template' },
            ]);
          const applied = await repo.appliedTasks(trx, incident.id);
          const done = new Set(applied.map((a) => a.template_id));
          const created: string[] = [];
          const base = clock.now().getTime();
          for (const item of items) {
            if (done.has(item.id)) continue;
            const task = await tasks.create(
              ctx,
              {
                officeId: incident.office_id,
                title: data.lang === 'fr' ? item.title_fr : item.title,
                description: `${incident.reference}`,
                ownerUserId: incident.owner_user_id,
                dueAt:
                  item.due_offset_hours === null
                    ? null
                    : new Date(base + item.due_offset_hours * 3_600_000).toISOString(),
                priority: item.priority as Task['priority'],
                subject: { entityType: 'incident', entityId: incident.id },
              },
              trx,
            );
            await repo.insertAppliedTask(trx, {
              id: newId(),
              incident_id: incident.id,
              template_id: item.id,
              task_id: task.id,
              applied_by: userOf(ctx),
              applied_at: now(),
            });
            created.push(task.id);
          }
          return {
            categoryCode: incident.category,
            createdTaskIds: created,
            taskIds: [...applied.map((a) => a.task_id), ...created],
          };
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new Conflict('The template is being applied by someone else at the same time; reload the tasks.');
        throw e;
      }
    },
  };
}
