import type { z } from 'zod';
import type { Permission } from './permissions.ts';

/** An endpoint described as data: the server registers it, the web client calls it, OpenAPI documents it. */
export interface Contract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** `public` needs no session; `authenticated` any signed-in user; otherwise a permission from the matrix. */
  permission: Permission | 'public' | 'authenticated';
  /**
   * Where the office is for office-scoped permissions: a path parameter name (`officeId`), or
   * `record` when the service resolves the office from the record itself.
   */
  officeFrom?: string;
  /** Reachable while sign-in is half done (second factor pending): verifying the code, signing out. */
  signInStep?: boolean;
  operationId: string;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** HTTP status of a successful answer (default 200). */
  status?: 200 | 201 | 204 | 302;
}

export function defineContract<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  c: Contract<P, Q, B, R>,
): Contract<P, Q, B, R> {
  return c;
}

export type ContractParams<C> = C extends Contract<infer P, z.ZodType, z.ZodType, z.ZodType> ? z.infer<P> : never;
export type ContractQuery<C> = C extends Contract<z.ZodType, infer Q, z.ZodType, z.ZodType> ? z.infer<Q> : never;
export type ContractBody<C> = C extends Contract<z.ZodType, z.ZodType, infer B, z.ZodType> ? z.input<B> : never;
export type ContractResponse<C> = C extends Contract<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.infer<R> : never;
