import { z } from 'zod';
import { IdParamsSchema, IdSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  INCIDENT_SORTS,
  IncidentAccessBody,
  IncidentAccessSchema,
  IncidentCategoryCreateBody,
  IncidentCategorySchema,
  IncidentCategoryUpdateBody,
  IncidentCreateBody,
  IncidentListFilters,
  IncidentMetricsQuery,
  IncidentMetricsSchema,
  IncidentPersonCreateBody,
  IncidentPersonSchema,
  IncidentPersonUpdateBody,
  IncidentReviewBody,
  IncidentSchema,
  IncidentSummarySchema,
  IncidentTransitionBody,
  IncidentUpdateBody,
  QuickReportBody,
} from './incidents.schemas.ts';

const tags = ['incidents'];
const OfficeParams = z.strictObject({ officeId: IdSchema });
const PersonParams = z.strictObject({ personId: IdSchema });

export const listIncidents = defineContract({
  method: 'GET',
  path: '/api/v1/incidents',
  permission: 'incident.report',
  operationId: 'listIncidents',
  summary:
    "Incidents in the caller's offices (staff: only their own reports; sensitive ones only for those named), as summaries (no narrative, closing texts or observables: `getIncident` reads the whole record). Status `open` = not closed, rejected or duplicate",
  tags,
  query: z.strictObject({
    ...ListQueryBase,
    ...IncidentListFilters,
    sort: z.enum(INCIDENT_SORTS).default('-reportedAt'),
  }),
  response: pageOf(IncidentSummarySchema),
});

export const createIncident = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/incidents',
  permission: 'incident.write',
  officeFrom: 'officeId',
  operationId: 'createIncident',
  summary:
    'Record an incident (also a phone or walk-in report logged by the officer: `reportChannel` and `reporterName`)',
  tags,
  params: OfficeParams,
  body: IncidentCreateBody,
  response: IncidentSchema,
  status: 201,
});

export const quickReportIncident = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/incidents/quick-report',
  permission: 'incident.report',
  officeFrom: 'officeId',
  operationId: 'quickReportIncident',
  summary:
    "Staff's quick report from a phone (what, where, when, anyone hurt, help needed). The same `clientKey` again answers with the same incident",
  tags,
  params: OfficeParams,
  body: QuickReportBody,
  response: IncidentSchema,
  status: 201,
});

export const getIncident = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id',
  permission: 'incident.report',
  officeFrom: 'record',
  operationId: 'getIncident',
  summary: 'Read one incident (404 when the caller may not see it)',
  tags,
  params: IdParamsSchema,
  response: IncidentSchema,
});

export const updateIncident = defineContract({
  method: 'PATCH',
  path: '/api/v1/incidents/:id',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'updateIncident',
  summary:
    'Change an incident (the body carries the version it was read at; stale → 409). Setting `reviewerUserId` asks that user to review',
  tags,
  params: IdParamsSchema,
  body: IncidentUpdateBody,
  response: IncidentSchema,
});

export const transitionIncident = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/transition',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'transitionIncident',
  summary:
    'Move an incident along its workflow (refused moves → 422). Closing needs a closing summary, lessons learned and an approved review by someone else',
  tags,
  params: IdParamsSchema,
  body: IncidentTransitionBody,
  response: IncidentSchema,
});

export const reviewIncident = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/review',
  permission: 'incident.review',
  officeFrom: 'record',
  operationId: 'reviewIncident',
  summary:
    'The reviewer signs off (approve) or sends back (reject) a resolved incident; neither its owner nor the person closing it may approve',
  tags,
  params: IdParamsSchema,
  body: IncidentReviewBody,
  response: IncidentSchema,
});

export const getIncidentAccess = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/access',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'getIncidentAccess',
  summary: 'Who may see a sensitive incident: its owner, reporter, reviewer and the users named',
  tags,
  params: IdParamsSchema,
  response: IncidentAccessSchema,
});

export const setIncidentAccess = defineContract({
  method: 'PUT',
  path: '/api/v1/incidents/:id/access',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'setIncidentAccess',
  summary: 'Name the users who may see a sensitive incident (replaces the list; the incident version guards it)',
  tags,
  params: IdParamsSchema,
  body: IncidentAccessBody,
  response: IncidentAccessSchema,
});

export const listIncidentPersons = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/persons',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'listIncidentPersons',
  summary: 'Involved persons (restricted: editors who see the incident; never in search or exports)',
  tags,
  params: IdParamsSchema,
  response: z.object({ items: z.array(IncidentPersonSchema) }),
});

export const addIncidentPerson = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/persons',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'addIncidentPerson',
  summary: 'Add an involved person (victim, witness, suspect…)',
  tags,
  params: IdParamsSchema,
  body: IncidentPersonCreateBody,
  response: IncidentPersonSchema,
  status: 201,
});

export const updateIncidentPerson = defineContract({
  method: 'PATCH',
  path: '/api/v1/incident-persons/:personId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'updateIncidentPerson',
  summary: 'Change an involved person (version; stale → 409)',
  tags,
  params: PersonParams,
  body: IncidentPersonUpdateBody,
  response: IncidentPersonSchema,
});

export const deleteIncidentPerson = defineContract({
  method: 'DELETE',
  path: '/api/v1/incident-persons/:personId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'deleteIncidentPerson',
  summary: 'Remove an involved person (`version` in the query; stale → 409)',
  tags,
  params: PersonParams,
  query: z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647) }),
  response: z.null(),
  status: 204,
});

export const listIncidentCategories = defineContract({
  method: 'GET',
  path: '/api/v1/incident-categories',
  permission: 'incident.report',
  operationId: 'listIncidentCategories',
  summary: "The category catalogue: the global one and, with `officeId`, that office's own",
  tags,
  query: z.strictObject({
    officeId: IdSchema.optional(),
    includeInactive: z.enum(['true', 'false']).optional(),
  }),
  response: z.object({ items: z.array(IncidentCategorySchema) }),
});

export const createIncidentCategory = defineContract({
  method: 'POST',
  path: '/api/v1/incident-categories',
  permission: 'incident.manage',
  operationId: 'createIncidentCategory',
  summary: 'Add a category (`officeId`: an office-specific one; without it, the global catalogue — admin only)',
  tags,
  body: IncidentCategoryCreateBody,
  response: IncidentCategorySchema,
  status: 201,
});

export const updateIncidentCategory = defineContract({
  method: 'PATCH',
  path: '/api/v1/incident-categories/:id',
  permission: 'incident.manage',
  officeFrom: 'record',
  operationId: 'updateIncidentCategory',
  summary: 'Change a category (labels, default severity, sensitive, always immediate, active)',
  tags,
  params: IdParamsSchema,
  body: IncidentCategoryUpdateBody,
  response: IncidentCategorySchema,
});

export const getIncidentMetrics = defineContract({
  method: 'GET',
  path: '/api/v1/incident-metrics',
  permission: 'incident.read',
  operationId: 'getIncidentMetrics',
  summary:
    'Time to acknowledge, contain, notify HQ and close (median, p90; paused time excluded) by category, severity and month, over a period (default: the last 12 months)',
  tags,
  query: IncidentMetricsQuery,
  response: IncidentMetricsSchema,
});

export const incidentContracts = [
  listIncidents,
  createIncident,
  quickReportIncident,
  getIncident,
  updateIncident,
  transitionIncident,
  reviewIncident,
  getIncidentAccess,
  setIncidentAccess,
  listIncidentPersons,
  addIncidentPerson,
  updateIncidentPerson,
  deleteIncidentPerson,
  listIncidentCategories,
  createIncidentCategory,
  updateIncidentCategory,
  getIncidentMetrics,
];
