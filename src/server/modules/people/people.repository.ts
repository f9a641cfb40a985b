import type { Person } from '../../../shared/people/people.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { PersonRow } from '../../db/schema.ts';
import { afterCursor, type Cursor, containsText } from '../../lib/pagination.ts';

export function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    officeId: r.office_id,
    displayName: r.display_name,
    email: r.email,
    jobTitle: r.job_title,
    phone: r.phone,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

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
  await ex
    .insertInto('persons')
    .values({
      id: p.id,
      office_id: p.officeId,
      display_name: p.displayName,
      email: p.email,
      job_title: p.jobTitle,
      phone: p.phone,
      version: p.version,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      deleted_at: null,
    })
    .execute();
}
