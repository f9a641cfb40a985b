import { useInfiniteQuery } from '@tanstack/react-query';
import { listUsers } from '../../../shared/users/users.contract.ts';
import { call } from '../../lib/api-client.ts';

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
