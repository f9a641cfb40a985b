import type { FastifyReply } from 'fastify';
import * as c from '../../../shared/incidents/reports.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';
import type { FileOut } from './reports.service.ts';

/** A document as a download: never rendered inline, never sniffed. */
function send(reply: FastifyReply, f: FileOut) {
  reply.header('content-type', f.contentType);
  reply.header('content-disposition', `attachment; filename="${f.filename}"`);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'no-store');
  return f.body;
}

export const registerIncidentReportRoutes: RouteRegistrar = (route, { incidentReports: r }) => {
  route(c.incidentReportPdf, async ({ ctx, params, query, reply }) =>
    send(reply, await r.reportPdf(ctx, params.id, query.lang)),
  );
  route(c.incidentReportDocx, async ({ ctx, params, query, reply }) =>
    send(reply, await r.reportDocx(ctx, params.id, query.lang)),
  );
  route(c.incidentAdvisory, ({ ctx, params, query }) => r.advisory(ctx, params.id, query));
  route(c.incidentAdvisoryPdf, async ({ ctx, params, query, reply }) =>
    send(reply, await r.advisoryPdf(ctx, params.id, query)),
  );
  route(c.incidentStix, async ({ ctx, params, reply }) => {
    const bundle = await r.stix(ctx, params.id);
    reply.header('content-disposition', `attachment; filename="${bundle.id}.json"`);
    reply.header('cache-control', 'no-store');
    return bundle;
  });
  route(c.exportIncidents, async ({ ctx, body, reply }) => send(reply, await r.exportSelection(ctx, body)));
  route(c.incidentStatisticsPdf, async ({ ctx, params, query, reply }) =>
    send(reply, await r.statisticsPdf(ctx, params.officeId, query)),
  );
  route(c.getIncidentReportTemplate, ({ ctx, params }) => r.getTemplate(ctx, params.officeId));
  route(c.putIncidentReportTemplate, ({ ctx, params, body }) => r.putTemplate(ctx, params.officeId, body));
};
