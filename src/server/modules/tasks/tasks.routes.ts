import * as c from '../../../shared/tasks/tasks.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerTaskRoutes: RouteRegistrar = (route, { tasks }) => {
  route(c.listMyTasks, ({ ctx, query }) => tasks.mine(ctx, query));
  route(c.listOfficeTasks, ({ ctx, params, query }) => tasks.listOffice(ctx, params.officeId, query));
  route(c.createTask, ({ ctx, params, body }) => tasks.create(ctx, { ...body, officeId: params.officeId }));
  route(c.bulkUpdateTasks, ({ ctx, body }) => tasks.bulk(ctx, body));
  route(c.getTask, ({ ctx, params }) => tasks.get(ctx, params.id));
  route(c.updateTask, ({ ctx, params, body }) => tasks.update(ctx, params.id, body));
  route(c.listTaskComments, ({ ctx, params, query }) => tasks.listComments(ctx, params.id, query));
  route(c.addTaskComment, ({ ctx, params, body }) => tasks.addComment(ctx, params.id, body));
  route(c.getTaskHistory, ({ ctx, params, query }) => tasks.history(ctx, params.id, query));
  route(c.getTaskSeries, ({ ctx, params }) => tasks.getSeries(ctx, params.id));
  route(c.stopTaskSeries, ({ ctx, params, body }) => tasks.stopSeries(ctx, params.id, body.version));
};
