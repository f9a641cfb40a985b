import { z } from 'zod';
import { MeSchema } from '../auth/auth.schemas.ts';
import { EmptySchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';

const tags = ['auth'];

export const PasskeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

/** What the browser's WebAuthn API returns, as JSON (@simplewebauthn/browser's shape); checked by the server library. */
const CredentialJson = z
  .looseObject({
    id: z.string().max(1024),
    rawId: z.string().max(1024),
    type: z.literal('public-key'),
    response: z.looseObject({ clientDataJSON: z.string().max(10_000) }),
  })
  .describe('PublicKeyCredential as JSON');

const Options = z
  .looseObject({ challenge: z.string() })
  .describe('PublicKeyCredential options as JSON, for the browser');

export const listPasskeys = defineContract({
  method: 'GET',
  path: '/api/v1/auth/passkeys',
  permission: 'authenticated',
  operationId: 'listPasskeys',
  summary: "The caller's passkeys",
  tags,
  response: z.object({ items: z.array(PasskeySchema) }),
});

export const passkeyRegisterOptions = defineContract({
  method: 'POST',
  path: '/api/v1/auth/passkeys/register/options',
  permission: 'authenticated',
  operationId: 'passkeyRegisterOptions',
  summary: 'Start adding a passkey: options for navigator.credentials.create()',
  tags,
  response: Options,
});

export const passkeyRegisterVerify = defineContract({
  method: 'POST',
  path: '/api/v1/auth/passkeys/register/verify',
  permission: 'authenticated',
  operationId: 'passkeyRegisterVerify',
  summary: 'Finish adding a passkey',
  tags,
  body: z.strictObject({ name: z.string().trim().min(1).max(100).default('Passkey'), credential: CredentialJson }),
  response: PasskeySchema,
  status: 201,
});

export const deletePasskey = defineContract({
  method: 'DELETE',
  path: '/api/v1/auth/passkeys/:id',
  permission: 'authenticated',
  operationId: 'deletePasskey',
  summary: 'Remove one of the caller’s passkeys',
  tags,
  params: z.strictObject({ id: z.string().min(1).max(1024) }),
  response: EmptySchema,
  status: 204,
});

export const passkeyLoginOptions = defineContract({
  method: 'POST',
  path: '/api/v1/auth/passkeys/login/options',
  permission: 'public',
  signInStep: true,
  operationId: 'passkeyLoginOptions',
  summary: 'Sign in with a passkey (or give it as the second factor): options for navigator.credentials.get()',
  tags,
  response: Options,
});

export const passkeyLoginVerify = defineContract({
  method: 'POST',
  path: '/api/v1/auth/passkeys/login/verify',
  permission: 'public',
  signInStep: true,
  operationId: 'passkeyLoginVerify',
  summary: 'Finish signing in with a passkey; sets the session cookie',
  tags,
  body: z.strictObject({ credential: CredentialJson }),
  response: MeSchema,
});

export const passkeyContracts = [
  listPasskeys,
  passkeyRegisterOptions,
  passkeyRegisterVerify,
  deletePasskey,
  passkeyLoginOptions,
  passkeyLoginVerify,
];
