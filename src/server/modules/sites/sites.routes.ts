import * as c from '../../../shared/sites/sites.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerSiteRoutes: RouteRegistrar = (route, { sites }) => {
  route(c.listSites, ({ ctx, params, query }) => sites.list(ctx, params.officeId, query));
  route(c.createSite, ({ ctx, params, body }) => sites.create(ctx, params.officeId, body));
  route(c.getSite, ({ ctx, params }) => sites.get(ctx, params.id));
  route(c.updateSite, ({ ctx, params, body }) => sites.update(ctx, params.id, body));
  route(c.deleteSite, ({ ctx, params, query }) => sites.remove(ctx, params.id, query.version));
};
