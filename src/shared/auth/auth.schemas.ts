import { z } from 'zod';
import { IdSchema } from '../common/common.schemas.ts';
import { LanguageSchema } from '../offices/offices.schemas.ts';
import { ROLES } from '../permissions.ts';

export const RoleSchema = z.enum(ROLES);
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an e-mail address' }));
export const PASSWORD_MIN = 12;
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` })
  .max(256, { message: 'must be at most 256 characters' });

export const MeSchema = z.object({
  userId: IdSchema,
  personId: IdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  language: LanguageSchema.nullable(),
  mustChangePassword: z.boolean(),
  /** Password accepted; the second factor (TOTP or recovery code) is still to be given. */
  mfaPending: z.boolean(),
  mfaEnabled: z.boolean(),
  /** The policy requires MFA for this role and the user has not enrolled yet: enrol before anything else. */
  mfaEnrollmentRequired: z.boolean(),
  offices: z.array(z.object({ id: IdSchema, code: z.string(), name: z.string() })),
  allOffices: z.boolean(),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof MeSchema>;

export const LoginInput = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1, { message: 'must not be empty' }).max(256),
});
export const ChangePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPasswordSchema,
});

export const MfaCodeInput = z.strictObject({
  code: z
    .string()
    .trim()
    .min(6, { message: 'must be the 6-digit code or a recovery code' })
    .max(32, { message: 'must be the 6-digit code or a recovery code' }),
});

export const TotpEnrollmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});

export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const MfaDisableInput = z.strictObject({
  password: z.string().min(1).max(256),
  code: MfaCodeInput.shape.code,
});

export const TOKEN_SCOPES = ['read', 'write'] as const;
export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const ApiTokenCreateInput = z.strictObject({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
  scope: z.enum(TOKEN_SCOPES).default('read'),
  expiresDays: z.int().min(1).max(3650).nullable().default(90),
});

export const SecurityPolicySchema = z.object({ mfaRequiredRoles: z.array(RoleSchema) });
export const SecurityPolicyInput = z.strictObject({ mfaRequiredRoles: z.array(RoleSchema).max(6) });

export const PasswordResetInput = z.strictObject({
  token: z.string().min(20).max(200),
  newPassword: NewPasswordSchema,
});

export const MePreferencesInput = z.strictObject({ language: LanguageSchema.nullable() });

export const SessionInfoSchema = z.object({
  /** A public handle of the session (not its token). */
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
