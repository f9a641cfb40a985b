import * as c from '../../../shared/users/users.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerUserRoutes: RouteRegistrar = (route, { users }) => {
  route(c.listUsers, ({ ctx, query }) => users.list(ctx, query));
};
