import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  answerChecklistItem,
  completeChecklistRun,
  createChecklistTemplate,
  createGlobalChecklistTemplate,
  createTaskFromChecklistItem,
  deleteChecklistTemplate,
  getChecklistRun,
  getChecklistTemplate,
  listChecklistRuns,
  listChecklistTemplates,
  startChecklistRun,
  updateChecklistTemplate,
} from '../../../shared/checklists/checklists.contract.ts';
import type { Run, Template } from '../../../shared/checklists/checklists.schemas.ts';
import type { ContractBody, ContractQuery } from '../../../shared/contract.ts';
import { call } from '../../lib/api-client.ts';
import { taskKeys } from '../tasks/tasks.api.ts';

export type RunFilters = Omit<Partial<ContractQuery<typeof listChecklistRuns>>, 'cursor' | 'limit'>;
export type RunSort = NonNullable<RunFilters['sort']>;
export type TemplateSort = NonNullable<ContractQuery<typeof listChecklistTemplates>['sort']>;

export const checklistKeys = {
  all: ['checklists'] as const,
  templates: (officeId: string) => [...checklistKeys.all, 'templates', officeId] as const,
  templateList: (officeId: string, sort: TemplateSort) => [...checklistKeys.templates(officeId), sort] as const,
  template: (id: string) => [...checklistKeys.all, 'template', id] as const,
  runs: (officeId: string) => [...checklistKeys.all, 'runs', officeId] as const,
  runList: (officeId: string, filters: RunFilters) => [...checklistKeys.runs(officeId), filters] as const,
  run: (id: string) => [...checklistKeys.all, 'run', id] as const,
};

export function useTemplates(officeId: string | undefined, sort: TemplateSort = 'name') {
  return useInfiniteQuery({
    queryKey: checklistKeys.templateList(officeId ?? '', sort),
    queryFn: ({ pageParam, signal }) =>
      call(listChecklistTemplates, {
        params: { officeId: officeId ?? '' },
        query: { sort, limit: 100, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: Boolean(officeId),
  });
}

export function useTemplate(id: string | undefined) {
  return useQuery({
    queryKey: checklistKeys.template(id ?? ''),
    queryFn: ({ signal }) => call(getChecklistTemplate, { params: { id: id ?? '' }, query: {}, signal }),
    enabled: Boolean(id),
  });
}

export function useSaveTemplate(officeId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      input:
        | { kind: 'office'; body: ContractBody<typeof createChecklistTemplate> }
        | { kind: 'global'; body: ContractBody<typeof createGlobalChecklistTemplate> }
        | { kind: 'update'; id: string; body: ContractBody<typeof updateChecklistTemplate> },
    ): Promise<Template> => {
      if (input.kind === 'update') return call(updateChecklistTemplate, { params: { id: input.id }, body: input.body });
      if (input.kind === 'global') return call(createGlobalChecklistTemplate, { body: input.body });
      return call(createChecklistTemplate, { params: { officeId: officeId ?? '' }, body: input.body });
    },
    onSuccess: (template) => {
      queryClient.setQueryData(checklistKeys.template(template.id), template);
      void queryClient.invalidateQueries({ queryKey: [...checklistKeys.all, 'templates'] });
    },
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (t: Pick<Template, 'id' | 'version'>) =>
      call(deleteChecklistTemplate, { params: { id: t.id }, query: { version: t.version } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...checklistKeys.all, 'templates'] }),
  });
}

export function useRuns(officeId: string | undefined, filters: RunFilters) {
  return useInfiniteQuery({
    queryKey: checklistKeys.runList(officeId ?? '', filters),
    queryFn: ({ pageParam, signal }) =>
      call(listChecklistRuns, {
        params: { officeId: officeId ?? '' },
        query: { ...filters, limit: 50, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: Boolean(officeId),
  });
}

export function useStartRun(officeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof startChecklistRun>) =>
      call(startChecklistRun, { params: { officeId }, body }),
    onSuccess: (run) => {
      queryClient.setQueryData(checklistKeys.run(run.id), run);
      void queryClient.invalidateQueries({ queryKey: checklistKeys.runs(officeId) });
    },
  });
}

export function useRun(id: string) {
  return useQuery({
    queryKey: checklistKeys.run(id),
    queryFn: ({ signal }) => call(getChecklistRun, { params: { id }, signal }),
  });
}

export function fetchRun(id: string): Promise<Run> {
  return call(getChecklistRun, { params: { id } });
}

export function saveAnswer(
  runId: string,
  itemId: string,
  body: ContractBody<typeof answerChecklistItem>,
): Promise<Run> {
  return call(answerChecklistItem, { params: { id: runId, itemId }, body });
}

export function useCompleteRun(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => call(completeChecklistRun, { params: { id: runId }, body: { version } }),
    onSuccess: (run) => {
      queryClient.setQueryData(checklistKeys.run(run.id), run);
      void queryClient.invalidateQueries({ queryKey: checklistKeys.runs(run.officeId) });
    },
  });
}

export function useCreateItemTask(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: ContractBody<typeof createTaskFromChecklistItem> }) =>
      call(createTaskFromChecklistItem, { params: { id: runId, itemId }, body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: checklistKeys.run(runId) });
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
    },
  });
}
