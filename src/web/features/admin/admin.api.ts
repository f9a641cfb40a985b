import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getSecurityPolicy, setSecurityPolicy } from '../../../shared/auth/auth.contract.ts';
import type { ContractBody } from '../../../shared/contract.ts';
import { listUsers } from '../../../shared/users/users.contract.ts';
import { call } from '../../lib/api-client.ts';
import { meKey } from '../auth/auth.api.ts';

export const userKeys = { all: ['users'] as const, list: () => [...userKeys.all, 'list'] as const };

export function useUserList(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: userKeys.list(),
    queryFn: ({ pageParam, signal }) => call(listUsers, { query: { limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export const securityPolicyKey = ['admin', 'security-policy'] as const;

/** Which roles must use two-step verification. */
export function useSecurityPolicy(enabled = true) {
  return useQuery({
    queryKey: securityPolicyKey,
    queryFn: ({ signal }) => call(getSecurityPolicy, { signal }),
    enabled,
  });
}

export function useSetSecurityPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof setSecurityPolicy>) => call(setSecurityPolicy, { body }),
    onSuccess: (policy) => {
      queryClient.setQueryData(securityPolicyKey, policy);
      // The signed-in admin's own role may now require enrolment.
      void queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}
