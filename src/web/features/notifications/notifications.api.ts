import {
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { ContractBody } from '../../../shared/contract.ts';
import {
  countMyUnread,
  getMyNotificationPreferences,
  listMyNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  putMyNotificationPreferences,
} from '../../../shared/notifications/notifications.contract.ts';
import type { Notification } from '../../../shared/notifications/notifications.schemas.ts';
import { call } from '../../lib/api-client.ts';

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: () => [...notificationKeys.all, 'unread-count'] as const,
  lists: () => [...notificationKeys.all, 'list'] as const,
  list: (unreadOnly: boolean, limit: number) => [...notificationKeys.lists(), { unreadOnly, limit }] as const,
  preferences: () => [...notificationKeys.all, 'preferences'] as const,
};

/** How often the header asks for the unread count (also on window focus). */
export const UNREAD_POLL_MS = 30_000;
export const INBOX_PAGE_SIZE = 30;
export const LATEST_COUNT = 8;

/** The number on the bell: cheap, polled, refreshed when the window gets focus again. */
export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: ({ signal }) => call(countMyUnread, { signal }),
    enabled,
    staleTime: 5_000,
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** The latest few notifications, for the bell's popover (only read while it is open). */
export function useLatestNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.list(false, LATEST_COUNT),
    queryFn: ({ signal }) => call(listMyNotifications, { query: { limit: LATEST_COUNT }, signal }),
    enabled,
    staleTime: 5_000,
  });
}

/** The inbox, newest first, a page at a time; `unreadOnly` for what is still unread. */
export function useInbox(unreadOnly: boolean, pageSize = INBOX_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly, pageSize),
    queryFn: ({ pageParam, signal }) =>
      call(listMyNotifications, {
        query: { limit: pageSize, cursor: pageParam, ...(unreadOnly ? { unread: true } : {}) },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** Marks one item read in every cached list, so the change shows before the lists are read again. */
function markReadInCache(queryClient: QueryClient, updated: Notification): void {
  queryClient.setQueriesData<{ items: Notification[] } | { pages: { items: Notification[] }[] }>(
    { queryKey: notificationKeys.lists() },
    (data) => {
      if (!data) return data;
      const swap = (items: Notification[]) => items.map((n) => (n.id === updated.id ? updated : n));
      if ('pages' in data) return { ...data, pages: data.pages.map((p) => ({ ...p, items: swap(p.items) })) };
      return { ...data, items: swap(data.items) };
    },
  );
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(markNotificationRead, { params: { id } }),
    onSuccess: (updated) => {
      markReadInCache(queryClient, updated);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.unread() });
    },
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(markAllNotificationsRead),
    onSuccess: () => {
      queryClient.setQueryData(notificationKeys.unread(), { count: 0 });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences(),
    queryFn: ({ signal }) => call(getMyNotificationPreferences, { signal }),
  });
}

export function useSaveNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof putMyNotificationPreferences>) =>
      call(putMyNotificationPreferences, { body }),
    onSuccess: (prefs) => queryClient.setQueryData(notificationKeys.preferences(), prefs),
  });
}
