import { z } from 'zod';
import { IdSchema, TimestampSchema, VersionSchema } from '../common/common.schemas.ts';
import { OfficeSchema } from '../offices/offices.schemas.ts';
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

export const OfficeArchiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.literal(ARCHIVE_FORMAT_VERSION),
  exportedAt: TimestampSchema,
  office: OfficeSchema.strict(),
  sites: z.array(SiteSchema.extend(deletedAt).strict()),
  persons: z.array(ArchivePersonSchema),
});
export type OfficeArchive = z.infer<typeof OfficeArchiveSchema>;
