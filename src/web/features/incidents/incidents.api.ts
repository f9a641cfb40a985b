import {
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ProblemSchema } from '../../../shared/common/common.schemas.ts';
import type { ContractBody, ContractQuery } from '../../../shared/contract.ts';
import {
  addIncidentPerson,
  createIncident,
  createIncidentCategory,
  deleteIncidentPerson,
  getIncident,
  getIncidentAccess,
  getIncidentMetrics,
  listIncidentCategories,
  listIncidentPersons,
  listIncidents,
  quickReportIncident,
  reviewIncident,
  setIncidentAccess,
  transitionIncident as transitionIncidentContract,
  updateIncident,
  updateIncidentCategory,
  updateIncidentPerson,
} from '../../../shared/incidents/incidents.contract.ts';
import type { Incident } from '../../../shared/incidents/incidents.schemas.ts';
import { listIncidentEvidenceCustody } from '../../../shared/incidents/investigation.contract.ts';
import { ApiError, buildQuery, call } from '../../lib/api-client.ts';

/**
 * The incident API as the web sees it (issue #5, the agreed paths). The server helpers build the shared
 * contracts at the same time; until every one of them is in the tree, the web calls the agreed paths with
 * {@link request}, which behaves like `call()` (same problem documents, same {@link ApiError}). The types
 * below are the fields the screens use; every field the server may leave out is optional.
 */

export type {
  Incident,
  IncidentAccessList,
  IncidentCategory,
  IncidentPerson,
  IncidentSummary,
} from '../../../shared/incidents/incidents.schemas.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type IncidentFilters = Omit<Partial<ContractQuery<typeof listIncidents>>, 'cursor' | 'limit'>;
export type QuickReportBody = ContractBody<typeof quickReportIncident>;
export type TransitionBody = ContractBody<typeof transitionIncidentContract>;

export type { Escalation } from '../../../shared/incidents/escalation.schemas.ts';

/** A call to an agreed path: JSON in, JSON out, problem documents thrown as {@link ApiError}. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path + buildQuery(options.query), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ type: 'about:blank#network', title: 'Network error', status: 0 });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    let problem = { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: 0 };
    try {
      const parsed = ProblemSchema.safeParse(JSON.parse(text));
      if (parsed.success) problem = parsed.data;
    } catch {
      // Not a problem document (a proxy's HTML page): the status says enough.
    }
    throw new ApiError({ ...problem, status: response.status });
  }
  return (text ? JSON.parse(text) : {}) as T;
}

const enc = encodeURIComponent;

/** `{items}` or a bare array: the web accepts either for the small lists. */
function itemsOf<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  const items = (value as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as T[]) : [];
}

export const incidentKeys = {
  all: ['incidents'] as const,
  lists: () => [...incidentKeys.all, 'list'] as const,
  list: (filters: IncidentFilters) => [...incidentKeys.lists(), filters] as const,
  detail: (id: string) => [...incidentKeys.all, 'detail', id] as const,
  sub: (id: string, part: string) => [...incidentKeys.all, 'detail', id, part] as const,
  categories: (officeId: string | undefined) => [...incidentKeys.all, 'categories', officeId ?? ''] as const,
  metrics: (officeId: string | undefined, from: string, to: string) =>
    [...incidentKeys.all, 'metrics', officeId ?? '', from, to] as const,
  escalationQueue: () => [...incidentKeys.all, 'escalation-queue'] as const,
};

export const INCIDENT_PAGE_SIZE = 50;

export function useIncidentList(filters: IncidentFilters, enabled = true, pageSize = INCIDENT_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: [...incidentKeys.list(filters), pageSize],
    queryFn: ({ pageParam, signal }) =>
      call(listIncidents, { query: { ...filters, limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: incidentKeys.detail(id),
    queryFn: ({ signal }) => call(getIncident, { params: { id }, signal }),
  });
}

export function useCategories(officeId: string | undefined) {
  return useQuery({
    queryKey: incidentKeys.categories(officeId),
    queryFn: async ({ signal }) =>
      (await call(listIncidentCategories, { query: officeId ? { officeId } : {}, signal })).items,
    staleTime: 5 * 60_000,
  });
}

function saved(queryClient: QueryClient, incident: Incident) {
  queryClient.setQueryData(incidentKeys.detail(incident.id), incident);
  void queryClient.invalidateQueries({ queryKey: incidentKeys.lists() });
  void queryClient.invalidateQueries({ queryKey: incidentKeys.sub(incident.id, 'escalations') });
}

export function useCreateIncident(officeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof createIncident>) => call(createIncident, { params: { officeId }, body }),
    onSuccess: (incident) => saved(queryClient, incident),
  });
}

export function sendQuickReport(officeId: string, body: QuickReportBody): Promise<Incident> {
  return call(quickReportIncident, { params: { officeId }, body });
}

export function useUpdateIncident(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof updateIncident>) => call(updateIncident, { params: { id }, body }),
    onSuccess: (incident) => saved(queryClient, incident),
  });
}

export function transitionIncident(id: string, body: TransitionBody): Promise<Incident> {
  return call(transitionIncidentContract, { params: { id }, body });
}

export function patchIncident(id: string, body: ContractBody<typeof updateIncident>): Promise<Incident> {
  return call(updateIncident, { params: { id }, body });
}

export function useTransition(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TransitionBody) => transitionIncident(id, body),
    onSuccess: (incident) => saved(queryClient, incident),
  });
}

/** Triage in one step for the officer: severity (and owner) first, then the status. */
export function useTriage(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      changes,
      version,
    }: {
      changes: Omit<ContractBody<typeof updateIncident>, 'version'>;
      version: number;
    }) => {
      const patched = await patchIncident(id, { ...changes, version });
      return transitionIncident(id, { to: 'triaged', version: patched.version });
    },
    onSuccess: (incident) => saved(queryClient, incident),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id) }),
  });
}

export function useReview(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof reviewIncident>) => call(reviewIncident, { params: { id }, body }),
    onSuccess: (incident) => saved(queryClient, incident),
  });
}

/** A list under an incident (timeline, evidence, communications, links, escalations). */
export function useIncidentPart<T>(id: string, part: string, enabled = true) {
  return useQuery({
    queryKey: incidentKeys.sub(id, part),
    queryFn: async ({ signal }) => itemsOf<T>(await request('GET', `/api/v1/incidents/${enc(id)}/${part}`, { signal })),
    enabled,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
}

/** Adds to, or changes, a list under an incident; the list is read again afterwards. */
export function usePartMutation(id: string, part: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path, body }: { method: 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown }) =>
      request<unknown>(method, path, { body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: incidentKeys.sub(id, part) });
      void queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id) });
    },
  });
}

export function useCustody(evidenceId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...incidentKeys.all, 'custody', evidenceId],
    queryFn: ({ signal }) => call(listIncidentEvidenceCustody, { params: { evidenceId }, signal }),
    enabled,
  });
}

export function useAddCustody(evidenceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      request<unknown>('POST', `/api/v1/incident-evidence/${enc(evidenceId)}/custody`, { body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [...incidentKeys.all, 'custody', evidenceId] });
      void queryClient.invalidateQueries({ queryKey: incidentKeys.all });
    },
  });
}

export function useAcknowledgeEscalation(incidentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (escalationId: string) =>
      request<unknown>('POST', `/api/v1/incident-escalations/${enc(escalationId)}/acknowledge`, { body: {} }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: incidentKeys.sub(incidentId, 'escalations') });
      void queryClient.invalidateQueries({ queryKey: incidentKeys.detail(incidentId) });
      void queryClient.invalidateQueries({ queryKey: incidentKeys.escalationQueue() });
    },
  });
}

export function useMetrics(officeId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: incidentKeys.metrics(officeId, from, to),
    queryFn: ({ signal }) =>
      call(getIncidentMetrics, { query: { ...(officeId ? { officeId } : {}), from, to }, signal }),
  });
}

/** Download links (the browser fetches them with the session cookie). */
export const incidentLinks = {
  pdf: (id: string, lang: string) => `/api/v1/incidents/${enc(id)}/report.pdf?lang=${enc(lang)}`,
  docx: (id: string, lang: string) => `/api/v1/incidents/${enc(id)}/report.docx?lang=${enc(lang)}`,
  advisoryPdf: (id: string, lang: string) => `/api/v1/incidents/${enc(id)}/advisory.pdf?lang=${enc(lang)}`,
  stix: (id: string) => `/api/v1/incidents/${enc(id)}/stix`,
};

export function fetchAdvisory(id: string, lang: string): Promise<{ markdown: string }> {
  return request<{ markdown: string }>('GET', `/api/v1/incidents/${enc(id)}/advisory`, { query: { lang } });
}

/** An export (STIX, MISP, AWSD CSV) as a file; a refusal is thrown as the usual problem. */
export async function downloadExport(ids: string[], format: 'stix' | 'misp' | 'awsd-csv'): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch('/api/v1/incidents/export', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: '*/*' },
      body: JSON.stringify({ ids, format }),
    });
  } catch {
    throw new ApiError({ type: 'about:blank#network', title: 'Network error', status: 0 });
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let problem = { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: 0 };
    try {
      const parsed = ProblemSchema.safeParse(JSON.parse(text));
      if (parsed.success) problem = parsed.data;
    } catch {
      // Not a problem document.
    }
    throw new ApiError({ ...problem, status: response.status });
  }
  return response.blob();
}

export function statisticsPdfLink(
  officeId: string,
  period: 'month' | 'year',
  year: number,
  month: number,
  lang: string,
) {
  const q = new URLSearchParams({ period, year: String(year), lang });
  if (period === 'month') q.set('month', String(month));
  return `/api/v1/offices/${enc(officeId)}/incident-statistics.pdf?${q.toString()}`;
}

/** A refusal that says "not for you" (403) or "not there" (404): the screen hides the part, no retry. */
function notForMe(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

/** The incident in the cache takes the version a change of one of its parts gave it. */
function bumpVersion(queryClient: QueryClient, id: string, version: number) {
  queryClient.setQueryData<Incident>(incidentKeys.detail(id), (old) =>
    old && old.version < version ? { ...old, version } : old,
  );
  void queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id), exact: true });
}

/** Who may see a sensitive incident (editors only; read again whenever the incident changes). */
export function useIncidentAccess(id: string, version: number, enabled: boolean) {
  return useQuery({
    queryKey: [...incidentKeys.sub(id, 'access'), version],
    queryFn: ({ signal }) => call(getIncidentAccess, { params: { id }, signal }),
    enabled,
    retry: (count, error) => !notForMe(error) && count < 2,
  });
}

export function useSetIncidentAccess(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractBody<typeof setIncidentAccess>) => call(setIncidentAccess, { params: { id }, body }),
    onSuccess: (saved) => {
      queryClient.setQueryData([...incidentKeys.sub(id, 'access'), saved.version], saved);
      bumpVersion(queryClient, id, saved.version);
    },
  });
}

/** The involved persons: a restricted sub-record (incident.write). */
export function useIncidentPersons(id: string, enabled: boolean) {
  return useQuery({
    queryKey: incidentKeys.sub(id, 'persons'),
    queryFn: async ({ signal }) => (await call(listIncidentPersons, { params: { id }, signal })).items,
    enabled,
    retry: (count, error) => !notForMe(error) && count < 2,
  });
}

export type PersonChange =
  | { op: 'add'; body: ContractBody<typeof addIncidentPerson> }
  | { op: 'update'; personId: string; body: ContractBody<typeof updateIncidentPerson> }
  | { op: 'delete'; personId: string; version: number };

export function usePersonMutation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: PersonChange): Promise<unknown> => {
      if (change.op === 'add') return call(addIncidentPerson, { params: { id }, body: change.body });
      if (change.op === 'update')
        return call(updateIncidentPerson, { params: { personId: change.personId }, body: change.body });
      return call(deleteIncidentPerson, { params: { personId: change.personId }, query: { version: change.version } });
    },
    // A conflict too: the list is read again so the next try starts from what is there now.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: incidentKeys.sub(id, 'persons') }),
  });
}

/** The whole catalogue for the admin page: global and the office's own, inactive ones included. */
export function useCategoryCatalogue(officeId: string | undefined) {
  return useQuery({
    queryKey: [...incidentKeys.categories(officeId), 'all'],
    queryFn: async ({ signal }) =>
      (
        await call(listIncidentCategories, {
          query: { ...(officeId ? { officeId } : {}), includeInactive: 'true' },
          signal,
        })
      ).items,
  });
}

export type CategoryChange =
  | { op: 'create'; body: ContractBody<typeof createIncidentCategory> }
  | { op: 'update'; id: string; body: ContractBody<typeof updateIncidentCategory> };

export function useCategoryMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: CategoryChange) =>
      change.op === 'create'
        ? call(createIncidentCategory, { body: change.body })
        : call(updateIncidentCategory, { params: { id: change.id }, body: change.body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...incidentKeys.all, 'categories'] }),
  });
}
