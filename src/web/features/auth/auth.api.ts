import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  changePassword,
  confirmTotp,
  enrollTotp,
  login,
  logout,
  me,
  verifyMfa,
} from '../../../shared/auth/auth.contract.ts';
import type { Me } from '../../../shared/auth/auth.schemas.ts';
import type { ContractBody } from '../../../shared/contract.ts';
import { call, isApiError } from '../../lib/api-client.ts';

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, `null` when there is no session. */
export function useMe() {
  return useQuery<Me | null>({
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
