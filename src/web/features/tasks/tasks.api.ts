import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ContractBody, ContractQuery } from '../../../shared/contract.ts';
import { getOffice } from '../../../shared/offices/offices.contract.ts';
import {
  addTaskComment,
  bulkUpdateTasks,
  createTask,
  getTask,
  getTaskHistory,
  getTaskSeries,
  listMyTasks,
  listOfficeTasks,
  listTaskComments,
  stopTaskSeries,
  updateTask,
} from '../../../shared/tasks/tasks.contract.ts';
import type { Task } from '../../../shared/tasks/tasks.schemas.ts';
import { listUsers } from '../../../shared/users/users.contract.ts';
import type { User } from '../../../shared/users/users.schemas.ts';
import { call } from '../../lib/api-client.ts';
import { officeKeys } from '../offices/offices.api.ts';

export type OfficeTaskFilters = Omit<Partial<ContractQuery<typeof listOfficeTasks>>, 'cursor' | 'limit'>;
export type MyTaskFilters = Omit<Partial<ContractQuery<typeof listMyTasks>>, 'cursor' | 'limit'>;
export type TaskSort = NonNullable<OfficeTaskFilters['sort']>;

export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  mine: (filters: MyTaskFilters) => [...taskKeys.lists(), 'mine', filters] as const,
  office: (officeId: string, filters: OfficeTaskFilters) => [...taskKeys.lists(), 'office', officeId, filters] as const,
  detail: (id: string) => [...taskKeys.all, 'detail', id] as const,
  comments: (id: string) => [...taskKeys.all, 'comments', id] as const,
  history: (id: string) => [...taskKeys.all, 'history', id] as const,
  series: (id: string) => [...taskKeys.all, 'series', id] as const,
};

export const TASK_PAGE_SIZE = 50;

export function useMyTasks(filters: MyTaskFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: taskKeys.mine(filters),
    queryFn: ({ pageParam, signal }) =>
      call(listMyTasks, { query: { ...filters, limit: TASK_PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useOfficeTasks(officeId: string | undefined, filters: OfficeTaskFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: taskKeys.office(officeId ?? '', filters),
    queryFn: ({ pageParam, signal }) =>
      call(listOfficeTasks, {
        params: { officeId: officeId ?? '' },
        query: { ...filters, limit: TASK_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: enabled && Boolean(officeId),
  });
}

export function useTask(id: string) {
  return useQuery({
    queryKey: taskKeys.detail(id),
    queryFn: ({ signal }) => call(getTask, { params: { id }, signal }),
  });
}

export function fetchTask(id: string): Promise<Task> {
  return call(getTask, { params: { id } });
}

function useTaskSaved() {
  const queryClient = useQueryClient();
  return (task: Task) => {
    queryClient.setQueryData(taskKeys.detail(task.id), task);
    void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
    void queryClient.invalidateQueries({ queryKey: taskKeys.history(task.id) });
  };
}

export function useCreateTask(officeId: string) {
  const saved = useTaskSaved();
  return useMutation({
    mutationFn: (body: ContractBody<typeof createTask>) => call(createTask, { params: { officeId }, body }),
    onSuccess: saved,
  });
}

export function useUpdateTask() {
  const saved = useTaskSaved();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ContractBody<typeof updateTask> }) =>
      call(updateTask, { params: { id }, body }),
    onSuccess: saved,
  });
}

export function useBulkUpdateTasks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof bulkUpdateTasks>) => call(bulkUpdateTasks, { body }),
    onSuccess: (result) => {
      for (const task of result.items) queryClient.setQueryData(taskKeys.detail(task.id), task);
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
    },
  });
}

export function useTaskComments(id: string) {
  return useInfiniteQuery({
    queryKey: taskKeys.comments(id),
    queryFn: ({ pageParam, signal }) =>
      call(listTaskComments, { params: { id }, query: { limit: 100, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAddComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => call(addTaskComment, { params: { id }, body: { body } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.comments(id) });
      void queryClient.invalidateQueries({ queryKey: taskKeys.history(id) });
    },
  });
}

export function useTaskHistory(id: string) {
  return useInfiniteQuery({
    queryKey: taskKeys.history(id),
    queryFn: ({ pageParam, signal }) =>
      call(getTaskHistory, { params: { id }, query: { limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useTaskSeries(id: string | null) {
  return useQuery({
    queryKey: taskKeys.series(id ?? ''),
    queryFn: ({ signal }) => call(getTaskSeries, { params: { id: id ?? '' }, signal }),
    enabled: Boolean(id),
  });
}

export function useStopSeries() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      call(stopTaskSeries, { params: { id }, body: { version } }),
    onSuccess: (series) => queryClient.setQueryData(taskKeys.series(series.id), series),
  });
}

/**
 * Every user account the caller may see (for owner pickers and names). Needs `user.read`; the list is
 * small for an office product, so all pages are read at once.
 */
export function useAllUsers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: async ({ signal }) => {
      const out: User[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await call(listUsers, { query: { limit: 200, cursor }, signal });
        out.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return out;
    },
    enabled,
    staleTime: 60_000,
  });
}

/** The time zone of each office among `officeIds` (read once per office and cached). */
export function useOfficeZones(officeIds: readonly string[]): (officeId: string) => string | undefined {
  const unique = useMemo(() => [...new Set(officeIds)].sort(), [officeIds]);
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: officeKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => call(getOffice, { params: { id }, signal }),
      staleTime: 5 * 60_000,
    })),
  });
  const zones = new Map<string, string>();
  results.forEach((r, i) => {
    const id = unique[i];
    if (id && r.data) zones.set(id, r.data.timezone);
  });
  return (officeId: string) => zones.get(officeId);
}
