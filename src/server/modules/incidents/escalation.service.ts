import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  DEFAULT_ESCALATION_MATRIX,
  type Escalation,
  type EscalationMatrix,
  EscalationMatrixSchema,
  type EscalationTarget,
  type PendingEscalationsQuery,
} from '../../../shared/incidents/escalation.schemas.ts';
import { TERMINAL_INCIDENT_STATUSES } from '../../../shared/incidents/incidents.enums.ts';
import { type Role, roleCan } from '../../../shared/permissions.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { EscalationRow } from '../../db/tables/incident-escalation.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { assertCan, assertOffice, type Ctx, canSeeOffice, systemCtx } from '../../lib/auth.ts';
import { inChunks } from '../../lib/batches.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Conflict, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { NotificationKind, Notifier } from '../../lib/ports.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { IncidentAccess, IncidentChange } from './incidents.ports.ts';
import { incidentParams } from './incidents.service.ts';

/**
 * Escalation (issue #5, ADR 0011): when an incident gets a severity (or it rises), the office's matrix
 * says who must be told and by when. A timed step notifies its roles and starts a deadline; the
 * `incidents.escalations` job finds unacknowledged steps past their deadline, re-notifies and starts the
 * next level. "Awaiting external" pauses the clock (the deadline moves by the time paused); a closed,
 * rejected or duplicate incident cancels what is still open. Everything happens in the transaction that
 * changed the incident, through the incident module's change listener.
 */
export type EscalationService = ReturnType<typeof createEscalationService>;

const MINUTE = 60_000;
const WAITING = ['open', 'overdue'] as const;
const HQ_ROLES: readonly Role[] = ['hq_security', 'admin'];

export function createEscalationService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  notifier: Notifier;
  access: IncidentAccess;
  /** Records hq_notified_at / hq_acknowledged_at on the incident (first time only). */
  markHq: (ex: Executor, id: string, field: 'hq_notified_at' | 'hq_acknowledged_at', at: string) => Promise<void>;
  users: {
    withRoles: (ex: Executor, roles: readonly string[]) => Promise<string[]>;
    inOfficeWithRoles: (ex: Executor, officeId: string, roles: readonly string[]) => Promise<string[]>;
  };
}) {
  const { db, clock, audit, notifier, access } = deps;

  async function matrixFor(
    ex: Executor,
    officeId: string,
  ): Promise<{ matrix: EscalationMatrix; row: { version: number; updated_at: string } | null }> {
    const row = await ex
      .selectFrom('escalation_rules')
      .selectAll()
      .where('office_id', '=', officeId)
      .executeTakeFirst();
    if (!row) return { matrix: DEFAULT_ESCALATION_MATRIX, row: null };
    const parsed = EscalationMatrixSchema.safeParse(JSON.parse(row.matrix));
    return { matrix: parsed.success ? parsed.data : DEFAULT_ESCALATION_MATRIX, row };
  }

  /** The users a step goes to: cross-office roles wherever they are, office roles in the incident's office. */
  async function recipientsFor(
    ex: Executor,
    officeId: string,
    targets: readonly EscalationTarget[],
  ): Promise<string[]> {
    const global = targets.filter((t) => HQ_ROLES.includes(t));
    const local = targets.filter((t) => !HQ_ROLES.includes(t));
    const ids = [
      ...(global.length ? await deps.users.withRoles(ex, global) : []),
      ...(local.length ? await deps.users.inOfficeWithRoles(ex, officeId, local) : []),
    ];
    return [...new Set(ids)].sort();
  }

  async function notify(
    ex: Executor,
    ctx: Ctx,
    kind: NotificationKind,
    incident: IncidentRow,
    to: readonly string[],
    extra: Record<string, string | number | null> = {},
  ) {
    const self = ctx.actor?.userId;
    const recipients = [...new Set(to.filter((u) => u && u !== self))];
    if (recipients.length === 0) return;
    await notifier.notify(ex, ctx, {
      recipients,
      kind,
      officeId: incident.office_id,
      entityType: 'incident',
      entityId: incident.id,
      params: { ...incidentParams(incident, ctx), ...extra },
    });
  }

  const parseList = (s: string): string[] => {
    try {
      const v: unknown = JSON.parse(s);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };

  /** Starts level `level` of a timed chain: notify, record, audit; a step to HQ marks "HQ notified". */
  async function startStep(
    ex: Executor,
    ctx: Ctx,
    incident: IncidentRow,
    severity: number,
    level: number,
    step: { targets: EscalationTarget[]; minutes: number },
    kind: NotificationKind,
  ) {
    const at = isoNow(clock);
    const due = new Date(clock.now().getTime() + step.minutes * MINUTE).toISOString();
    const recipients = await recipientsFor(ex, incident.office_id, step.targets);
    const row: EscalationRow = {
      id: newId(),
      incident_id: incident.id,
      office_id: incident.office_id,
      severity,
      kind: 'timer',
      level,
      targets: JSON.stringify(step.targets),
      recipients: JSON.stringify(recipients),
      minutes: step.minutes,
      started_at: at,
      due_at: due,
      paused_at: incident.status === 'awaiting_external' ? at : null,
      status: 'open',
      overdue_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      closed_at: null,
    };
    await ex.insertInto('incident_escalations').values(row).execute();
    if (step.targets.includes('hq_security')) await deps.markHq(ex, incident.id, 'hq_notified_at', at);
    await notify(ex, ctx, kind, incident, recipients, { dueAt: due, level });
    await audit.record(ex, ctx, {
      action: 'incident.escalate',
      entityType: 'incident_escalation',
      entityId: row.id,
      officeId: incident.office_id,
      changes: {
        incidentId: incident.id,
        reference: incident.reference,
        severity,
        level,
        targets: step.targets,
        recipients: recipients.length,
        dueAt: due,
      },
    });
  }

  async function record(
    ex: Executor,
    incident: IncidentRow,
    severity: number,
    kind: 'periodic_report' | 'monthly_summary' | 'immediate',
    targets: EscalationTarget[],
    recipients: string[],
    status: 'recorded' | 'sent',
  ) {
    await ex
      .insertInto('incident_escalations')
      .values({
        id: newId(),
        incident_id: incident.id,
        office_id: incident.office_id,
        severity,
        kind,
        level: 0,
        targets: JSON.stringify(targets),
        recipients: JSON.stringify(recipients),
        minutes: null,
        started_at: isoNow(clock),
        due_at: null,
        paused_at: null,
        status,
        overdue_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
        closed_at: null,
      })
      .execute();
  }

  async function alwaysImmediate(ex: Executor, incident: IncidentRow): Promise<boolean> {
    const c = await ex
      .selectFrom('incident_categories')
      .select('always_immediate')
      .where('code', '=', incident.category)
      .where((w) => w.or([w('office_id', 'is', null), w('office_id', '=', incident.office_id)]))
      .where('always_immediate', '=', 1)
      .executeTakeFirst();
    return !!c;
  }

  async function closeOpen(ex: Executor, incidentId: string, status: 'cancelled' | 'superseded') {
    await ex
      .updateTable('incident_escalations')
      .set({ status, closed_at: isoNow(clock) })
      .where('incident_id', '=', incidentId)
      .where('kind', '=', 'timer')
      .where('status', '=', 'open')
      .execute();
  }

  /** The change listener: runs in the transaction that changed the incident. */
  async function onIncidentChange(ex: Executor, ctx: Ctx, { before, after }: IncidentChange): Promise<void> {
    const terminal = (s: string | undefined) => !!s && (TERMINAL_INCIDENT_STATUSES as readonly string[]).includes(s);
    if (terminal(after.status)) {
      if (!terminal(before?.status)) await closeOpen(ex, after.id, 'cancelled');
      return;
    }
    const now = clock.now();
    // Awaiting an external party stops the clock; coming back moves the deadlines by the time paused.
    if (after.status === 'awaiting_external' && before?.status !== 'awaiting_external') {
      await ex
        .updateTable('incident_escalations')
        .set({ paused_at: now.toISOString() })
        .where('incident_id', '=', after.id)
        .where('status', '=', 'open')
        .where('paused_at', 'is', null)
        .execute();
    } else if (before?.status === 'awaiting_external' && after.status !== 'awaiting_external') {
      const paused = await ex
        .selectFrom('incident_escalations')
        .selectAll()
        .where('incident_id', '=', after.id)
        .where('status', '=', 'open')
        .where('paused_at', 'is not', null)
        .execute();
      for (const p of paused) {
        const gap = now.getTime() - new Date(p.paused_at as string).getTime();
        const due = p.due_at ? new Date(new Date(p.due_at).getTime() + Math.max(0, gap)).toISOString() : null;
        await ex
          .updateTable('incident_escalations')
          .set({ paused_at: null, due_at: due })
          .where('id', '=', p.id)
          .execute();
      }
    }

    const { matrix } = await matrixFor(ex, after.office_id);
    const sev = after.severity;
    const rose = sev !== null && (before?.severity === null || before?.severity === undefined || sev > before.severity);

    // The head of office is told at once, once per incident: from the matrix's severity, or for "always immediate" categories.
    const immediate =
      (sev !== null && matrix.immediateFromSeverity !== null && sev >= matrix.immediateFromSeverity) ||
      ((!before || before.category !== after.category) && (await alwaysImmediate(ex, after)));
    if (immediate) {
      const sent = await ex
        .selectFrom('incident_escalations')
        .select('id')
        .where('incident_id', '=', after.id)
        .where('kind', '=', 'immediate')
        .executeTakeFirst();
      if (!sent) {
        const heads = await deps.users.inOfficeWithRoles(ex, after.office_id, ['head_of_office']);
        await record(ex, after, sev ?? 0, 'immediate', ['head_of_office'], heads, 'sent');
        await notify(ex, ctx, 'incident.immediate_alert', after, heads, { severity: sev ?? '—' });
      }
    }

    if (!rose || sev === null) return;
    const rule = matrix.severities[String(sev) as '1' | '2' | '3' | '4'];
    await closeOpen(ex, after.id, 'superseded');
    if (rule.mode === 'timer') {
      const first = rule.steps[0];
      if (first) await startStep(ex, ctx, after, sev, 1, first, 'incident.escalated');
    } else {
      await record(ex, after, sev, rule.mode, [], [], 'recorded');
    }
  }

  /** The scheduled job's body: overdue, unacknowledged steps re-notify and escalate one level. Idempotent. */
  async function runEscalations(now: Date): Promise<{ overdue: number; escalated: number }> {
    const nowIso = now.toISOString();
    const due = await db
      .selectFrom('incident_escalations')
      .select('id')
      .where('status', '=', 'open')
      .where('kind', '=', 'timer')
      .where('paused_at', 'is', null)
      .where('due_at', '<=', nowIso)
      .orderBy('due_at')
      .limit(500)
      .execute();
    let overdue = 0;
    let escalated = 0;
    for (const { id } of due) {
      await db.transaction().execute(async (trx) => {
        // Claim it: a second worker (or a second run at the same `now`) finds it no longer open.
        const claimed = await trx
          .updateTable('incident_escalations')
          .set({ status: 'overdue', overdue_at: nowIso })
          .where('id', '=', id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return;
        overdue++;
        const step = await trx
          .selectFrom('incident_escalations')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const incident = await trx
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', step.incident_id)
          .executeTakeFirstOrThrow();
        const { matrix } = await matrixFor(trx, step.office_id);
        const rule = matrix.severities[String(step.severity) as '1' | '2' | '3' | '4'];
        const next = rule.mode === 'timer' ? rule.steps[step.level] : undefined;
        await audit.record(trx, systemCtx, {
          action: 'incident.escalation_overdue',
          entityType: 'incident_escalation',
          entityId: step.id,
          officeId: step.office_id,
          changes: {
            incidentId: incident.id,
            reference: incident.reference,
            level: step.level,
            dueAt: step.due_at,
            nextLevel: next ? step.level + 1 : null,
          },
        });
        // The step's own recipients are reminded; the next level (if any) is told it now goes to them.
        await notify(trx, systemCtx, 'incident.escalation_overdue', incident, parseList(step.recipients), {
          dueAt: step.due_at,
          level: next ? step.level + 1 : step.level,
        });
        if (next) {
          await startStep(trx, systemCtx, incident, step.severity, step.level + 1, next, 'incident.escalation_overdue');
          escalated++;
        }
      });
    }
    return { overdue, escalated };
  }

  async function names(ex: Executor, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await ex
      .selectFrom('users')
      .innerJoin('persons', 'persons.id', 'users.person_id')
      .select(['users.id as id', 'persons.display_name as name'])
      .where('users.id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  function view(r: EscalationRow, reference: string, ctx: Ctx, byName: Map<string, string>): Escalation {
    const me = ctx.actor?.userId ?? null;
    const recipients = parseList(r.recipients);
    const waiting = r.kind === 'timer' && (WAITING as readonly string[]).includes(r.status);
    const may = !ctx.actor || recipients.includes(me ?? '') || roleCan(ctx.actor.role, 'incident.acknowledge');
    return {
      id: r.id,
      incidentId: r.incident_id,
      officeId: r.office_id,
      reference,
      severity: r.severity,
      kind: r.kind as Escalation['kind'],
      level: r.level,
      targets: parseList(r.targets) as EscalationTarget[],
      recipientCount: recipients.length,
      minutes: r.minutes,
      startedAt: r.started_at,
      dueAt: r.due_at,
      paused: r.paused_at !== null,
      status: r.status as Escalation['status'],
      overdueAt: r.overdue_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: r.acknowledged_by,
      acknowledgedByName: r.acknowledged_by ? (byName.get(r.acknowledged_by) ?? null) : null,
      canAcknowledge: waiting && may,
    };
  }

  function matrixView(
    officeId: string,
    m: { matrix: EscalationMatrix; row: { version: number; updated_at: string } | null },
  ) {
    return {
      officeId,
      matrix: m.matrix,
      isDefault: m.row === null,
      version: m.row?.version ?? 0,
      updatedAt: m.row?.updated_at ?? null,
    };
  }

  return {
    onIncidentChange,
    runEscalations,

    async getMatrix(ctx: Ctx, officeId: string) {
      assertCan(ctx, 'incident.read');
      assertOffice(ctx, officeId);
      return matrixView(officeId, await matrixFor(db, officeId));
    },

    async putMatrix(ctx: Ctx, officeId: string, input: { matrix: EscalationMatrix; version: number }) {
      assertCan(ctx, 'incident.manage');
      assertOffice(ctx, officeId);
      const office = await db
        .selectFrom('offices')
        .select('id')
        .where('id', '=', officeId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!office) throw new NotFound('No such office.');
      return db.transaction().execute(async (trx) => {
        const current = await matrixFor(trx, officeId);
        const version = current.row?.version ?? 0;
        if (input.version !== version)
          throw new VersionConflict('The escalation matrix was changed by someone else: reload it.', version);
        const at = isoNow(clock);
        const values = {
          matrix: JSON.stringify(input.matrix),
          updated_by: ctx.actor?.userId ?? null,
          updated_at: at,
          version: version + 1,
        };
        if (current.row) {
          const r = await trx
            .updateTable('escalation_rules')
            .set(values)
            .where('office_id', '=', officeId)
            .where('version', '=', version)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1)
            throw new VersionConflict('The escalation matrix was changed by someone else: reload it.', version + 1);
        } else {
          await trx
            .insertInto('escalation_rules')
            .values({ office_id: officeId, ...values })
            .execute();
        }
        await audit.record(trx, ctx, {
          action: 'escalation_rule.update',
          entityType: 'escalation_rule',
          entityId: officeId,
          officeId,
          changes: { before: current.matrix, after: input.matrix },
        });
        return matrixView(officeId, { matrix: input.matrix, row: { version: version + 1, updated_at: at } });
      });
    },

    async listForIncident(ctx: Ctx, incidentId: string) {
      const incident = await access.require(db, ctx, incidentId, 'read');
      const rows = await db
        .selectFrom('incident_escalations')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('started_at')
        .orderBy('level')
        .orderBy('id')
        .execute();
      const byName = await names(
        db,
        rows.flatMap((r) => (r.acknowledged_by ? [r.acknowledged_by] : [])),
      );
      return { items: rows.map((r) => view(r, incident.reference, ctx, byName)) };
    },

    /**
     * Acknowledge: HQ security or an administrator who sees the incident, or anyone the step went to (a
     * named recipient may acknowledge a sensitive incident's escalation without seeing its contents).
     * Acknowledging stops every waiting step of the incident.
     */
    async acknowledge(ctx: Ctx, escalationId: string) {
      return db.transaction().execute(async (trx) => {
        const step = await trx
          .selectFrom('incident_escalations')
          .selectAll()
          .where('id', '=', escalationId)
          .executeTakeFirst();
        if (!step) throw new NotFound('No such escalation.');
        const incident = await trx
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', step.incident_id)
          .executeTakeFirstOrThrow();
        const me = ctx.actor?.userId ?? '';
        const isRecipient = parseList(step.recipients).includes(me);
        if (!isRecipient && ctx.actor) {
          const named = incident.sensitive === 1 ? await access.namedUsers(trx, incident.id) : [];
          if (!access.canSee(ctx, incident, named) || !canSeeOffice(ctx, incident.office_id))
            throw new NotFound('No such escalation.');
          assertCan(ctx, 'incident.acknowledge');
        }
        if (step.kind !== 'timer') throw new Conflict('This escalation needs no acknowledgement.');
        if (step.status === 'acknowledged') throw new Conflict('This escalation was acknowledged already.');
        if (!(WAITING as readonly string[]).includes(step.status))
          throw new Conflict(`This escalation is no longer waiting for an acknowledgement (${step.status}).`);
        const at = isoNow(clock);
        await trx
          .updateTable('incident_escalations')
          .set({
            status: 'acknowledged',
            acknowledged_at: at,
            acknowledged_by: ctx.actor?.userId ?? null,
            closed_at: at,
          })
          .where('incident_id', '=', incident.id)
          .where('kind', '=', 'timer')
          .where('status', 'in', [...WAITING])
          .execute();
        const byHq = !ctx.actor || HQ_ROLES.includes(ctx.actor.role) || parseList(step.targets).includes('hq_security');
        if (byHq) await deps.markHq(trx, incident.id, 'hq_acknowledged_at', at);
        await audit.record(trx, ctx, {
          action: 'incident.escalation_ack',
          entityType: 'incident_escalation',
          entityId: step.id,
          officeId: step.office_id,
          changes: { incidentId: incident.id, reference: incident.reference, level: step.level },
        });
        const officers = await deps.users.inOfficeWithRoles(trx, incident.office_id, ['security_officer']);
        await notify(trx, ctx, 'incident.hq_acknowledged', incident, [
          ...(incident.owner_user_id ? [incident.owner_user_id] : []),
          ...officers,
        ]);
        const after = await trx
          .selectFrom('incident_escalations')
          .selectAll()
          .where('id', '=', step.id)
          .executeTakeFirstOrThrow();
        return view(after, incident.reference, ctx, await names(trx, [me]));
      });
    },

    /** HQ's queue: waiting steps in the offices the caller sees (or sent to them), most urgent first. */
    async pending(ctx: Ctx, query: z.infer<typeof PendingEscalationsQuery>) {
      assertCan(ctx, 'incident.read');
      if (query.officeId) assertOffice(ctx, query.officeId);
      let q = db
        .selectFrom('incident_escalations')
        .innerJoin('incidents', 'incidents.id', 'incident_escalations.incident_id')
        .selectAll('incident_escalations')
        .select('incidents.reference as reference')
        .where('incident_escalations.kind', '=', 'timer')
        .where('incident_escalations.status', 'in', [...WAITING])
        .orderBy('incident_escalations.due_at')
        .orderBy('incident_escalations.id')
        .limit(1000);
      if (query.officeId) q = q.where('incident_escalations.office_id', '=', query.officeId);
      const rows = await q.execute();
      const me = ctx.actor?.userId ?? '';
      // A recipient sees their escalation; for the others, the incident's visibility rule decides. The
      // incidents (and who is named on the sensitive ones) are read in batches, not one by one.
      const unsure = [...new Set(rows.filter((r) => !parseList(r.recipients).includes(me)).map((r) => r.incident_id))];
      const incidents = await inChunks(unsure, (chunk) =>
        db.selectFrom('incidents').selectAll().where('id', 'in', chunk).execute(),
      );
      const named = await access.namedUsersOf(
        db,
        incidents.filter((inc) => inc.sensitive === 1).map((inc) => inc.id),
      );
      const seen = new Map(incidents.map((inc) => [inc.id, access.canSee(ctx, inc, named.get(inc.id) ?? [])]));
      const out: Escalation[] = [];
      for (const r of rows) {
        const visible = parseList(r.recipients).includes(me) || seen.get(r.incident_id) === true;
        if (visible) out.push(view(r, r.reference, ctx, new Map()));
        if (out.length >= query.limit) break;
      }
      return { items: out };
    },
  };
}
