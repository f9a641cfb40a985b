import { type Problem, ProblemSchema } from '../../shared/common/common.schemas.ts';
import type { Contract, ContractBody, ContractParams, ContractQuery, ContractResponse } from '../../shared/contract.ts';

export interface FieldError {
  path: string;
  /** English, for people reading logs; show `code` translated instead when it is known. */
  message: string;
  /** Stable, for translation: e.g. `password.common`, `mfa.invalid_code`, or a zod issue code. */
  code?: string | undefined;
}

/** A failed call: carries the parsed RFC 9457 problem document (or one made up for network failures). */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  readonly currentVersion: number | undefined;
  readonly requestId: string | undefined;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.currentVersion = problem.currentVersion;
    this.requestId = problem.requestId;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Input of a call: only the parts the contract declares are accepted (and required when declared). */
export type CallInput<C extends Contract> = (unknown extends ContractParams<C>
  ? { params?: undefined }
  : { params: ContractParams<C> }) &
  (unknown extends ContractQuery<C> ? { query?: undefined } : { query?: Partial<ContractQuery<C>> }) &
  (unknown extends ContractBody<C> ? { body?: undefined } : { body: ContractBody<C> }) & {
    signal?: AbortSignal;
  };

/** Replaces `:name` segments of a contract path with URL-encoded values. */
export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`Missing path parameter "${name}" for ${path}`);
    }
    return encodeURIComponent(String(value));
  });
}

export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value) search.append(key, String(v));
    } else {
      search.set(key, String(value));
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  const text = await response.text().catch(() => '');
  if (!text) return fallback;
  try {
    const parsed = ProblemSchema.safeParse(JSON.parse(text));
    return parsed.success ? { ...parsed.data, status: response.status } : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Calls an endpoint described by a shared contract. Path parameters are substituted, the query is
 * serialised, the body is sent as JSON; in development the answer is checked against the contract's response schema.
 * Any non-2xx answer throws an {@link ApiError} with the parsed problem document.
 */
export async function call<C extends Contract>(contract: C, input?: CallInput<C>): Promise<ContractResponse<C>> {
  const i = (input ?? {}) as {
    params?: Record<string, unknown>;
    query?: Record<string, unknown>;
    body?: unknown;
    signal?: AbortSignal;
  };
  const url = buildPath(contract.path, i.params) + buildQuery(i.query);
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const init: RequestInit = { method: contract.method, headers, credentials: 'same-origin' };
  if (i.signal) init.signal = i.signal;
  if (i.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(i.body);
  }

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ type: 'about:blank#network', title: 'Network error', status: 0 });
  }

  if (!response.ok) throw new ApiError(await readProblem(response));

  if (response.status === 204) return {} as ContractResponse<C>;
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : {};
  // The server already serialises every answer through the contract's response schema, so checking it again
  // here only catches a mismatch between the two sides: done in development (`vite dev`), where someone can act
  // on it, not in every user's browser (parsing a page of 200 records costs the first screen its time).
  if (import.meta.env.DEV) {
    const parsed = contract.response.safeParse(json);
    // Keep going with the data as sent, but say so loudly in the console for whoever is developing.
    if (!parsed.success)
      console.warn(`Response of ${contract.operationId} does not match its contract`, parsed.error.issues);
  }
  return json as ContractResponse<C>;
}
