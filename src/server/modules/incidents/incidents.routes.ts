import * as c from '../../../shared/incidents/incidents.contract.ts';
import type { RouteRegistrar } from '../../lib/route.ts';

export const registerIncidentRoutes: RouteRegistrar = (route, { incidents }) => {
  route(c.listIncidents, ({ ctx, query }) => incidents.list(ctx, query));
  route(c.createIncident, ({ ctx, params, body }) => incidents.create(ctx, params.officeId, body));
  route(c.quickReportIncident, async ({ ctx, params, body, reply }) => {
    const { incident, created } = await incidents.quickReport(ctx, params.officeId, body);
    if (created) return incident;
    // The same report sent again (a lost answer on a bad connection): the incident it made, 200.
    return reply.code(200).header('etag', `"${incident.version}"`).send(incident);
  });
  route(c.getIncident, ({ ctx, params }) => incidents.get(ctx, params.id));
  route(c.updateIncident, ({ ctx, params, body }) => incidents.update(ctx, params.id, body));
  route(c.transitionIncident, ({ ctx, params, body }) => incidents.transition(ctx, params.id, body));
  route(c.reviewIncident, ({ ctx, params, body }) => incidents.review(ctx, params.id, body));
  route(c.getIncidentAccess, ({ ctx, params }) => incidents.getAccess(ctx, params.id));
  route(c.setIncidentAccess, ({ ctx, params, body }) => incidents.setAccess(ctx, params.id, body));
  route(c.listIncidentPersons, ({ ctx, params }) => incidents.listPersons(ctx, params.id));
  route(c.addIncidentPerson, ({ ctx, params, body }) => incidents.addPerson(ctx, params.id, body));
  route(c.updateIncidentPerson, ({ ctx, params, body }) => incidents.updatePerson(ctx, params.personId, body));
  route(c.deleteIncidentPerson, async ({ ctx, params, query }) => {
    await incidents.deletePerson(ctx, params.personId, query.version);
    return null;
  });
  route(c.listIncidentCategories, async ({ ctx, query }) => ({
    items: await incidents.categories.list(ctx, query.officeId, query.includeInactive === 'true'),
  }));
  route(c.createIncidentCategory, ({ ctx, body }) => incidents.categories.create(ctx, body));
  route(c.updateIncidentCategory, ({ ctx, params, body }) => incidents.categories.update(ctx, params.id, body));
  route(c.getIncidentMetrics, ({ ctx, query }) => incidents.metrics.compute(ctx, query));
};
