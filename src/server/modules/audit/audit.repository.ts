import { sql } from 'kysely';
import type { Dialect, Executor } from '../../db/database.ts';
import type { AuditLogTable } from '../../db/schema.ts';

export type AuditRow = AuditLogTable;

/** Serialises appends to the chain on PostgreSQL (SQLite already has one writer). */
const AUDIT_LOCK_KEY = 72_630_001;

export async function lockChain(ex: Executor, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(ex);
}

export async function lastEntry(ex: Executor): Promise<Pick<AuditRow, 'seq' | 'hash'> | undefined> {
  return ex.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertEntry(ex: Executor, row: AuditRow): Promise<void> {
  await ex.insertInto('audit_log').values(row).execute();
}

/** Multi-row inserts, in chunks that stay under SQLite's bound-parameter limit (32,766; 13 columns a row). */
export async function insertEntries(ex: Executor, rows: readonly AuditRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await ex
      .insertInto('audit_log')
      .values(rows.slice(i, i + 1000))
      .execute();
}

export async function entriesFrom(ex: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return ex.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export async function countEntries(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface AuditQuery {
  visibleOfficeIds: readonly string[] | undefined;
  officeId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

/** Newest first. Callers limited to some offices see only those offices' entries. */
export async function search(ex: Executor, f: AuditQuery): Promise<AuditRow[]> {
  let q = ex.selectFrom('audit_log').selectAll();
  if (f.visibleOfficeIds) {
    if (f.visibleOfficeIds.length === 0) return [];
    q = q.where('office_id', 'in', f.visibleOfficeIds);
  }
  if (f.officeId) q = q.where('office_id', '=', f.officeId);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actor) q = q.where('actor_label', '=', f.actor.toLowerCase());
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}
