import { z } from 'zod';
import { EmptySchema, IdParamsSchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  ApiTokenCreateInput,
  ApiTokenSchema,
  ChangePasswordInput,
  LoginInput,
  MePreferencesInput,
  MeSchema,
  MfaCodeInput,
  MfaDisableInput,
  PasswordResetInput,
  RecoveryCodesSchema,
  SecurityPolicyInput,
  SecurityPolicySchema,
  SessionInfoSchema,
  TotpEnrollmentSchema,
} from './auth.schemas.ts';

const tags = ['auth'];

export const login = defineContract({
  method: 'POST',
  path: '/api/v1/auth/login',
  permission: 'public',
  operationId: 'login',
  summary: 'Sign in with e-mail and password; sets the session cookie',
  tags,
  body: LoginInput,
  response: MeSchema,
});

export const logout = defineContract({
  method: 'POST',
  path: '/api/v1/auth/logout',
  permission: 'public',
  signInStep: true,
  operationId: 'logout',
  summary: 'Sign out: ends this session',
  tags,
  response: EmptySchema,
  status: 204,
});

export const me = defineContract({
  method: 'GET',
  path: '/api/v1/auth/me',
  permission: 'authenticated',
  operationId: 'me',
  summary: 'Who the caller is, with offices and permissions',
  tags,
  response: MeSchema,
});

export const changePassword = defineContract({
  method: 'POST',
  path: '/api/v1/auth/change-password',
  permission: 'authenticated',
  operationId: 'changePassword',
  summary: "Change the caller's password (required after a one-time password)",
  tags,
  body: ChangePasswordInput,
  response: MeSchema,
});

export const logoutEverywhere = defineContract({
  method: 'POST',
  path: '/api/v1/auth/logout-all',
  permission: 'authenticated',
  operationId: 'logoutEverywhere',
  summary: "End every session of the caller's account, this one included",
  tags,
  response: EmptySchema,
  status: 204,
});

export const verifyMfa = defineContract({
  method: 'POST',
  path: '/api/v1/auth/mfa/verify',
  permission: 'authenticated',
  signInStep: true,
  operationId: 'verifyMfa',
  summary: 'Second step of sign-in: the TOTP code or a recovery code; the session is renewed',
  tags,
  body: MfaCodeInput,
  response: MeSchema,
});

export const enrollTotp = defineContract({
  method: 'POST',
  path: '/api/v1/auth/mfa/totp/enroll',
  permission: 'authenticated',
  operationId: 'enrollTotp',
  summary: 'Start TOTP enrolment: a new secret, its otpauth URI and QR code (not active until confirmed)',
  tags,
  response: TotpEnrollmentSchema,
});

export const confirmTotp = defineContract({
  method: 'POST',
  path: '/api/v1/auth/mfa/totp/confirm',
  permission: 'authenticated',
  operationId: 'confirmTotp',
  summary: 'Finish TOTP enrolment with a code from the app; returns single-use recovery codes, once',
  tags,
  body: MfaCodeInput,
  response: RecoveryCodesSchema,
});

export const disableTotp = defineContract({
  method: 'POST',
  path: '/api/v1/auth/mfa/totp/disable',
  permission: 'authenticated',
  operationId: 'disableTotp',
  summary: 'Turn off TOTP (needs the password and a current code)',
  tags,
  body: MfaDisableInput,
  response: MeSchema,
});

export const listTokens = defineContract({
  method: 'GET',
  path: '/api/v1/auth/tokens',
  permission: 'authenticated',
  operationId: 'listTokens',
  summary: "The caller's API tokens (never the secrets)",
  tags,
  response: z.object({ items: z.array(ApiTokenSchema) }),
});

export const createToken = defineContract({
  method: 'POST',
  path: '/api/v1/auth/tokens',
  permission: 'authenticated',
  operationId: 'createToken',
  summary: 'Create an API token for automation (sent as Authorization: Bearer); the token is shown once',
  tags,
  body: ApiTokenCreateInput,
  response: z.object({ token: z.string(), apiToken: ApiTokenSchema }),
  status: 201,
});

export const revokeToken = defineContract({
  method: 'DELETE',
  path: '/api/v1/auth/tokens/:id',
  permission: 'authenticated',
  operationId: 'revokeToken',
  summary: 'Revoke one of the caller’s API tokens',
  tags,
  params: IdParamsSchema,
  response: EmptySchema,
  status: 204,
});

export const getSecurityPolicy = defineContract({
  method: 'GET',
  path: '/api/v1/admin/security-policy',
  permission: 'policy.manage',
  operationId: 'getSecurityPolicy',
  summary: 'Installation security policy (roles that must use MFA)',
  tags: ['admin'],
  response: SecurityPolicySchema,
});

export const setSecurityPolicy = defineContract({
  method: 'PUT',
  path: '/api/v1/admin/security-policy',
  permission: 'policy.manage',
  operationId: 'setSecurityPolicy',
  summary: 'Set the installation security policy',
  tags: ['admin'],
  body: SecurityPolicyInput,
  response: SecurityPolicySchema,
});

export const updateMe = defineContract({
  method: 'PATCH',
  path: '/api/v1/auth/me',
  permission: 'authenticated',
  operationId: 'updateMe',
  summary: "Change the caller's own preferences (language; null follows the office's default)",
  tags,
  body: MePreferencesInput,
  response: MeSchema,
});

export const completePasswordReset = defineContract({
  method: 'POST',
  path: '/api/v1/auth/password-reset',
  permission: 'public',
  operationId: 'completePasswordReset',
  summary: 'Set a new password with a one-time reset link (from `outpost user reset-password` or e-mail)',
  tags,
  body: PasswordResetInput,
  response: EmptySchema,
  status: 204,
});

export const listSessions = defineContract({
  method: 'GET',
  path: '/api/v1/auth/sessions',
  permission: 'authenticated',
  operationId: 'listSessions',
  summary: "The caller's signed-in sessions (browsers and devices)",
  tags,
  response: z.object({ items: z.array(SessionInfoSchema) }),
});

export const revokeSession = defineContract({
  method: 'DELETE',
  path: '/api/v1/auth/sessions/:id',
  permission: 'authenticated',
  operationId: 'revokeSession',
  summary: 'Sign one of the caller’s sessions out',
  tags,
  params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/) }),
  response: EmptySchema,
  status: 204,
});

export const authContracts = [
  listSessions,
  revokeSession,
  updateMe,
  completePasswordReset,
  login,
  logout,
  me,
  changePassword,
  logoutEverywhere,
  verifyMfa,
  enrollTotp,
  confirmTotp,
  disableTotp,
  listTokens,
  createToken,
  revokeToken,
  getSecurityPolicy,
  setSecurityPolicy,
];
