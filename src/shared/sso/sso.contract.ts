import { z } from 'zod';
import { defineContract } from '../contract.ts';

const tags = ['auth'];

/** Why single sign-on failed: the only values `/login?sso_error=` ever carries. */
export const SSO_ERRORS = [
  'expired',
  'no_verified_email',
  'no_role',
  'no_office',
  'disabled',
  'provider_error',
] as const;
export type SsoError = (typeof SSO_ERRORS)[number];

export const ssoInfo = defineContract({
  method: 'GET',
  path: '/api/v1/auth/oidc',
  permission: 'public',
  operationId: 'ssoInfo',
  summary: 'Whether single sign-on (OpenID Connect) is configured, for the sign-in page',
  tags,
  response: z.object({ enabled: z.boolean(), label: z.string().nullable() }),
});

export const ssoStart = defineContract({
  method: 'GET',
  path: '/api/v1/auth/oidc/start',
  permission: 'public',
  operationId: 'ssoStart',
  summary: 'Start single sign-on: redirects to the identity provider (authorization code flow with PKCE)',
  tags,
  query: z.strictObject({
    returnTo: z
      .string()
      .max(500)
      .regex(/^\/(?!\/)[\w\-./?=&%#]*$/, { message: 'must be a path on this site' })
      .optional(),
  }),
  response: z.null(),
  status: 302,
});

export const ssoCallback = defineContract({
  method: 'GET',
  path: '/api/v1/auth/oidc/callback',
  permission: 'public',
  operationId: 'ssoCallback',
  summary: "The identity provider's redirect back: signs the user in and redirects into the app",
  tags,
  // The provider adds parameters of its own (iss, session_state, …): accept and ignore them.
  query: z.looseObject({
    code: z.string().max(2000).optional(),
    state: z.string().max(500).optional(),
    error: z.string().max(200).optional(),
  }),
  response: z.null(),
  status: 302,
});

export const ssoContracts = [ssoInfo, ssoStart, ssoCallback];
