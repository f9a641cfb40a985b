import * as c from '../../../shared/system/system.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerSystemRoutes: RouteRegistrar = (route, { system }) => {
  route(c.health, async () => ({ status: 'ok' as const }));
  route(c.ready, async ({ reply }) => {
    const r = await system.readiness();
    if (r.status === 'ready') return r;
    return reply.code(503).header('retry-after', '5').type('application/json').send(JSON.stringify(r));
  });
};
