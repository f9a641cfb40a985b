import * as c from '../../../shared/incidents/investigation.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerInvestigationRoutes: RouteRegistrar = (route, { investigation }) => {
  route(c.listIncidentTimeline, ({ ctx, params, query }) => investigation.listTimeline(ctx, params.id, query));
  route(c.addIncidentTimelineEntry, ({ ctx, params, body }) => investigation.addTimelineEntry(ctx, params.id, body));
  route(c.updateIncidentTimelineEntry, ({ ctx, params, body }) =>
    investigation.updateTimelineEntry(ctx, params.entryId, body),
  );
  route(c.deleteIncidentTimelineEntry, ({ ctx, params, query }) =>
    investigation.deleteTimelineEntry(ctx, params.entryId, query.version),
  );
  route(c.listIncidentEvidence, ({ ctx, params }) => investigation.listEvidence(ctx, params.id));
  route(c.addIncidentEvidence, ({ ctx, params, body }) => investigation.addEvidence(ctx, params.id, body));
  route(c.getIncidentEvidence, ({ ctx, params }) => investigation.getEvidence(ctx, params.evidenceId));
  route(c.updateIncidentEvidence, ({ ctx, params, body }) =>
    investigation.updateEvidence(ctx, params.evidenceId, body),
  );
  route(c.listIncidentEvidenceCustody, ({ ctx, params }) => investigation.listCustody(ctx, params.evidenceId));
  route(c.addIncidentEvidenceCustody, ({ ctx, params, body }) =>
    investigation.addCustody(ctx, params.evidenceId, body),
  );
  route(c.listIncidentCommunications, ({ ctx, params, query }) =>
    investigation.listCommunications(ctx, params.id, query),
  );
  route(c.addIncidentCommunication, ({ ctx, params, body }) => investigation.addCommunication(ctx, params.id, body));
  route(c.updateIncidentCommunication, ({ ctx, params, body }) =>
    investigation.updateCommunication(ctx, params.commId, body),
  );
  route(c.listIncidentLinks, ({ ctx, params }) => investigation.listLinks(ctx, params.id));
  route(c.addIncidentLink, ({ ctx, params, body }) => investigation.addLink(ctx, params.id, body));
  route(c.deleteIncidentLink, ({ ctx, params }) => investigation.deleteLink(ctx, params.linkId));
  route(c.applyIncidentTaskTemplate, ({ ctx, params, body }) => investigation.applyTaskTemplate(ctx, params.id, body));
  route(c.listIncidentTaskTemplates, ({ ctx, query }) => investigation.listTaskTemplates(ctx, query.category));
};
