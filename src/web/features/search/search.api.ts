import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { searchRecords } from '../../../shared/search/search.contract.ts';
import { SEARCH_QUERY_MAX } from '../../../shared/search/search.schemas.ts';
import { call } from '../../lib/api-client.ts';

export const searchKeys = {
  all: ['search'] as const,
  quick: (q: string) => [...searchKeys.all, 'quick', q] as const,
  page: (q: string, type: string | undefined) => [...searchKeys.all, 'page', q, type ?? null] as const,
};

export const QUICK_LIMIT = 20;
export const PAGE_LIMIT = 25;
export { SEARCH_QUERY_MAX };

/** What the server will search for: trimmed, within the schema's limit. */
export function cleanQuery(q: string): string {
  return q.trim().slice(0, SEARCH_QUERY_MAX);
}

/**
 * Results as you type (the caller debounces `q`). The request of a query that is no longer wanted is
 * aborted: TanStack Query cancels it through `signal` when the key changes.
 */
export function useQuickSearch(q: string) {
  const query = cleanQuery(q);
  return useQuery({
    queryKey: searchKeys.quick(query),
    queryFn: ({ signal }) => call(searchRecords, { query: { q: query, limit: QUICK_LIMIT }, signal }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** The full results page, a page at a time. */
export function useSearchResults(q: string, type?: string) {
  const query = cleanQuery(q);
  return useInfiniteQuery({
    queryKey: searchKeys.page(query, type),
    queryFn: ({ pageParam, signal }) =>
      call(searchRecords, { query: { q: query, type, limit: PAGE_LIMIT, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });
}
