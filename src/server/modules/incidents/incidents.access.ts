import { roleCan } from '../../../shared/permissions.ts';
import type { Executor } from '../../db/database.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { type Ctx, canSeeOffice } from '../../lib/auth.ts';
import { groupBy, inChunks } from '../../lib/batches.ts';
import { Forbidden, NotFound } from '../../lib/errors.ts';
import type { IncidentAccess, IncidentNeed } from './incidents.ports.ts';

/**
 * Who may see an incident:
 * - the system (no actor) always;
 * - its reporter, owner and reviewer always (a reporter keeps sight of their own report);
 * - a sensitive incident: also the users named on it, and nobody else — not admins, not HQ;
 * - otherwise anyone with `incident.read` who sees the office;
 * - staff (`incident.report` only) see nothing but their own reports.
 * Who may change it: `incident.write` in the office (and, if sensitive, being owner or named), or its owner.
 */
export function createIncidentAccess(): IncidentAccess {
  function canSee(ctx: Ctx, row: IncidentRow, named: readonly string[]): boolean {
    const a = ctx.actor;
    if (!a) return true;
    if (row.reporter_user_id === a.userId || row.owner_user_id === a.userId || row.reviewer_user_id === a.userId)
      return true;
    if (!canSeeOffice(ctx, row.office_id)) return false;
    if (row.sensitive === 1) return named.includes(a.userId);
    return roleCan(a.role, 'incident.read');
  }

  function canWrite(ctx: Ctx, row: IncidentRow): boolean {
    const a = ctx.actor;
    if (!a) return true;
    if (row.owner_user_id === a.userId) return roleCan(a.role, 'incident.report');
    return canSeeOffice(ctx, row.office_id) && roleCan(a.role, 'incident.write');
  }

  async function namedUsers(ex: Executor, incidentId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('incident_access')
      .select('user_id')
      .where('incident_id', '=', incidentId)
      .execute();
    return rows.map((r) => r.user_id);
  }

  async function namedUsersOf(ex: Executor, incidentIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await inChunks(incidentIds, (chunk) =>
      ex.selectFrom('incident_access').select(['incident_id', 'user_id']).where('incident_id', 'in', chunk).execute(),
    );
    return new Map([...groupBy(rows, 'incident_id')].map(([id, list]) => [id, list.map((r) => r.user_id)]));
  }

  return {
    canSee,
    namedUsers,
    namedUsersOf,
    async require(ex: Executor, ctx: Ctx, incidentId: string, need: IncidentNeed): Promise<IncidentRow> {
      const row = await ex.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirst();
      const named = row && row.sensitive === 1 ? await namedUsers(ex, row.id) : [];
      if (!row || !canSee(ctx, row, named)) throw new NotFound('No such incident.');
      if (need === 'write' && !canWrite(ctx, row)) throw new Forbidden('You may not change this incident.');
      return row;
    },
  };
}
