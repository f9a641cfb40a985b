import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../../shared/common/common.schemas.ts';
import { AppError, Conflict, RateLimited } from './errors.ts';

const PROBLEM_BASE = 'https://outpost.invalid/problems/';

export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  problem: Omit<Problem, 'requestId' | 'instance'>,
) {
  const body: Problem = { ...problem, type: PROBLEM_BASE + problem.type, instance: req.url, requestId: req.id };
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Fastify's own errors (parsing, limits, media types) that are the client's fault, as problem types. */
const FASTIFY_CLIENT_ERRORS: Record<string, { type: string; title: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    type: 'malformed-json',
    title: 'Malformed JSON',
    detail: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    type: 'malformed-json',
    title: 'Malformed JSON',
    detail: 'The body is empty but the content type says JSON.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    type: 'body-too-large',
    title: 'Body too large',
    detail: 'The body is over the size limit.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    type: 'unsupported-media-type',
    title: 'Unsupported media type',
    detail: 'Send JSON with Content-Type: application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    type: 'bad-request',
    title: 'Bad request',
    detail: 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_INVALID_TYPE: { type: 'bad-request', title: 'Bad request', detail: 'Bad Content-Type header.' },
  FST_ERR_BAD_URL: { type: 'bad-request', title: 'Bad request', detail: 'The URL is malformed.' },
  FST_ERR_ASYNC_CONSTRAINT: { type: 'bad-request', title: 'Bad request', detail: 'The request could not be routed.' },
};

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) req.log.error({ err: error }, 'service unavailable');
      if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendProblem(reply, req, {
        type: error.type,
        title: error.title,
        status: error.status,
        detail: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
        ...(error instanceof Conflict && error.currentVersion !== undefined
          ? { currentVersion: error.currentVersion }
          : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const errors = error.validation.map((v) => {
        const p = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const keys = (v.params as { keys?: unknown }).keys;
        // Unknown fields: name each one so the caller knows what to remove.
        const path =
          Array.isArray(keys) && keys.length > 0 && v.keyword === 'unrecognized_keys'
            ? `${p ? `${p}.` : ''}${keys.join(',')}`
            : p;
        return { path: path ? `${where}.${path}` : where, message: v.message ?? 'is invalid', code: v.keyword };
      });
      return sendProblem(reply, req, {
        type: 'validation',
        title: 'Invalid request',
        status: 400,
        detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        errors,
      });
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) {
      return sendProblem(reply, req, {
        ...known,
        status: error.statusCode && error.statusCode < 500 ? error.statusCode : 400,
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, req, {
        type: 'bad-request',
        title: 'Bad request',
        status: error.statusCode,
        detail: error.message,
      });
    }
    if (isDatabaseUnavailable(error)) {
      req.log.error({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendProblem(reply, req, {
        type: 'unavailable',
        title: 'Service unavailable',
        status: 503,
        detail: storageFull(error)
          ? 'The database cannot be written: the disk is full or the file is read-only. Nothing was changed. Tell the administrator.'
          : 'The database cannot be reached just now. Nothing was changed. Try again shortly.',
      });
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, req, {
      type: 'internal',
      title: 'Internal error',
      status: 500,
      detail: `Something went wrong on the server. Quote request id ${req.id} when reporting it.`,
    });
  });
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'SQLITE_BUSY',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
]);

function storageFull(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_READONLY' ||
    (typeof code === 'string' && code.startsWith('SQLITE_READONLY'))
  );
}

function isDatabaseUnavailable(error: unknown): boolean {
  if (storageFull(error)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) return true;
  const msg = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(msg);
}
