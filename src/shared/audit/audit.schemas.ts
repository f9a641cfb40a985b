import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../common/common.schemas.ts';

export const AuditEntrySchema = z.object({
  seq: z.int(),
  id: IdSchema,
  at: TimestampSchema,
  actorUserId: IdSchema.nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  officeId: IdSchema.nullable(),
  requestId: z.string().nullable(),
  changes: z.unknown().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditFilterSchema = z.strictObject({
  officeId: IdSchema.optional(),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(254).optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  entries: z.int(),
  brokenAt: z.int().optional(),
  reason: z.string().optional(),
});
