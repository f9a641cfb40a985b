import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Contract } from '../shared/contract.ts';
import type { Config } from './config.ts';
import type { OutpostDatabase } from './db/database.ts';
import type { Clock } from './lib/clock.ts';
import { refuseEncodedBodies } from './lib/content-encoding.ts';
import { Invalid } from './lib/errors.ts';
import { newId } from './lib/ids.ts';
import type { Logger } from './lib/logger.ts';
import { registerErrorHandling, sendProblem } from './lib/problem.ts';
import { defineRoute, type RouteFn, type RouteRegistrar, SESSION_COOKIE } from './lib/route.ts';
import { unstorableText } from './lib/unicode.ts';
import { registerAttachmentRoutes } from './modules/attachments/attachments.routes.ts';
import { registerAuditRoutes } from './modules/audit/audit.routes.ts';
import { registerAuthRoutes } from './modules/auth/auth.routes.ts';
import { registerCalendarRoutes } from './modules/calendar/calendar.routes.ts';
import { registerChecklistRoutes } from './modules/checklists/checklists.routes.ts';
import { registerEscalationRoutes } from './modules/incidents/escalation.routes.ts';
import { registerIncidentRoutes } from './modules/incidents/incidents.routes.ts';
import { registerInvestigationRoutes } from './modules/incidents/investigation.routes.ts';
import { registerIncidentReportRoutes } from './modules/incidents/reports.routes.ts';
import { registerNotificationRoutes } from './modules/notifications/notifications.routes.ts';
import { registerOfficeRoutes } from './modules/offices/offices.routes.ts';
import { registerPasskeyRoutes } from './modules/passkeys/passkeys.routes.ts';
import { registerPeopleRoutes } from './modules/people/people.routes.ts';
import { registerSchedulerRoutes } from './modules/scheduler/scheduler.routes.ts';
import { registerSearchRoutes } from './modules/search/search.routes.ts';
import { registerSiteRoutes } from './modules/sites/sites.routes.ts';
import { registerSsoRoutes } from './modules/sso/sso.routes.ts';
import { registerSystemRoutes } from './modules/system/system.routes.ts';
import { registerTaskRoutes } from './modules/tasks/tasks.routes.ts';
import { registerUserRoutes } from './modules/users/users.routes.ts';
import { createServices, type Services } from './services.ts';
import { isAppPage, registerWeb, WEB_DIST } from './web.ts';

export const VERSION = '0.1.0';

/** Every module's routes, in one list: adding a module means adding it here. */
const MODULE_ROUTES: RouteRegistrar[] = [
  registerSystemRoutes,
  registerAuthRoutes,
  registerOfficeRoutes,
  registerSiteRoutes,
  registerPeopleRoutes,
  registerUserRoutes,
  registerAuditRoutes,
  registerSsoRoutes,
  registerPasskeyRoutes,
  registerTaskRoutes,
  registerCalendarRoutes,
  registerAttachmentRoutes,
  registerChecklistRoutes,
  registerIncidentRoutes,
  registerEscalationRoutes,
  registerInvestigationRoutes,
  registerIncidentReportRoutes,
  registerSearchRoutes,
  registerNotificationRoutes,
  registerSchedulerRoutes,
];

/** Routes outside /api/v1 that need no session: infrastructure, documented in the permission matrix. */
export const PUBLIC_INFRASTRUCTURE = ['/api/openapi.json', '/api/docs', '/'];

export interface BuildAppOptions {
  config: Config;
  database: OutpostDatabase;
  clock: Clock;
  logger: Logger;
  webDist?: string;
}

export interface RouteEntry {
  method: string;
  url: string;
  contract: Contract | undefined;
}

export type OutpostApp = FastifyInstance & { services: Services; routeTable: RouteEntry[] };

export async function buildApp(opts: BuildAppOptions): Promise<OutpostApp> {
  const { config, database, clock, logger } = opts;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : newId();
    },
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // One access-log line per request, written when it is answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: r.url, contract: r.config?.contract });
    }
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // While shutting down, answers to requests in flight close their connection, so the server is not
  // kept waiting for idle keep-alive connections to time out.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  registerErrorHandling(app);
  refuseEncodedBodies(app);
  app.addHook('preValidation', async (req) => {
    const bad =
      unstorableText(req.body, 'body') ?? unstorableText(req.query, 'query') ?? unstorableText(req.params, 'params');
    if (bad) throw new Invalid(`${bad.path} ${bad.detail}`, [{ path: bad.path, message: bad.message, code: bad.code }]);
  });

  await app.register(fastifyCookie);
  // Uploads (attachments) stream their file part; the limits here are the defaults, routes narrow them.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.ATTACHMENT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1000 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Outpost API',
        version: VERSION,
        description:
          'Security and safety management for small offices abroad. Errors are RFC 9457 problem documents; lists use cursor pagination; every mutable record carries a `version` for optimistic concurrency (a stale version is a 409).',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const services = createServices({ database, clock, config, logger });
  // The scheduler is started by the server process (main.ts); whoever started it, closing the app stops it.
  app.addHook('onClose', async () => {
    await services.scheduler.stop();
  });
  const resolveActor = async (req: Parameters<Parameters<typeof defineRoute>[1]>[0]) => {
    const authz = req.headers.authorization;
    if (authz?.startsWith('Bearer ')) return services.auth.resolveToken(authz.slice(7).trim());
    const token = req.cookies[SESSION_COOKIE];
    return token ? services.auth.resolve(token) : null;
  };
  const route: RouteFn = (contract, handler) => defineRoute(app, resolveActor, contract, handler);
  for (const register of MODULE_ROUTES) register(route, services, config);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webDist = opts.webDist ?? WEB_DIST;
  const webBuilt = await registerWeb(app, webDist);
  app.setNotFoundHandler((req, reply) => {
    if (isAppPage(req.method, req.url, req.headers.accept)) {
      if (webBuilt) return reply.type('text/html').sendFile('index.html', webDist);
      return reply
        .code(503)
        .type('text/html')
        .send(
          '<!doctype html><title>Outpost</title><p>The web app is not built yet. Run <code>npm start</code> (it builds it) or <code>npm run build</code>.</p>',
        );
    }
    return sendProblem(reply, req, {
      type: 'not-found',
      title: 'Not found',
      status: 404,
      detail: `No route ${req.method} ${req.url.split('?')[0]}`,
    });
  });

  const withServices = app as unknown as OutpostApp;
  withServices.services = services;
  withServices.routeTable = routeTable;
  return withServices;
}
