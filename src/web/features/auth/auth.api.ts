import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  changePassword,
  confirmTotp,
  createToken,
  disableTotp,
  enrollTotp,
  listSessions,
  listTokens,
  login,
  logout,
  logoutEverywhere,
  me,
  revokeSession,
  revokeToken,
  updateMe,
  verifyMfa,
} from '../../../shared/auth/auth.contract.ts';
import type { Me } from '../../../shared/auth/auth.schemas.ts';
import type { ContractBody } from '../../../shared/contract.ts';
import { call, isApiError } from '../../lib/api-client.ts';

export const meKey = ['auth', 'me'] as const;

/** The session query: `null` when there is no session. Shared by {@link useMe} and the start-up prefetch. */
export const meQuery = queryOptions<Me | null>({
  queryKey: meKey,
  queryFn: async ({ signal }) => {
    try {
      return await call(me, { signal });
    } catch (error) {
      if (isApiError(error) && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 5 * 60_000,
  retry: (count, error) => count < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
});

/** The signed-in user, `null` when there is no session. */
export function useMe() {
  return useQuery(meQuery);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof login>) => call(login, { body }),
    onSuccess: (user) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      queryClient.setQueryData(meKey, user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(logout),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
    },
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof changePassword>) => call(changePassword, { body }),
    onSuccess: (user) => {
      queryClient.setQueryData(meKey, user);
    },
  });
}

/** Second step of signing in: the code from the authenticator app, or a recovery code. */
export function useVerifyMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof verifyMfa>) => call(verifyMfa, { body }),
    onSuccess: (user) => {
      queryClient.setQueryData(meKey, user);
    },
  });
}

/** Starts TOTP enrolment: a new secret and its QR code (not active until confirmed). */
export function useEnrollTotp() {
  return useMutation({ mutationFn: () => call(enrollTotp) });
}

/** Finishes enrolment with a code from the app; answers the recovery codes, shown once. */
export function useConfirmTotp() {
  return useMutation({
    mutationFn: (body: ContractBody<typeof confirmTotp>) => call(confirmTotp, { body }),
  });
}

/** Turns TOTP off (the password and a current code prove it is the user). */
export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof disableTotp>) => call(disableTotp, { body }),
    onSuccess: (user) => {
      queryClient.setQueryData(meKey, user);
    },
  });
}

/** The user's own preferences (language; `null` follows the office's default). */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof updateMe>) => call(updateMe, { body }),
    onSuccess: (user) => {
      queryClient.setQueryData(meKey, user);
    },
  });
}

/** Ends every session of the account, this one included. */
export function useLogoutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(logoutEverywhere),
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
    },
  });
}

export const sessionKeys = { all: ['auth', 'sessions'] as const };

/** The user's signed-in sessions (browsers and devices), this one marked `current`. */
export function useSessions() {
  return useQuery({
    queryKey: sessionKeys.all,
    queryFn: ({ signal }) => call(listSessions, { signal }),
  });
}

/** Signs one of the user's other sessions out; that browser is sent to sign in on its next request. */
export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(revokeSession, { params: { id } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

export const tokenKeys = { all: ['auth', 'tokens'] as const };

/** The user's API tokens (never the secrets). */
export function useTokens() {
  return useQuery({
    queryKey: tokenKeys.all,
    queryFn: ({ signal }) => call(listTokens, { signal }),
  });
}

/** Creates an API token; the answer holds the token itself, which is never shown again. */
export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof createToken>) => call(createToken, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(revokeToken, { params: { id } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
