import * as c from '../../../shared/audit/audit.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerAuditRoutes: RouteRegistrar = (route, { audit }) => {
  route(c.listAudit, ({ ctx, query }) => audit.list(ctx, query));
  route(c.exportAudit, async ({ ctx, query, reply }) => {
    const csv = await audit.exportCsv(ctx, query);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="outpost-audit.csv"')
      .send(csv);
  });
  route(c.verifyAudit, async ({ ctx }) => audit.verifyFor(ctx));
};
