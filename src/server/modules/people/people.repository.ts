import type { Person } from '../../../shared/people/people.schemas.ts';
import type { Executor } from '../../db/database.ts';
import { afterCursor, type Cursor, containsText } from '../../lib/pagination.ts';
import { toPerson, toRow } from './people.mapper.ts';

export { toPerson };

export async function list(
  ex: Executor,
  f: { officeId: string; q?: string | undefined; cursor?: Cursor | undefined; limit: number },
) {
  let q = ex.selectFrom('persons').selectAll().where('office_id', '=', f.officeId).where('deleted_at', 'is', null);
  if (f.q) q = q.where(containsText('persons.display_name', f.q));
  if (f.cursor) q = q.where(afterCursor('persons', { column: 'display_name', desc: false }, f.cursor));
  return q
    .orderBy('display_name')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export async function insert(ex: Executor, p: Person): Promise<void> {
  await ex.insertInto('persons').values(toRow(p)).execute();
}
