import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemSchema } from '../../shared/common/common.schemas.ts';
import type { Contract } from '../../shared/contract.ts';
import { roleCan } from '../../shared/permissions.ts';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import type { Actor, Ctx } from './auth.ts';
import { assertOffice } from './auth.ts';
import { Forbidden, Unauthenticated } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
  }
  interface FastifyContextConfig {
    contract?: Contract;
  }
}

export const SESSION_COOKIE = 'outpost_session';

export type RouteFn = <C extends Contract>(contract: C, handler: (input: RouteInput<C>) => Promise<unknown>) => void;
/** Each module's routes file exports one of these: it maps contracts to service calls, nothing more. */
export type RouteRegistrar = (route: RouteFn, services: Services, config: Config) => void;

export type ActorResolver = (req: FastifyRequest) => Promise<Actor | null>;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<C extends Contract> {
  params: Out<NonNullable<C['params']>>;
  query: Out<NonNullable<C['query']>>;
  body: Out<NonNullable<C['body']>>;
  ctx: Ctx;
  req: FastifyRequest;
  reply: FastifyReply;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Writes with a cookie session must come from our own pages: a cross-site request is refused (CSRF). */
function assertSameOrigin(req: FastifyRequest): void {
  if (!UNSAFE.has(req.method) || !req.headers.cookie?.includes(SESSION_COOKIE)) return;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw new Forbidden('Cross-site request refused.');
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) throw new Forbidden('Cross-origin request refused.');
  } else if (origin === 'null') {
    throw new Forbidden('Cross-origin request refused.');
  }
}

/**
 * Registers one contract: validation and serialisation from its schemas, then authentication and the
 * permission check (deny by default) before the handler runs. Every API route goes through here, so
 * the permission matrix is the list of registered contracts.
 */
export function defineRoute<C extends Contract>(
  app: FastifyInstance,
  resolveActor: ActorResolver,
  contract: C,
  handler: (input: RouteInput<C>) => Promise<unknown>,
): void {
  const status = contract.status ?? 200;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: contract.method,
    url: contract.path,
    config: { contract },
    schema: {
      operationId: contract.operationId,
      summary: contract.summary,
      tags: contract.tags,
      description: `Permission: \`${contract.permission}\``,
      ...(contract.params ? { params: contract.params } : {}),
      ...(contract.query ? { querystring: contract.query } : {}),
      ...(contract.body ? { body: contract.body } : {}),
      response: {
        [status]:
          status === 204
            ? z.null().describe('No content')
            : status === 302
              ? z.null().describe('Redirect (see Location)')
              : contract.response,
        '4xx': ProblemSchema,
        '5xx': ProblemSchema,
      },
    },
    // Authentication and permission come before validation: a caller without the right learns nothing of the schema.
    preValidation: async (req) => {
      const actor = await resolveActor(req);
      req.ctx = { actor, requestId: req.id };
      if (contract.permission === 'public') return;
      if (!actor) throw new Unauthenticated('Sign in first.');
      if (actor.via === 'session') assertSameOrigin(req);
      if (actor.mfaPending && !contract.signInStep)
        throw new Unauthenticated('Give the code from your authenticator app first.');
      if (actor.tokenScope === 'read' && contract.method !== 'GET')
        throw new Forbidden('This API token may only read.');
      if (actor.mustChangePassword && contract.permission !== 'authenticated') {
        throw new Forbidden('Set a new password first: you signed in with a one-time password.');
      }
      if (actor.mfaEnrollmentRequired && contract.permission !== 'authenticated') {
        throw new Forbidden('Set up two-factor sign-in first: it is required for your role.');
      }
      if (contract.permission === 'authenticated') return;
      if (!roleCan(actor.role, contract.permission)) {
        throw new Forbidden(`Your role (${actor.role}) may not ${contract.permission}.`);
      }
      if (contract.officeFrom && contract.officeFrom !== 'record') {
        const officeId = (req.params as Record<string, string>)[contract.officeFrom];
        if (officeId) assertOffice(req.ctx, officeId);
      }
    },
    handler: async (req, reply) => {
      const result = await handler({
        params: req.params as Out<NonNullable<C['params']>>,
        query: req.query as Out<NonNullable<C['query']>>,
        body: req.body as Out<NonNullable<C['body']>>,
        ctx: req.ctx,
        req,
        reply,
      });
      if (reply.sent) return reply;
      if (status === 204) return reply.code(204).send();
      if (result && typeof result === 'object' && 'version' in result && typeof result.version === 'number') {
        reply.header('etag', `"${result.version}"`);
      }
      return reply.code(status).send(result);
    },
  });
}
