import * as c from '../../../shared/offices/offices.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerOfficeRoutes: RouteRegistrar = (route, { offices }) => {
  route(c.listOffices, ({ ctx, query }) => offices.list(ctx, query));
  route(c.getOffice, ({ ctx, params }) => offices.get(ctx, params.id));
  route(c.createOffice, ({ ctx, body }) => offices.create(ctx, body));
  route(c.updateOffice, ({ ctx, params, body }) => offices.update(ctx, params.id, body));
  route(c.deleteOffice, ({ ctx, params, query }) => offices.remove(ctx, params.id, query.version));
};
