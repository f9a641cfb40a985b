import type { Executor } from '../../db/database.ts';
import type {
  IncidentAppliedTaskRow,
  IncidentCommunicationRow,
  IncidentCustodyRow,
  IncidentEvidenceRow,
  IncidentLinkRow,
  IncidentTaskTemplateRow,
  IncidentTimelineRow,
} from '../../db/tables/incident-investigation.ts';
import { afterCursor, type Cursor } from '../../lib/pagination.ts';

/** Investigation records (migration 0012): Kysely only, no rules. */

// --- names ---

/** Display names of users, for "added by" columns. */
export async function displayNames(ex: Executor, userIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((u): u is string => !!u))];
  if (ids.length === 0) return new Map();
  const rows = await ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .select(['users.id', 'persons.display_name'])
    .where('users.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function userExists(ex: Executor, userId: string): Promise<boolean> {
  return (await ex.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined;
}

// --- timeline ---

export async function insertTimeline(ex: Executor, row: IncidentTimelineRow): Promise<void> {
  await ex.insertInto('incident_timeline').values(row).execute();
}

export async function findTimeline(ex: Executor, id: string): Promise<IncidentTimelineRow | undefined> {
  return ex
    .selectFrom('incident_timeline')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listTimeline(
  ex: Executor,
  incidentId: string,
  cursor: Cursor | undefined,
  limit: number,
  withoutInternal = false,
): Promise<IncidentTimelineRow[]> {
  let q = ex
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('deleted_at', 'is', null);
  if (withoutInternal) q = q.where('internal', '=', 0);
  if (cursor) q = q.where(afterCursor('incident_timeline', { column: 'occurred_at', desc: false }, cursor));
  return q
    .orderBy('occurred_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit + 1)
    .execute();
}

export async function updateTimelineIfVersion(
  ex: Executor,
  row: IncidentTimelineRow,
  expectedVersion: number,
): Promise<boolean> {
  const r = await ex
    .updateTable('incident_timeline')
    .set({
      occurred_at: row.occurred_at,
      precision: row.precision,
      description: row.description,
      source: row.source,
      source_detail: row.source_detail,
      internal: row.internal,
      updated_at: row.updated_at,
      version: row.version,
      deleted_at: row.deleted_at,
      deleted_by: row.deleted_by,
    })
    .where('id', '=', row.id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- evidence ---

export async function insertEvidence(ex: Executor, row: IncidentEvidenceRow): Promise<void> {
  await ex.insertInto('incident_evidence').values(row).execute();
}

export async function findEvidence(ex: Executor, id: string): Promise<IncidentEvidenceRow | undefined> {
  return ex.selectFrom('incident_evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEvidence(ex: Executor, incidentId: string): Promise<IncidentEvidenceRow[]> {
  return ex
    .selectFrom('incident_evidence')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('acquired_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}

export async function updateEvidenceIfVersion(
  ex: Executor,
  row: IncidentEvidenceRow,
  expectedVersion: number,
): Promise<boolean> {
  const r = await ex
    .updateTable('incident_evidence')
    .set({
      label: row.label,
      kind: row.kind,
      description: row.description,
      acquisition_method: row.acquisition_method,
      storage_location: row.storage_location,
      updated_at: row.updated_at,
      version: row.version,
    })
    .where('id', '=', row.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- custody (append-only: there is no update or delete here, on purpose) ---

export async function insertCustody(ex: Executor, row: IncidentCustodyRow): Promise<void> {
  await ex.insertInto('incident_custody').values(row).execute();
}

export async function listCustody(ex: Executor, evidenceId: string): Promise<IncidentCustodyRow[]> {
  return ex.selectFrom('incident_custody').selectAll().where('evidence_id', '=', evidenceId).orderBy('seq').execute();
}

export async function lastCustody(ex: Executor, evidenceId: string): Promise<IncidentCustodyRow | undefined> {
  return ex
    .selectFrom('incident_custody')
    .selectAll()
    .where('evidence_id', '=', evidenceId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest custody entry and the number of entries of each item. */
export async function custodySummary(
  ex: Executor,
  evidenceIds: readonly string[],
): Promise<Map<string, { holder: string; count: number }>> {
  const out = new Map<string, { holder: string; count: number }>();
  if (evidenceIds.length === 0) return out;
  const rows = await ex
    .selectFrom('incident_custody')
    .select(['evidence_id', 'seq', 'to_party'])
    .where('evidence_id', 'in', [...evidenceIds])
    .orderBy('evidence_id')
    .orderBy('seq')
    .execute();
  for (const r of rows) out.set(r.evidence_id, { holder: r.to_party, count: (out.get(r.evidence_id)?.count ?? 0) + 1 });
  return out;
}

// --- communications ---

export async function insertCommunication(ex: Executor, row: IncidentCommunicationRow): Promise<void> {
  await ex.insertInto('incident_communications').values(row).execute();
}

export async function findCommunication(ex: Executor, id: string): Promise<IncidentCommunicationRow | undefined> {
  return ex.selectFrom('incident_communications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCommunications(
  ex: Executor,
  incidentId: string,
  cursor: Cursor | undefined,
  limit: number,
): Promise<IncidentCommunicationRow[]> {
  let q = ex.selectFrom('incident_communications').selectAll().where('incident_id', '=', incidentId);
  if (cursor) q = q.where(afterCursor('incident_communications', { column: 'communicated_at', desc: false }, cursor));
  return q
    .orderBy('communicated_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit + 1)
    .execute();
}

export async function updateCommunicationIfVersion(
  ex: Executor,
  row: IncidentCommunicationRow,
  expectedVersion: number,
): Promise<boolean> {
  const r = await ex
    .updateTable('incident_communications')
    .set({
      recipient: row.recipient,
      recipient_user_id: row.recipient_user_id,
      channel: row.channel,
      summary: row.summary,
      communicated_at: row.communicated_at,
      acknowledged: row.acknowledged,
      acknowledged_at: row.acknowledged_at,
      note: row.note,
      updated_at: row.updated_at,
      version: row.version,
    })
    .where('id', '=', row.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- links ---

export async function insertLink(ex: Executor, row: IncidentLinkRow): Promise<void> {
  await ex.insertInto('incident_links').values(row).execute();
}

/** The link, removed or not (removing twice is not an error). */
export async function findLink(ex: Executor, id: string): Promise<IncidentLinkRow | undefined> {
  return ex.selectFrom('incident_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Live links made from the incident, and live links from other incidents to it. */
export async function listLinks(ex: Executor, incidentId: string): Promise<IncidentLinkRow[]> {
  return ex
    .selectFrom('incident_links')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('incident_id', '=', incidentId),
        eb.and([eb('target_type', '=', 'incident'), eb('target_id', '=', incidentId)]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}

/** A live link between the two, in either direction (incident links are one relation, whichever way made). */
export async function findLinkBetween(
  ex: Executor,
  incidentId: string,
  targetType: string,
  targetId: string,
): Promise<IncidentLinkRow | undefined> {
  return ex
    .selectFrom('incident_links')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('incident_id', '=', incidentId),
          eb('target_type', '=', targetType),
          eb('target_id', '=', targetId),
        ]),
        ...(targetType === 'incident'
          ? [
              eb.and([
                eb('incident_id', '=', targetId),
                eb('target_type', '=', 'incident'),
                eb('target_id', '=', incidentId),
              ]),
            ]
          : []),
      ]),
    )
    .executeTakeFirst();
}

export async function softDeleteLink(ex: Executor, id: string, at: string, by: string | null): Promise<boolean> {
  const r = await ex
    .updateTable('incident_links')
    .set({ deleted_at: at, deleted_by: by })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- task templates ---

export async function allTemplateItems(ex: Executor, categoryCode?: string): Promise<IncidentTaskTemplateRow[]> {
  let q = ex.selectFrom('incident_task_templates').selectAll().where('active', '=', 1);
  if (categoryCode) q = q.where('category_code', '=', categoryCode);
  return q.orderBy('category_code').orderBy('sort_order').orderBy('id').limit(2000).execute();
}

export async function templateItems(ex: Executor, categoryCode: string): Promise<IncidentTaskTemplateRow[]> {
  return ex
    .selectFrom('incident_task_templates')
    .selectAll()
    .where('category_code', '=', categoryCode)
    .where('active', '=', 1)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

export async function appliedTasks(ex: Executor, incidentId: string): Promise<IncidentAppliedTaskRow[]> {
  return ex
    .selectFrom('incident_applied_tasks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('applied_at')
    .orderBy('id')
    .execute();
}

export async function insertAppliedTask(ex: Executor, row: IncidentAppliedTaskRow): Promise<void> {
  await ex.insertInto('incident_applied_tasks').values(row).execute();
}
