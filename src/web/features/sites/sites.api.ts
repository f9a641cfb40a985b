import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ContractBody, ContractQuery } from '../../../shared/contract.ts';
import { createSite, deleteSite, getSite, listSites, updateSite } from '../../../shared/sites/sites.contract.ts';
import type { Site } from '../../../shared/sites/sites.schemas.ts';
import { call } from '../../lib/api-client.ts';

export type SiteListFilters = Omit<Partial<ContractQuery<typeof listSites>>, 'cursor' | 'limit'>;
export type SiteSort = NonNullable<SiteListFilters['sort']>;

export const siteKeys = {
  all: ['sites'] as const,
  lists: (officeId: string) => [...siteKeys.all, 'list', officeId] as const,
  list: (officeId: string, filters: SiteListFilters, limit: number) =>
    [...siteKeys.lists(officeId), filters, limit] as const,
  detail: (id: string) => [...siteKeys.all, 'detail', id] as const,
};

export const SITE_PAGE_SIZE = 50;

export function useSiteList(officeId: string, filters: SiteListFilters, pageSize = SITE_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: siteKeys.list(officeId, filters, pageSize),
    queryFn: ({ pageParam, signal }) =>
      call(listSites, { params: { officeId }, query: { ...filters, limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: Boolean(officeId),
  });
}

/** Reads the latest version of a site (after a conflict). */
export function fetchSite(id: string): Promise<Site> {
  return call(getSite, { params: { id } });
}

export function useCreateSite(officeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof createSite>) => call(createSite, { params: { officeId }, body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: siteKeys.lists(officeId) }),
  });
}

export function useUpdateSite(officeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ContractBody<typeof updateSite> }) =>
      call(updateSite, { params: { id }, body }),
    onSuccess: (site) => {
      queryClient.setQueryData(siteKeys.detail(site.id), site);
      void queryClient.invalidateQueries({ queryKey: siteKeys.lists(officeId) });
    },
  });
}

export function useDeleteSite(officeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (site: Pick<Site, 'id' | 'version'>) =>
      call(deleteSite, { params: { id: site.id }, query: { version: site.version } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: siteKeys.lists(officeId) }),
  });
}
