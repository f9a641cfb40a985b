import { z } from 'zod';
import { IdSchema, TimestampSchema, VersionSchema } from '../common/common.schemas.ts';

/** Types a browser may be told as they are: everything else is served as application/octet-stream. */
export const SAFE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
/** Types a thumbnail is made for. */
export const THUMBNAIL_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const EntityTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, { message: 'must be a record type such as site or checklist_run' });

export const AttachmentSchema = z.object({
  id: IdSchema,
  officeId: IdSchema.nullable(),
  entityType: z.string(),
  entityId: z.string(),
  /** The uploader's name for the file, sanitised for display; never used as a path. */
  filename: z.string(),
  /** Sniffed from the content; `application/octet-stream` when not recognised. */
  contentType: z.string(),
  size: z.int().min(1),
  /** SHA-256 of the content, lowercase hex: compare it with `sha256sum` of the downloaded file. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  hasThumbnail: z.boolean(),
  uploadedBy: IdSchema.nullable(),
  uploadedAt: TimestampSchema,
  version: VersionSchema,
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const AttachmentTargetSchema = z.strictObject({
  entityType: EntityTypeSchema,
  entityId: IdSchema,
});
export type AttachmentTarget = z.infer<typeof AttachmentTargetSchema>;

export const AttachmentVerifySchema = z.object({
  id: IdSchema,
  sha256: z.string(),
  /** SHA-256 of the stored file now; null when the file is missing. */
  actualSha256: z.string().nullable(),
  match: z.boolean(),
  checkedAt: TimestampSchema,
});
export type AttachmentVerify = z.infer<typeof AttachmentVerifySchema>;
