import type { Site } from '../../../shared/sites/sites.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { SiteRow, SitesTable } from '../../db/schema.ts';
import { afterCursor, type Cursor, containsText, type SortSpec } from '../../lib/pagination.ts';
import { toRow, toSite } from './sites.mapper.ts';

export { toRow, toSite };

export const SORT_COLUMNS = { name: 'name', kind: 'kind', createdAt: 'created_at' };

export interface SiteListFilter {
  officeId: string;
  q?: string | undefined;
  kind?: string | undefined;
  sort: SortSpec;
  cursor?: Cursor | undefined;
  limit: number;
}

export async function list(ex: Executor, f: SiteListFilter): Promise<SiteRow[]> {
  let q = ex.selectFrom('sites').selectAll().where('office_id', '=', f.officeId).where('deleted_at', 'is', null);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) =>
      eb.or([containsText('sites.name', text), containsText('sites.city', text), containsText('sites.address', text)]),
    );
  }
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.cursor) q = q.where(afterCursor('sites', f.sort, f.cursor));
  const dir = f.sort.desc ? 'desc' : 'asc';
  return q
    .orderBy(f.sort.column as keyof SitesTable, dir)
    .orderBy('id', dir)
    .limit(f.limit + 1)
    .execute();
}

export async function listAllOfOffice(ex: Executor, officeId: string): Promise<SiteRow[]> {
  return ex
    .selectFrom('sites')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Live sites of every office in id order, a batch at a time (the search reindex). */
export async function listBatch(ex: Executor, afterId: string | null, limit: number): Promise<SiteRow[]> {
  let q = ex.selectFrom('sites').selectAll().where('deleted_at', 'is', null);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

export async function findById(ex: Executor, id: string): Promise<SiteRow | undefined> {
  return ex.selectFrom('sites').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function insert(ex: Executor, s: Site): Promise<void> {
  await ex
    .insertInto('sites')
    .values({ ...toRow(s), deleted_at: null })
    .execute();
}

export async function updateIfVersion(ex: Executor, s: Site, expectedVersion: number): Promise<boolean> {
  const { id, office_id: _o, created_at: _c, ...fields } = toRow(s);
  const r = await ex
    .updateTable('sites')
    .set(fields)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function softDeleteIfVersion(
  ex: Executor,
  id: string,
  expectedVersion: number,
  at: string,
): Promise<boolean> {
  const r = await ex
    .updateTable('sites')
    .set({ deleted_at: at, updated_at: at, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
