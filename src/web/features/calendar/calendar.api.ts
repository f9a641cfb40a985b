import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createMyCalendarFeed,
  getMyCalendarFeed,
  revokeMyCalendarFeed,
} from '../../../shared/calendar/calendar.contract.ts';
import { call } from '../../lib/api-client.ts';

export const calendarFeedKey = ['calendar', 'feed'] as const;

export function useCalendarFeed(enabled = true) {
  return useQuery({ queryKey: calendarFeedKey, queryFn: ({ signal }) => call(getMyCalendarFeed, { signal }), enabled });
}

export function useCreateCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(createMyCalendarFeed),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: calendarFeedKey }),
  });
}

export function useRevokeCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(revokeMyCalendarFeed),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: calendarFeedKey }),
  });
}
