import { keepPreviousData, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { exportAudit, listAudit, verifyAudit } from '../../../shared/audit/audit.contract.ts';
import type { AuditFilter } from '../../../shared/audit/audit.schemas.ts';
import { buildPath, buildQuery, call } from '../../lib/api-client.ts';

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilter) => [...auditKeys.all, 'list', filter] as const,
};

export const AUDIT_PAGE_SIZE = 50;

/** The audit trail, newest first, a page at a time. */
export function useAuditList(filter: AuditFilter, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam, signal }) =>
      call(listAudit, { query: { ...filter, limit: AUDIT_PAGE_SIZE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Checks the hash chain of the whole trail (an action: it reads every entry). */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => call(verifyAudit) });
}

/** The CSV export of the same filter, as a link to download (the server records the export). */
export function auditExportUrl(filter: AuditFilter): string {
  return buildPath(exportAudit.path, undefined) + buildQuery(filter);
}
