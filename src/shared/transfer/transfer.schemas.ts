import { z } from 'zod';
import {
  CountryCodeSchema,
  IdSchema,
  LatitudeSchema,
  LongitudeSchema,
  TimestampSchema,
  VersionSchema,
} from '../common/common.schemas.ts';
import { OfficeCodeSchema, OfficeSchema, TimeZoneSchema } from '../offices/offices.schemas.ts';
import { SiteSchema } from '../sites/sites.schemas.ts';

/**
 * The office archive (docs/office-archive.md): one office and everything that hangs off it, as JSON,
 * so an office can move between installations (laptop SQLite ⇄ HQ PostgreSQL) with nothing lost.
 * Bump ARCHIVE_FORMAT_VERSION on any change and keep reading older versions.
 */
export const ARCHIVE_FORMAT = 'outpost.office-archive';
export const ARCHIVE_FORMAT_VERSION = 1;

const deletedAt = { deletedAt: TimestampSchema.nullable() };

export const ArchivePersonSchema = z.strictObject({
  id: IdSchema,
  officeId: IdSchema.nullable(),
  displayName: z.string().min(1).max(200),
  email: z.string().max(254).nullable(),
  jobTitle: z.string().max(200).nullable(),
  phone: z.string().max(100).nullable(),
  version: VersionSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  ...deletedAt,
});

/**
 * Offices and sites are held to the API's input rules (lengths, office code, country codes, time zone,
 * coordinates), so a hand-edited or hostile archive cannot bring in what no form would accept: a 20 MB
 * note, a code that is not an office code, a latitude of 1000.
 */
const ArchiveOfficeSchema = OfficeSchema.extend({
  code: OfficeCodeSchema,
  name: z.string().min(1).max(200),
  countries: z.array(CountryCodeSchema).min(1).max(50),
  timezone: TimeZoneSchema,
}).strict();

const ArchiveSiteSchema = SiteSchema.extend({
  name: z.string().min(1).max(200),
  address: z.string().max(500).nullable(),
  city: z.string().max(200).nullable(),
  country: CountryCodeSchema,
  latitude: LatitudeSchema.nullable(),
  longitude: LongitudeSchema.nullable(),
  notes: z.string().max(5000).nullable(),
  ...deletedAt,
}).strict();

/** Each record once: the same id twice would otherwise fail half-way through the import's inserts. */
const uniqueIds =
  (what: string) =>
  (items: readonly { id: string }[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    for (const [i, item] of items.entries()) {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${what} ${item.id} is in the archive twice` });
      seen.add(item.id);
    }
  };

export const OfficeArchiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.literal(ARCHIVE_FORMAT_VERSION),
  exportedAt: TimestampSchema,
  office: ArchiveOfficeSchema,
  sites: z.array(ArchiveSiteSchema).superRefine(uniqueIds('site')),
  persons: z.array(ArchivePersonSchema).superRefine(uniqueIds('person')),
});
export type OfficeArchive = z.infer<typeof OfficeArchiveSchema>;
