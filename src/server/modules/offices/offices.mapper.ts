import type { Office } from '../../../shared/offices/offices.schemas.ts';
import type { OfficeRow, OfficesTable } from '../../db/schema.ts';

/** Row ⇄ domain object. Pure, so other modules (export/import) may use it. */
export function toOffice(r: OfficeRow): Office {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    countries: JSON.parse(r.countries) as string[],
    timezone: r.timezone,
    defaultLanguage: r.default_language as Office['defaultLanguage'],
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toRow(o: Office): Omit<OfficesTable, 'deleted_at'> {
  return {
    id: o.id,
    code: o.code,
    name: o.name,
    countries: JSON.stringify(o.countries),
    timezone: o.timezone,
    default_language: o.defaultLanguage,
    version: o.version,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}
