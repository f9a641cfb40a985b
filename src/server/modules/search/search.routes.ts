import * as c from '../../../shared/search/search.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerSearchRoutes: RouteRegistrar = (route, { search }) => {
  route(c.searchRecords, ({ ctx, query }) => search.search(ctx, query));
};
