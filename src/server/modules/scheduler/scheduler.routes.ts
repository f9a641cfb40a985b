import * as c from '../../../shared/scheduler/scheduler.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerSchedulerRoutes: RouteRegistrar = (route, { scheduler }) => {
  route(c.listJobs, async ({ ctx }) => ({ items: await scheduler.status(ctx) }));
};
