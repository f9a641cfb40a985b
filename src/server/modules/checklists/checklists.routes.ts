import * as c from '../../../shared/checklists/checklists.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerChecklistRoutes: RouteRegistrar = (route, { checklists }) => {
  route(c.listChecklistTemplates, ({ ctx, params, query }) => checklists.listTemplates(ctx, params.officeId, query));
  route(c.createChecklistTemplate, ({ ctx, params, body }) => checklists.createTemplate(ctx, params.officeId, body));
  route(c.createGlobalChecklistTemplate, ({ ctx, body }) => checklists.createTemplate(ctx, null, body));
  route(c.getChecklistTemplate, ({ ctx, params, query }) =>
    checklists.getTemplate(ctx, params.id, query.templateVersion),
  );
  route(c.updateChecklistTemplate, ({ ctx, params, body }) => checklists.updateTemplate(ctx, params.id, body));
  route(c.deleteChecklistTemplate, ({ ctx, params, query }) =>
    checklists.deleteTemplate(ctx, params.id, query.version),
  );
  route(c.listChecklistRuns, ({ ctx, params, query }) => checklists.listRuns(ctx, params.officeId, query));
  route(c.startChecklistRun, ({ ctx, params, body }) => checklists.startRun(ctx, params.officeId, body));
  route(c.getChecklistRun, ({ ctx, params }) => checklists.getRun(ctx, params.id));
  route(c.answerChecklistItem, ({ ctx, params, body }) => checklists.answer(ctx, params.id, params.itemId, body));
  route(c.completeChecklistRun, ({ ctx, params, body }) => checklists.complete(ctx, params.id, body.version));
  // 201 when the task is made, 200 when the item already had one (idempotent).
  route(c.createTaskFromChecklistItem, async ({ ctx, params, body, reply }) => {
    const { task, created } = await checklists.taskFromItem(ctx, params.id, params.itemId, body);
    return reply.code(created ? 201 : 200).send(task);
  });
};
