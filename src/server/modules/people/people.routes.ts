import * as c from '../../../shared/people/people.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerPeopleRoutes: RouteRegistrar = (route, { people }) => {
  route(c.listPeople, ({ ctx, params, query }) => people.list(ctx, params.officeId, query));
  route(c.createPerson, ({ ctx, params, body }) => people.create(ctx, params.officeId, body));
};
