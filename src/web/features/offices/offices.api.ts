import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContractBody, ContractQuery } from '../../../shared/contract.ts';
import {
  createOffice,
  deleteOffice,
  getOffice,
  listOffices,
  updateOffice,
} from '../../../shared/offices/offices.contract.ts';
import type { Office } from '../../../shared/offices/offices.schemas.ts';
import { call } from '../../lib/api-client.ts';
import { meKey } from '../auth/auth.api.ts';

export type OfficeListFilters = Omit<Partial<ContractQuery<typeof listOffices>>, 'cursor' | 'limit'>;
export type OfficeSort = NonNullable<OfficeListFilters['sort']>;

export const officeKeys = {
  all: ['offices'] as const,
  lists: () => [...officeKeys.all, 'list'] as const,
  list: (filters: OfficeListFilters) => [...officeKeys.lists(), filters] as const,
  detail: (id: string) => [...officeKeys.all, 'detail', id] as const,
};

export const OFFICE_PAGE_SIZE = 50;

export function useOfficeList(filters: OfficeListFilters, options: { enabled?: boolean; pageSize?: number } = {}) {
  const limit = options.pageSize ?? OFFICE_PAGE_SIZE;
  return useInfiniteQuery({
    queryKey: [...officeKeys.list(filters), limit],
    queryFn: ({ pageParam, signal }) => call(listOffices, { query: { ...filters, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useOffice(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: officeKeys.detail(id ?? ''),
    queryFn: ({ signal }) => call(getOffice, { params: { id: id ?? '' }, signal }),
    enabled: Boolean(id) && enabled,
  });
}

export function useCreateOffice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof createOffice>) => call(createOffice, { body }),
    onSuccess: (office) => {
      queryClient.setQueryData(officeKeys.detail(office.id), office);
      void queryClient.invalidateQueries({ queryKey: officeKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useUpdateOffice(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof updateOffice>) => call(updateOffice, { params: { id }, body }),
    onSuccess: (office) => {
      queryClient.setQueryData(officeKeys.detail(office.id), office);
      void queryClient.invalidateQueries({ queryKey: officeKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useDeleteOffice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (office: Pick<Office, 'id' | 'version'>) =>
      call(deleteOffice, { params: { id: office.id }, query: { version: office.version } }),
    onSuccess: (_, office) => {
      queryClient.removeQueries({ queryKey: officeKeys.detail(office.id) });
      void queryClient.invalidateQueries({ queryKey: officeKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}
