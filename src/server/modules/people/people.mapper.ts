import type { Person } from '../../../shared/people/people.schemas.ts';
import type { PersonRow, PersonsTable } from '../../db/schema.ts';

/** Row ⇄ domain object. Pure, so other modules (export/import) may use it. */
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

export function toRow(p: Person, deletedAt: string | null = null): PersonsTable {
  return {
    id: p.id,
    office_id: p.officeId,
    display_name: p.displayName,
    email: p.email,
    job_title: p.jobTitle,
    phone: p.phone,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    deleted_at: deletedAt,
  };
}
