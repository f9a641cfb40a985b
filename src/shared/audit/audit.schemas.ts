import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../common/common.schemas.ts';

/** Every action the audit trail records. The server's types only accept these, so the list cannot drift. */
export const AUDIT_ACTIONS = [
  'audit.export',
  'auth.change_password',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.logout_everywhere',
  'auth.mfa_disabled',
  'auth.mfa_enabled',
  'auth.mfa_failed',
  'auth.passkey_add',
  'auth.passkey_failed',
  'auth.passkey_remove',
  'auth.password_ok_mfa_pending',
  'auth.session_revoke',
  'auth.sso_refused',
  'auth.token_create',
  'auth.token_revoke',
  'office.create',
  'office.delete',
  'office.export',
  'office.import',
  'office.update',
  'person.create',
  'person.update',
  'policy.update',
  'site.create',
  'site.delete',
  'site.update',
  'user.create',
  'user.reset_password',
  'user.reset_password_link',
  'user.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITY_TYPES = [
  'office',
  'site',
  'person',
  'user',
  'session',
  'passkey',
  'api_token',
  'security_policy',
  'audit',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

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
