import * as c from '../../../shared/incidents/escalation.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerEscalationRoutes: RouteRegistrar = (route, { escalation }) => {
  route(c.getEscalationMatrix, ({ ctx, params }) => escalation.getMatrix(ctx, params.officeId));
  route(c.putEscalationMatrix, ({ ctx, params, body }) => escalation.putMatrix(ctx, params.officeId, body));
  route(c.listIncidentEscalations, ({ ctx, params }) => escalation.listForIncident(ctx, params.id));
  route(c.acknowledgeEscalation, ({ ctx, params }) => escalation.acknowledge(ctx, params.escalationId));
  route(c.listPendingEscalations, ({ ctx, query }) => escalation.pending(ctx, query));
};
