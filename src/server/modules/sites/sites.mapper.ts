import type { Site } from '../../../shared/sites/sites.schemas.ts';
import type { SiteRow, SitesTable } from '../../db/schema.ts';

/** Row ⇄ domain object. Pure, so other modules (export/import) may use it. */
export function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    officeId: r.office_id,
    name: r.name,
    kind: r.kind as Site['kind'],
    address: r.address,
    city: r.city,
    country: r.country,
    latitude: r.latitude,
    longitude: r.longitude,
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toRow(s: Site): Omit<SitesTable, 'deleted_at'> {
  return {
    id: s.id,
    office_id: s.officeId,
    name: s.name,
    kind: s.kind,
    address: s.address,
    city: s.city,
    country: s.country,
    latitude: s.latitude,
    longitude: s.longitude,
    notes: s.notes,
    version: s.version,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}
