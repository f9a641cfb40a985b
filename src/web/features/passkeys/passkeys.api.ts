import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  startAuthentication,
  startRegistration,
  WebAuthnError,
} from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ContractBody } from '../../../shared/contract.ts';
import {
  deletePasskey,
  listPasskeys,
  passkeyLoginOptions,
  passkeyLoginVerify,
  passkeyRegisterOptions,
  passkeyRegisterVerify,
} from '../../../shared/passkeys/passkeys.contract.ts';
import { call, isApiError } from '../../lib/api-client.ts';
import { meKey } from '../auth/auth.api.ts';

export const passkeyKeys = {
  all: ['passkeys'] as const,
  list: () => [...passkeyKeys.all, 'list'] as const,
  /** Options for using a passkey as the second factor (asked once the password was accepted). */
  secondFactorOptions: () => [...passkeyKeys.all, 'second-factor-options'] as const,
};

/*
 * The contracts describe WebAuthn options loosely (`{ challenge, …}`): @simplewebauthn/server makes them and
 * @simplewebauthn/browser reads them, two halves of the same library, so their shape is the library's.
 */
type Options = Awaited<ReturnType<typeof call<typeof passkeyLoginOptions>>>;
const asRequestOptions = (o: Options) => o as unknown as PublicKeyCredentialRequestOptionsJSON;
const asCreationOptions = (o: Options) => o as unknown as PublicKeyCredentialCreationOptionsJSON;
/** The browser's answer as the plain JSON object the contract takes. */
const asCredential = (r: RegistrationResponseJSON | AuthenticationResponseJSON): CredentialJson => ({
  ...r,
  response: { ...r.response },
});
type CredentialJson = ContractBody<typeof passkeyLoginVerify>['credential'];

export function usePasskeys() {
  return useQuery({
    queryKey: passkeyKeys.list(),
    queryFn: ({ signal }) => call(listPasskeys, { signal }),
  });
}

/** Adds a passkey: options from the server, the browser's own dialog, then the server checks the answer. */
export function useAddPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => {
      const options = await call(passkeyRegisterOptions);
      const credential = await startRegistration({ optionsJSON: asCreationOptions(options) });
      return call(passkeyRegisterVerify, { body: { name, credential: asCredential(credential) } });
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: passkeyKeys.list() }),
  });
}

export function useDeletePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(deletePasskey, { params: { id } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: passkeyKeys.list() }),
  });
}

/**
 * Signs in with a passkey. Without a session it is the whole sign-in (the passkey verifies the user);
 * with a half-done sign-in it is the second factor, with the options asked for beforehand (`options`).
 */
export function usePasskeySignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    // A refused passkey (401) leaves a half-done sign-in as it was.
    meta: { signInAttempt: true },
    mutationFn: async (options?: Options) => {
      const optionsJSON = asRequestOptions(options ?? (await call(passkeyLoginOptions)));
      const credential = await startAuthentication({ optionsJSON });
      return call(passkeyLoginVerify, { body: { credential: asCredential(credential) } });
    },
    onSuccess: (user) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      queryClient.setQueryData(meKey, user);
    },
    // Each challenge is good for one try: ask for fresh options after any attempt.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: passkeyKeys.secondFactorOptions() }),
  });
}

/**
 * Options for giving a passkey as the second factor; `null` when the user has none (the server answers
 * 400), which is not an error worth showing: the page then simply offers no passkey.
 */
export function useSecondFactorPasskeyOptions(enabled: boolean) {
  return useQuery({
    queryKey: passkeyKeys.secondFactorOptions(),
    queryFn: async ({ signal }) => {
      try {
        return await call(passkeyLoginOptions, { signal });
      } catch (error) {
        if (isApiError(error) && error.status === 400) return null;
        throw error;
      }
    },
    enabled,
    // The server keeps a challenge for 5 minutes.
    staleTime: 4 * 60_000,
    refetchInterval: 4 * 60_000,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

/** The user closed the browser's passkey dialog or let it time out: nothing to report. */
export function isPasskeyCancelled(error: unknown): boolean {
  const e = error instanceof WebAuthnError && error.cause instanceof Error ? error.cause : error;
  return e instanceof Error && (e.name === 'NotAllowedError' || e.name === 'AbortError');
}

/** What went wrong in the browser's part of a passkey ceremony, or `undefined` for an API error. */
export function passkeyErrorText(error: unknown, t: TFunction): string | undefined {
  if (isApiError(error)) return undefined;
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return t('passkeys.alreadyRegistered');
  }
  if (isPasskeyCancelled(error)) return t('passkeys.cancelled');
  return t('passkeys.browserFailed');
}
