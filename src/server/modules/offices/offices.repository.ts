import type { Office } from '../../../shared/offices/offices.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { OfficeRow, OfficesTable } from '../../db/schema.ts';
import { afterCursor, type Cursor, containsText, type SortSpec } from '../../lib/pagination.ts';
import { toOffice, toRow } from './offices.mapper.ts';

export { toOffice, toRow };

export const SORT_COLUMNS = { code: 'code', name: 'name', createdAt: 'created_at' };

export interface OfficeListFilter {
  visibleIds: readonly string[] | undefined;
  q?: string | undefined;
  country?: string | undefined;
  sort: SortSpec;
  cursor?: Cursor | undefined;
  limit: number;
}

export async function list(ex: Executor, f: OfficeListFilter): Promise<OfficeRow[]> {
  let q = ex.selectFrom('offices').selectAll().where('deleted_at', 'is', null);
  if (f.visibleIds) {
    if (f.visibleIds.length === 0) return [];
    q = q.where('id', 'in', f.visibleIds);
  }
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([containsText('offices.name', text), containsText('offices.code', text)]));
  }
  if (f.country) q = q.where(containsText('offices.countries', `"${f.country}"`));
  if (f.cursor) q = q.where(afterCursor('offices', f.sort, f.cursor));
  const dir = f.sort.desc ? 'desc' : 'asc';
  return q
    .orderBy(f.sort.column as keyof OfficesTable, dir)
    .orderBy('id', dir)
    .limit(f.limit + 1)
    .execute();
}

export async function findById(ex: Executor, id: string): Promise<OfficeRow | undefined> {
  return ex.selectFrom('offices').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function findByCode(ex: Executor, code: string, includeDeleted = false): Promise<OfficeRow | undefined> {
  let q = ex.selectFrom('offices').selectAll().where('code', '=', code);
  if (!includeDeleted) q = q.where('deleted_at', 'is', null);
  return q.executeTakeFirst();
}

export async function insert(ex: Executor, o: Office): Promise<void> {
  await ex
    .insertInto('offices')
    .values({ ...toRow(o), deleted_at: null })
    .execute();
}

/** Writes only when the stored version is the one the caller read; returns false otherwise. */
export async function updateIfVersion(ex: Executor, o: Office, expectedVersion: number): Promise<boolean> {
  const { id, code: _code, created_at: _c, ...fields } = toRow(o);
  const r = await ex
    .updateTable('offices')
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
    .updateTable('offices')
    .set({ deleted_at: at, updated_at: at, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
