import { EmptySchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { ChangePasswordInput, LoginInput, MeSchema } from './auth.schemas.ts';

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

export const authContracts = [login, logout, me, changePassword];
