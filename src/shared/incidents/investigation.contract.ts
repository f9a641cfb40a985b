import { z } from 'zod';
import { EmptySchema, IdParamsSchema, IdSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  AppliedTaskTemplateSchema,
  ApplyTaskTemplateInput,
  CommunicationInput,
  CommunicationSchema,
  CommunicationUpdateInput,
  CustodyEntryInput,
  CustodyEntrySchema,
  CustodyLogSchema,
  EvidenceInput,
  EvidenceSchema,
  EvidenceUpdateInput,
  LinkInput,
  LinkSchema,
  TaskTemplateItemSchema,
  TimelineEntryInput,
  TimelineEntrySchema,
  TimelineEntryUpdateInput,
} from './investigation.schemas.ts';

/**
 * Investigation routes (issue #5). Access to the incident always goes through the one incident access
 * rule: the timeline is read by whoever sees the incident (`incident.report`, like reading the incident
 * itself, narrowed by that rule: staff see only their own reports); evidence, custody and communications
 * need write access to it; links need `incident.read` and both ends visible.
 */
const tags = ['incidents'];
const EntryParams = z.strictObject({ entryId: IdSchema });
const EvidenceParams = z.strictObject({ evidenceId: IdSchema });
const CommParams = z.strictObject({ commId: IdSchema });
const LinkParams = z.strictObject({ linkId: IdSchema });

// --- timeline ---

export const listIncidentTimeline = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/timeline',
  permission: 'incident.report',
  officeFrom: 'record',
  operationId: 'listIncidentTimeline',
  summary:
    "An incident's timeline of events, in the order they happened (whoever sees the incident, including the staff member who reported it)",
  tags,
  params: IdParamsSchema,
  query: z.strictObject(ListQueryBase),
  response: pageOf(TimelineEntrySchema),
});

export const addIncidentTimelineEntry = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/timeline',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'addIncidentTimelineEntry',
  summary: 'Add an event to the timeline: when (exact or approximate), what, and who or what says so',
  tags,
  params: IdParamsSchema,
  body: TimelineEntryInput,
  response: TimelineEntrySchema,
  status: 201,
});

export const updateIncidentTimelineEntry = defineContract({
  method: 'PATCH',
  path: '/api/v1/incident-timeline/:entryId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'updateIncidentTimelineEntry',
  summary: 'Change a timeline entry (the body carries the version it was read at; a stale version is a 409)',
  tags,
  params: EntryParams,
  body: TimelineEntryUpdateInput,
  response: TimelineEntrySchema,
});

export const deleteIncidentTimelineEntry = defineContract({
  method: 'DELETE',
  path: '/api/v1/incident-timeline/:entryId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'deleteIncidentTimelineEntry',
  summary: 'Remove a timeline entry (kept, hidden and audited; `version` in the query)',
  tags,
  params: EntryParams,
  query: z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647) }),
  response: EmptySchema,
  status: 204,
});

// --- evidence and custody ---

export const listIncidentEvidence = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/evidence',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'listIncidentEvidence',
  summary: "An incident's evidence, each item's hash checked against its stored file",
  tags,
  params: IdParamsSchema,
  response: z.object({ items: z.array(EvidenceSchema) }),
});

export const addIncidentEvidence = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/evidence',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'addIncidentEvidence',
  summary:
    'Record an item of evidence: acquisition details, SHA-256 (from an attachment of the incident, or typed), and the first chain-of-custody entry',
  tags,
  params: IdParamsSchema,
  body: EvidenceInput,
  response: EvidenceSchema,
  status: 201,
});

export const getIncidentEvidence = defineContract({
  method: 'GET',
  path: '/api/v1/incident-evidence/:evidenceId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'getIncidentEvidence',
  summary: 'One item of evidence, with its hash verified against the stored bytes now',
  tags,
  params: EvidenceParams,
  response: EvidenceSchema,
});

export const updateIncidentEvidence = defineContract({
  method: 'PATCH',
  path: '/api/v1/incident-evidence/:evidenceId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'updateIncidentEvidence',
  summary:
    'Change the description or storage location of an item (hash and acquisition are fixed; a stale version is a 409)',
  tags,
  params: EvidenceParams,
  body: EvidenceUpdateInput,
  response: EvidenceSchema,
});

export const listIncidentEvidenceCustody = defineContract({
  method: 'GET',
  path: '/api/v1/incident-evidence/:evidenceId/custody',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'listIncidentEvidenceCustody',
  summary: "An item's chain of custody, oldest first, and whether the chained hashes are intact",
  tags,
  params: EvidenceParams,
  response: CustodyLogSchema,
});

export const addIncidentEvidenceCustody = defineContract({
  method: 'POST',
  path: '/api/v1/incident-evidence/:evidenceId/custody',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'addIncidentEvidenceCustody',
  summary: 'Record a hand-over (append-only: entries are never changed or removed)',
  tags,
  params: EvidenceParams,
  body: CustodyEntryInput,
  response: CustodyEntrySchema,
  status: 201,
});

// --- communications ---

export const listIncidentCommunications = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/communications',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'listIncidentCommunications',
  summary: 'The communications log: who was told what, how, when, by whom, and whether they acknowledged',
  tags,
  params: IdParamsSchema,
  query: z.strictObject(ListQueryBase),
  response: pageOf(CommunicationSchema),
});

export const addIncidentCommunication = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/communications',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'addIncidentCommunication',
  summary: 'Log a communication about the incident',
  tags,
  params: IdParamsSchema,
  body: CommunicationInput,
  response: CommunicationSchema,
  status: 201,
});

export const updateIncidentCommunication = defineContract({
  method: 'PATCH',
  path: '/api/v1/incident-communications/:commId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'updateIncidentCommunication',
  summary: 'Change a logged communication, e.g. record its acknowledgement (a stale version is a 409)',
  tags,
  params: CommParams,
  body: CommunicationUpdateInput,
  response: CommunicationSchema,
});

// --- links ---

export const listIncidentLinks = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/links',
  permission: 'incident.read',
  officeFrom: 'record',
  operationId: 'listIncidentLinks',
  summary: "An incident's links to related incidents and other records, both directions (only those the caller sees)",
  tags,
  params: IdParamsSchema,
  response: z.object({ items: z.array(LinkSchema) }),
});

export const addIncidentLink = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/links',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'addIncidentLink',
  summary: 'Link the incident to another incident (related, duplicate of, caused by, causes) or another record',
  tags,
  params: IdParamsSchema,
  body: LinkInput,
  response: LinkSchema,
  status: 201,
});

export const deleteIncidentLink = defineContract({
  method: 'DELETE',
  path: '/api/v1/incident-links/:linkId',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'deleteIncidentLink',
  summary: 'Remove a link (kept, hidden and audited)',
  tags,
  params: LinkParams,
  response: EmptySchema,
  status: 204,
});

// --- tasks from the category's template ---

export const applyIncidentTaskTemplate = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/:id/apply-task-template',
  permission: 'incident.write',
  officeFrom: 'record',
  operationId: 'applyIncidentTaskTemplate',
  summary:
    "Create the tasks of the incident category's template (linked to the incident; items already applied are skipped)",
  tags,
  params: IdParamsSchema,
  body: ApplyTaskTemplateInput,
  response: AppliedTaskTemplateSchema,
});

export const listIncidentTaskTemplates = defineContract({
  method: 'GET',
  path: '/api/v1/incident-task-templates',
  permission: 'incident.write',
  operationId: 'listIncidentTaskTemplates',
  summary: 'The task templates per incident category (what apply-task-template creates), optionally for one category',
  tags,
  query: z.strictObject({
    category: z
      .string()
      .trim()
      .regex(/^[a-z_]{1,50}:[a-z_]{1,50}$/, { message: 'must be a category code such as cyber:phishing' })
      .optional(),
  }),
  response: z.object({ items: z.array(TaskTemplateItemSchema) }),
});

export const investigationContracts = [
  listIncidentTimeline,
  addIncidentTimelineEntry,
  updateIncidentTimelineEntry,
  deleteIncidentTimelineEntry,
  listIncidentEvidence,
  addIncidentEvidence,
  getIncidentEvidence,
  updateIncidentEvidence,
  listIncidentEvidenceCustody,
  addIncidentEvidenceCustody,
  listIncidentCommunications,
  addIncidentCommunication,
  updateIncidentCommunication,
  listIncidentLinks,
  addIncidentLink,
  deleteIncidentLink,
  applyIncidentTaskTemplate,
  listIncidentTaskTemplates,
];
